// HotPotQA's intermediate checks: how many of the question's gold paragraphs (the titles of its
// supporting facts) the retrievals had found after hop 1 and after hop 2. The paper keeps a
// trace when its final answer is right and assumes its steps were good; recall after hop 2 = 1
// is "right for the right reason" (both gold paragraphs in the context), below it the answer
// came without the evidence. Answer F1 is reported beside exact match the same way.

import type { IntermediateCheck } from '../evaluate/intermediate-check.ts';
import { answerF1 } from '../evaluate/metrics/answer-match.ts';
import type { Example } from '../program/example.ts';
import type { ProgramTrace } from '../program/trace.ts';

/** The label holding the gold paragraphs' titles. */
export const GOLD_TITLES = 'gold_titles';

function goldTitles(example: Example): string[] {
  const value = example.labels[GOLD_TITLES];
  return Array.isArray(value) ? [...new Set(value as readonly string[])] : [];
}

/** Share of gold titles among the passages of the trace's first `hops` retrievals; null when those did not all run. */
export function recallAfterHops(trace: ProgramTrace, example: Example, hops: number): number | null {
  const gold = goldTitles(example);
  if (gold.length === 0) return null;
  const retrievals = (trace.retrievals ?? []).filter((r) => r.error === null).slice(0, hops);
  if (retrievals.length < hops) return null;
  const found = new Set(retrievals.flatMap((r) => r.passages.map((p) => p.title)));
  return gold.filter((title) => found.has(title)).length / gold.length;
}

export const HOTPOTQA_CHECKS: readonly IntermediateCheck[] = [
  {
    name: 'recall_hop1',
    label: 'recall@hop1',
    module: 'generate_query[0]',
    description: "Share of the question's gold paragraphs among the passages retrieved for hop 1's query.",
    measure: (trace, example) => recallAfterHops(trace, example, 1),
  },
  {
    name: 'recall_hop2',
    label: 'recall@hop2',
    module: 'generate_query[1]',
    description: "Share of the question's gold paragraphs in the context after both hops (1 = both found).",
    measure: (trace, example) => recallAfterHops(trace, example, 2),
  },
  {
    name: 'answer_f1',
    label: 'F1',
    module: 'generate_answer',
    description: 'Token F1 of the answer against the gold answer, after the same normalization as exact match.',
    measure: (trace, example) => {
      const predicted = trace.prediction?.answer;
      if (predicted === undefined) return trace.error ? 0 : null;
      return answerF1(predicted, String(example.labels.answer ?? ''));
    },
  },
];
