import { describe, expect, it } from 'vitest';
import { finetunerIssue, finetuningTokens } from '../../../core/contract/finetuner-rule.ts';
import { parseStrategy } from '../../../core/contract/strategy.ts';
import type { StepInfo } from '../../../core/contract/strategy.ts';
import { finetunerIssue as serverFinetunerIssue } from '../../../core/runner/spec-builder.ts';
import { DEMO_STRATEGIES, PAPER_STRATEGIES, parseList, parseStrategies, toggle } from '../../../renderer/src/views/experiments/strategies.ts';

const KINDS: StepInfo[] = [
  { token: 'p', name: 'prompt optimization (Π)', needsFinetuner: false, firstActivity: 'starting random search' },
  { token: 'w', name: 'weight fine-tuning (Θ)', needsFinetuner: true, firstActivity: 'collecting traces on the train set' },
];
const KNOWN = KINDS.map((k) => k.token);

describe('strategy quick picks', () => {
  it('reads the field with the contract grammar: canonical spacing, → accepted, case kept', () => {
    expect(parseList('p->w, p  ->   w->p, p → w')).toEqual(['p -> w', 'p -> w -> p']);
    // tokens are case-sensitive: `P -> W` is not `p -> w`, and not a registered step
    expect(parseList(' P->W ')).toEqual(['P -> W']);
    expect(parseList(' P->W ', KNOWN)).toEqual([]);
    expect(parseList('p -> q', KNOWN)).toEqual([]);
  });

  it('counts only entries the server accepts; "all" is the paper set', () => {
    expect(parseList('p, w,, p->w ,')).toEqual(['p', 'w', 'p -> w']);
    expect(parseList('p -> -> w, p')).toEqual(['p']);
    expect(parseList(' ALL ')).toEqual([...PAPER_STRATEGIES]);
    expect(parseList('')).toEqual([]);
    expect(parseList(DEMO_STRATEGIES)).toEqual(['p', 'w', 'p -> w']);
  });

  it('toggles a strategy in or out of the list, keeping entries it cannot parse for the server to name', () => {
    expect(toggle('p, w', 'p -> w')).toBe('p, w, p -> w');
    expect(toggle('p,w,p->w', 'w')).toBe('p, p -> w');
    expect(toggle('', 'p')).toBe('p');
    expect(toggle('p', 'p')).toBe('');
    expect(toggle('p, p -> q', 'w', KNOWN)).toBe('p, w, p -> q');
    expect(toggle('P, p', 'p', KNOWN)).toBe('P');
    // from "all": every paper strategy but the one toggled off
    expect(parseList(toggle('all', 'w -> w'))).toEqual(PAPER_STRATEGIES.filter((s) => s !== 'w -> w'));
  });

  it('lists the paper strategies in canonical form and once each', () => {
    expect(parseList(PAPER_STRATEGIES.join(', '))).toEqual([...PAPER_STRATEGIES]);
    expect(new Set(PAPER_STRATEGIES).size).toBe(PAPER_STRATEGIES.length);
  });
});

describe('the fine-tuner rule the form warns with', () => {
  const issue = (text: string, kinds = KINDS) => finetunerIssue(parseStrategies(text, kinds.map((k) => k.token)), kinds, 'openai', false);

  it('names a strategy with a step whose kind trains weights, anywhere in it', () => {
    expect(issue('p, p -> p')).toBeNull();
    expect(issue('p, p -> w')).toMatch(/^strategy "p -> w" has a "w" \(fine-tuning\) step/);
    expect(issue('all')).not.toBeNull();
    expect(issue('')).toBeNull();
    expect(issue('P -> W')).toBeNull(); // not a registered step: the server refuses it for that
    expect(finetunerIssue(parseStrategies('w'), KINDS, 'openai', true)).toBeNull();
  });

  it('asks the step kinds, not the letter', () => {
    const withTrainer = [...KINDS, { token: 'x', name: 'a trained step', needsFinetuner: true }];
    expect(issue('p -> x', withTrainer)).toMatch(/has a "x" \(fine-tuning\) step/);
    expect(finetuningTokens(withTrainer)).toEqual(['w', 'x']);
    expect(finetunerIssue(parseStrategies('w'), [], 'openai', false)).toBeNull();
  });

  it('gives the server\'s text', () => {
    const strategies = [parseStrategy('p'), parseStrategy('p -> w')];
    expect(finetunerIssue(strategies, KINDS, 'openai', false)).toBe(serverFinetunerIssue(strategies, 'openai', false));
  });
});
