// The live progress display of `tandem run`: one status line on stderr, redrawn in place on a
// terminal and printed at milestones otherwise (logs, CI). It only consumes RunEvents.
// When seeds run at once their events interleave: the status line then shows every running
// stage, milestone lines say which seed and stage they belong to, and the count of finished
// stages (not a stage's place in the plan) tells how far the run is.

import type { LMCallCounters, RunEvent } from '../runner/events.ts';
import { percent } from './format.ts';

export interface ProgressSink {
  isTTY: boolean;
  write(text: string): void;
}

interface ActiveStage {
  seed: number;
  /** `stage 2/24 seed 0: p` one seed at a time, `seed 0 p` with seeds at once. */
  headline: string;
  /** Prefix of this stage's milestone lines. */
  tag: string;
  detail: string;
}

export class ProgressView {
  /** Running stages by id, in start order. */
  private readonly active = new Map<number, ActiveStage>();
  private concurrent = false;
  private done = 0;
  private total = 0;
  private counters: LMCallCounters = { calls: 0, cacheHits: 0, errors: 0, parseFallbacks: 0, retries: 0 };
  private lastDraw = 0;
  private drawn = false;

  constructor(private readonly sink: ProgressSink) {}

  handle(event: RunEvent): void {
    switch (event.type) {
      case 'run-start': {
        this.concurrent = event.seedConcurrency > 1;
        const atOnce = this.concurrent ? ` (${event.seedConcurrency} at once)` : '';
        this.line(`${event.resumed ? 'resuming ' : ''}run ${event.runId}: ${event.task}, strategies ${event.strategies.map((s) => `"${s}"`).join(', ')}, seeds ${event.seeds.join(', ')}${atOnce}`);
        break;
      }
      case 'stage-start': {
        this.done = event.done;
        this.total = event.total;
        // A seed runs one stage at a time: its previous stage is over (one seed at a time: any).
        for (const [id, stage] of this.active) if (!this.concurrent || stage.seed === event.seed) this.active.delete(id);
        const name = event.kind === 'baseline' ? 'zero-shot baseline' : event.prefix;
        this.active.set(event.stageId, {
          seed: event.seed,
          headline: this.concurrent ? `seed ${event.seed} ${name}` : `stage ${event.index}/${event.total} seed ${event.seed}: ${name}`,
          tag: this.concurrent ? `  seed ${event.seed} ${name}: ` : '  ',
          detail: '',
        });
        this.line(`stage ${event.index}/${event.total} seed ${event.seed}: ${name}${this.concurrent ? ` (${event.done}/${event.total} done)` : ''}`);
        break;
      }
      case 'optimizer': {
        const e = event.event;
        if (e.type === 'candidate-start') this.setDetail(event.stageId, `candidate ${e.index + 1}/${e.total} (${e.kind})`);
        else if (e.type === 'bootstrap-progress') this.setDetail(event.stageId, `candidate ${(e.candidate ?? 0) + 1}: bootstrapping ${e.passed}/${e.wanted} demos, ${e.tried} tried`);
        else if (e.type === 'evaluation-progress') this.setDetail(event.stageId, `candidate ${(e.candidate ?? 0) + 1}: validating ${e.done}/${e.total}, score ${percent(e.score * 100)}`);
        else if (e.type === 'candidate-end') {
          this.line(
            `${this.tag(event.stageId)}candidate ${e.index + 1}/${e.total} ${e.kind.padEnd(9)} ${String(e.numDemos).padStart(2)} demos  val ${percent(e.score * 100).padStart(6)}${e.errors ? `  ${e.errors} errors` : ''}${e.bestIndex === e.index ? '  (best so far)' : ''}`,
          );
        }
        this.draw(false);
        break;
      }
      case 'evaluation-start':
        this.setDetail(event.stageId, `evaluating ${event.split} 0/${event.total}`);
        this.draw(true);
        break;
      case 'evaluation-progress':
        this.setDetail(event.stageId, `evaluating ${event.split} ${event.done}/${event.total}, score ${percent(event.score * 100)}${event.errors ? `, ${event.errors} errors` : ''}`);
        this.draw(false);
        break;
      case 'evaluation-end':
        this.line(`${this.tag(event.stageId)}${event.split.padEnd(5)} ${percent(event.score * 100).padStart(6)} of ${event.n}${event.errors ? ` (${event.errors} errors)` : ''}`);
        break;
      case 'stage-end':
        this.done = event.done;
        // One seed at a time the finished stage stays on the line until the next one starts.
        if (this.concurrent) this.active.delete(event.stageId);
        else this.setDetail(event.stageId, 'done');
        this.draw(true);
        break;
      case 'finetune': {
        const e = event.event;
        if (e.type === 'start') this.line(`${this.tag(event.stageId)}fine-tuning on ${e.rows} rows${e.steps ? `, ${e.steps} steps` : ''}`);
        else if (e.type === 'step') {
          this.setDetail(event.stageId, `fine-tuning step ${e.step}, loss ${e.loss.toFixed(4)}${e.etaS !== null ? `, eta ${Math.round(e.etaS)}s` : ''}`);
          this.draw(false);
        } else if (e.type === 'eval') this.line(`${this.tag(event.stageId)}validation loss ${e.validLoss.toFixed(4)}`);
        break;
      }
      case 'warning':
        this.line(`warning: ${event.message}`);
        break;
      case 'lm-counters':
        this.counters = event.counters;
        this.draw(false);
        break;
      case 'run-end':
        this.active.clear();
        this.clear();
        break;
    }
  }

  private setDetail(stageId: number, detail: string): void {
    const stage = this.active.get(stageId);
    if (stage) stage.detail = detail;
  }

  private tag(stageId: number): string {
    return this.active.get(stageId)?.tag ?? '  ';
  }

  /** The status line: every running stage with what it is doing, then the LM call counters. */
  status(): string {
    const c = this.counters;
    const faults = c.errors || c.retries ? `, ${c.retries} retries, ${c.errors} failed` : '';
    const stages = [...this.active.values()].map((s) => (s.detail ? `${s.headline}${this.concurrent ? ':' : ' |'} ${s.detail}` : s.headline));
    return [...(this.concurrent ? [`${this.done}/${this.total} done`] : []), ...stages, `LM calls ${c.calls} (${c.cacheHits} cached${faults})`].join(' | ');
  }

  private draw(force: boolean): void {
    if (!this.sink.isTTY) return;
    const now = Date.now();
    if (!force && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const width = process.stderr.columns ?? 120;
    this.sink.write(`\r\x1b[K${this.status().slice(0, width - 1)}`);
    this.drawn = true;
  }

  private clear(): void {
    if (this.drawn) this.sink.write('\r\x1b[K');
    this.drawn = false;
  }

  private line(text: string): void {
    this.clear();
    this.sink.write(`${text}\n`);
    this.draw(true);
  }
}
