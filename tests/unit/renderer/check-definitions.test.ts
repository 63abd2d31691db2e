// How a trace's check values read: in the task's order with its labels, unknown checks after
// them by name, values as whole percentages or n/a.
import { describe, expect, it } from 'vitest';
import { checkValueText, orderedChecks } from '../../../renderer/src/components/check-definitions.ts';

const defs = [
  { name: 'recall_hop1', label: 'recall@hop1', module: 'generate_query[0]', description: 'hop 1' },
  { name: 'recall_hop2', label: 'recall@hop2', module: 'generate_query[1]', description: 'hop 2' },
];

describe('orderedChecks', () => {
  it('labels checks from the definitions, in their order, and keeps ones they do not name', () => {
    const rows = orderedChecks({ zeta: 1, recall_hop2: 1, recall_hop1: 0.5 }, defs);
    expect(rows.map((r) => [r.label, r.value])).toEqual([
      ['recall@hop1', 0.5],
      ['recall@hop2', 1],
      ['zeta', 1],
    ]);
    expect(rows[0]!.description).toBe('hop 1');
    expect(rows[2]!.description).toBeNull();
  });

  it('uses the raw names until the definitions arrive, and skips definitions the trace lacks', () => {
    expect(orderedChecks({ b: null, a: 0 }, []).map((r) => r.label)).toEqual(['a', 'b']);
    expect(orderedChecks({ recall_hop2: 0 }, defs).map((r) => r.name)).toEqual(['recall_hop2']);
  });
});

describe('checkValueText', () => {
  it('reads a value in [0, 1] as a whole percentage, a missing one as n/a', () => {
    expect(checkValueText(0.5)).toBe('50%');
    expect(checkValueText(1)).toBe('100%');
    expect(checkValueText(1 / 3)).toBe('33%');
    expect(checkValueText(null)).toBe('n/a');
    expect(checkValueText(undefined)).toBe('n/a');
  });
});
