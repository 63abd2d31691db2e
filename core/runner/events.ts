// Events a run emits. The CLI draws a progress line from them; the API translates them for the
// workbench (core/api/event-translation.ts). Seeds run concurrently, so one seed's events
// interleave with another's: everything below a stage carries its stageId, and stage events say
// which seed they belong to.
//
// The run-level vocabulary (run, stage and evaluation progress, warnings, counters) is the
// contract's; what happens inside a step is reported in the optimizers' and fine-tuners' own
// events, which the API boundary translates.

import type { LMCallCounters, RunProgressEvent } from '../contract/events.ts';
import type { FinetuneEvent } from '../finetune/finetuner.ts';
import type { OptimizeEvent } from '../optimize/events.ts';

export type { Split } from '../contract/views/spec.ts';
export type { LMCallCounters };

export type RunEvent =
  | Exclude<RunProgressEvent, { type: 'optimizer' | 'finetune' }>
  | { type: 'optimizer'; stageId: number; event: OptimizeEvent }
  | { type: 'finetune'; stageId: number; event: FinetuneEvent };
