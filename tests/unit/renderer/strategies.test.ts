import { describe, expect, it } from 'vitest';
import { DEMO_STRATEGIES, PAPER_STRATEGIES, needsFinetuner, normalize, parseList, toggle } from '../../../renderer/src/views/experiments/strategies.ts';

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

  it('knows which lists need a trainer (a step whose kind trains weights, anywhere)', () => {
    const kinds = [
      { token: 'p', name: 'prompt optimization', needsFinetuner: false },
      { token: 'w', name: 'weight optimization', needsFinetuner: true },
    ];
    expect(needsFinetuner('p, p -> p', kinds)).toBe(false);
    expect(needsFinetuner('p, P->W', kinds)).toBe(true);
    expect(needsFinetuner('w', kinds)).toBe(true);
    expect(needsFinetuner('all', kinds)).toBe(true);
    expect(needsFinetuner('pw, wp', kinds)).toBe(false); // not a step named w
    expect(needsFinetuner('', kinds)).toBe(false);
    // the registry decides, not the letter
    expect(needsFinetuner('p -> x', [...kinds, { token: 'x', name: 'a trained step', needsFinetuner: true }])).toBe(true);
    expect(needsFinetuner('w', [])).toBe(false);
  });

  it('lists the paper strategies normalized and once each', () => {
    expect(PAPER_STRATEGIES.map(normalize)).toEqual([...PAPER_STRATEGIES]);
    expect(new Set(PAPER_STRATEGIES).size).toBe(PAPER_STRATEGIES.length);
  });
});
