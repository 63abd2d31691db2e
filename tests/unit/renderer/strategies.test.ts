import { describe, expect, it } from 'vitest';
import { DEMO_STRATEGIES, PAPER_STRATEGIES, hasWeightStep, normalize, parseList, toggle } from '../../../renderer/src/views/experiments/strategies.ts';

describe('strategy quick picks', () => {
  it('normalizes spacing, case and empty steps like the server', () => {
    expect(normalize(' P->W ')).toBe('p -> w');
    expect(normalize('p  ->   w->p')).toBe('p -> w -> p');
    expect(normalize('p -> -> w')).toBe('p -> w');
    expect(normalize('  ')).toBe('');
  });

  it('parses a comma list, dropping empty entries; "all" is the paper set', () => {
    expect(parseList('p, w,, p->w ,')).toEqual(['p', 'w', 'p -> w']);
    expect(parseList(' ALL ')).toEqual([...PAPER_STRATEGIES]);
    expect(parseList('')).toEqual([]);
    expect(parseList(DEMO_STRATEGIES)).toEqual(['p', 'w', 'p -> w']);
  });

  it('toggles a strategy in or out of the list, normalizing what is there', () => {
    expect(toggle('p, w', 'p -> w')).toBe('p, w, p -> w');
    expect(toggle('p,w,p->w', 'w')).toBe('p, p -> w');
    expect(toggle('', 'p')).toBe('p');
    expect(toggle('p', 'p')).toBe('');
    // from "all": every paper strategy but the one toggled off
    expect(parseList(toggle('all', 'w -> w'))).toEqual(PAPER_STRATEGIES.filter((s) => s !== 'w -> w'));
  });

  it('knows which lists need a trainer (a w step anywhere)', () => {
    expect(hasWeightStep('p, p -> p')).toBe(false);
    expect(hasWeightStep('p, P->W')).toBe(true);
    expect(hasWeightStep('w')).toBe(true);
    expect(hasWeightStep('all')).toBe(true);
    expect(hasWeightStep('pw, wp')).toBe(false); // not a step named w
    expect(hasWeightStep('')).toBe(false);
  });

  it('lists the paper strategies normalized and once each', () => {
    expect(PAPER_STRATEGIES.map(normalize)).toEqual([...PAPER_STRATEGIES]);
    expect(new Set(PAPER_STRATEGIES).size).toBe(PAPER_STRATEGIES.length);
  });
});
