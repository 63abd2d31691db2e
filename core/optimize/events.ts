// Progress events emitted by optimizers. Library code never prints; front ends render these.

export type CandidateKind = 'zero-shot' | 'labeled' | 'bootstrap' | 'shuffled';

export type OptimizeEvent =
  | { type: 'bootstrap-progress'; candidate: number | null; tried: number; passed: number; total: number; wanted: number }
  | { type: 'candidate-start'; index: number; total: number; kind: CandidateKind; seed: number }
  | { type: 'evaluation-progress'; candidate: number | null; done: number; total: number; score: number; errors: number }
  | { type: 'candidate-end'; index: number; total: number; kind: CandidateKind; score: number; errors: number; numDemos: number; bestIndex: number; bestScore: number };
