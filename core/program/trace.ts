// What a program run leaves behind: one PredictorCall per LM call, with everything needed to
// see exactly what the model was shown and what it said (rendered messages, raw completion).
// Traces are stored and shown as they are, so their shapes are the contract's.

export type { CallError, CallRequest, CheckValues, PredictorCall, ProgramTrace, RetrievalCall, RetrievedPassage } from '../contract/views/program.ts';
