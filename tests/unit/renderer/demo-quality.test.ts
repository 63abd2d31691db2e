// How a candidate's demo-set quality and a demo's source checks read in the Candidates view, and
// how a demo's list and long text values are laid out.
import { describe, expect, it } from 'vitest';
import { defaultQualityCheck, demoQuality, measuredChecks, sourceCheckBadges } from '../../../renderer/src/views/candidates/demo-quality.ts';
import { isLongText, listItem } from '../../../renderer/src/views/candidates/field-value.ts';

const defs = [
  { name: 'recall_hop1', label: 'recall@hop1', module: 'generate_query[0]', description: 'hop 1' },
  { name: 'recall_hop2', label: 'recall@hop2', module: 'generate_query[1]', description: 'hop 2' },
  { name: 'answer_f1', label: 'F1', module: 'generate_answer', description: 'answer F1' },
];

describe('demoQuality', () => {
  it('reads each check as its mean and how many demo traces were at 100%, in the task’s order', () => {
    const lines = demoQuality({ answer_f1: { mean: 1, n: 2, full: 2 }, recall_hop2: { mean: 0.75, n: 2, full: 1 } }, defs);
    expect(lines.map((l) => l.text)).toEqual(['recall@hop2 75% · 1 of 2 demo traces at 100%', 'F1 100% · 2 of 2 demo traces at 100%']);
    expect(lines.map((l) => l.short)).toEqual(['1/2', '2/2']);
    expect(lines[0]!.description).toBe('hop 2');
  });

  it('says "trace" for one, leaves out checks no trace was measured on, and uses raw names before the definitions arrive', () => {
    expect(demoQuality({ recall_hop1: { mean: 0.5, n: 1, full: 0 }, recall_hop2: { mean: null, n: 0, full: 0 } }, defs).map((l) => l.text)).toEqual([
      'recall@hop1 50% · 0 of 1 demo trace at 100%',
    ]);
    expect(demoQuality({ recall_hop1: { mean: 1, n: 3, full: 3 } }, [])[0]!.text).toBe('recall_hop1 100% · 3 of 3 demo traces at 100%');
    expect(demoQuality({}, defs)).toEqual([]);
  });
});

describe('measuredChecks and defaultQualityCheck', () => {
  const row = (demoChecks: Record<string, { mean: number | null; n: number; full: number }>) => ({ demoChecks }) as unknown as Parameters<typeof measuredChecks>[0][number];

  it('lists the checks measured on any candidate’s demo traces, in the task’s order, with their modules', () => {
    const rows = [row({}), row({ answer_f1: { mean: 1, n: 2, full: 2 }, recall_hop1: { mean: null, n: 0, full: 0 } }), row({ recall_hop2: { mean: 0.5, n: 2, full: 1 } })];
    expect(measuredChecks(rows, defs)).toEqual([
      { name: 'recall_hop2', label: 'recall@hop2', module: 'generate_query[1]' },
      { name: 'answer_f1', label: 'F1', module: 'generate_answer' },
    ]);
    expect(measuredChecks([row({ zeta: { mean: 1, n: 1, full: 1 } })], defs)).toEqual([{ name: 'zeta', label: 'zeta', module: null }]);
  });

  it('shows first the last check of an intermediate step (not the final module’s), else the first', () => {
    expect(defaultQualityCheck(defs, 'generate_answer')).toBe('recall_hop2');
    expect(defaultQualityCheck(defs, null)).toBe('answer_f1');
    expect(defaultQualityCheck([defs[2]!], 'generate_answer')).toBe('answer_f1');
    expect(defaultQualityCheck([], 'generate_answer')).toBeNull();
  });
});

describe('sourceCheckBadges', () => {
  it('marks a check at 100% ✓, below it ✗, and one that did not apply with no mark', () => {
    const badges = sourceCheckBadges({ recall_hop2: 1, recall_hop1: 0.5, answer_f1: null }, defs);
    expect(badges.map((b) => b.text)).toEqual(['recall@hop1 50% ✗', 'recall@hop2 100% ✓', 'F1 n/a']);
    expect(badges.map((b) => [b.full, b.zero])).toEqual([
      [false, false],
      [true, false],
      [false, false],
    ]);
    expect(badges[1]!.title).toBe('recall@hop2 of the trace this demo was taken from: 100% (at 100%). hop 2');
    expect(badges[2]!.title).toMatch(/did not apply/);
    expect(sourceCheckBadges({ recall_hop1: 0 }, defs)[0]).toMatchObject({ mark: '✗', zero: true, value: '0%' });
  });

  it('has none for a labeled demo (no source trace)', () => {
    expect(sourceCheckBadges(null, defs)).toEqual([]);
  });
});

describe('listItem and isLongText', () => {
  it('splits a "Title | text" passage at its first separator and keeps other items whole', () => {
    expect(listItem('Ed Wood | Ed Wood is a 1994 film | about him')).toEqual({ title: 'Ed Wood', text: 'Ed Wood is a 1994 film | about him' });
    expect(listItem('plain item')).toEqual({ title: null, text: 'plain item' });
    expect(listItem(' | no title')).toEqual({ title: null, text: ' | no title' });
  });

  it('clamps texts over 240 characters or over three lines', () => {
    expect(isLongText('x'.repeat(240))).toBe(false);
    expect(isLongText('x'.repeat(241))).toBe(true);
    expect(isLongText('a\nb\nc')).toBe(false);
    expect(isLongText('a\nb\nc\nd')).toBe(true);
  });
});
