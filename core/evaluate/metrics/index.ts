export * from './label.ts';
export * from './exact-match.ts';
export * from './gsm8k-integer.ts';
export * from './species-match.ts';
export { answerExactMatch, answerF1, AnswerExactMatch, AnswerF1, type AnswerMetricOptions } from './answer-match.ts';
