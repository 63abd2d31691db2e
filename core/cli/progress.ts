// The live progress display of `tandem run`: one status line on stderr, redrawn in place on a
// terminal and printed at milestones otherwise (logs, CI). It only consumes RunEvents.

import type { LMCallCounters, RunEvent } from '../runner/events.ts';
import { percent } from './format.ts';

export interface ProgressSink {
  isTTY: boolean;
  write(text: string): void;
}

export class ProgressView {
  private stage = '';
  private detail = '';
  private counters: LMCallCounters = { calls: 0, cacheHits: 0, errors: 0, parseFallbacks: 0, retries: 0 };
  private lastDraw = 0;
  private drawn = false;

  constructor(private readonly sink: ProgressSink) {}

  handle(event: RunEvent): void {
    switch (event.type) {
      case 'run-start':
        this.line(`${event.resumed ? 'resuming ' : ''}run ${event.runId}: ${event.task}, strategies ${event.strategies.map((s) => `"${s}"`).join(', ')}, seeds ${event.seeds.join(', ')}`);
        break;
      case 'stage-start':
        this.stage = `stage ${event.index}/${event.total} seed ${event.seed}: ${event.kind === 'baseline' ? 'zero-shot baseline' : event.prefix}`;
        this.detail = '';
        this.line(this.stage);
        break;
      case 'optimizer': {
        const e = event.event;
        if (e.type === 'candidate-start') this.detail = `candidate ${e.index + 1}/${e.total} (${e.kind})`;
        else if (e.type === 'bootstrap-progress') this.detail = `candidate ${(e.candidate ?? 0) + 1}: bootstrapping ${e.passed}/${e.wanted} demos, ${e.tried} tried`;
        else if (e.type === 'evaluation-progress') this.detail = `candidate ${(e.candidate ?? 0) + 1}: validating ${e.done}/${e.total}, score ${percent(e.score * 100)}`;
        else if (e.type === 'candidate-end') {
          this.line(`  candidate ${e.index + 1}/${e.total} ${e.kind.padEnd(9)} ${String(e.numDemos).padStart(2)} demos  val ${percent(e.score * 100).padStart(6)}${e.errors ? `  ${e.errors} errors` : ''}${e.bestIndex === e.index ? '  (best so far)' : ''}`);
        }
        this.draw(false);
        break;
      }
      case 'evaluation-start':
        this.detail = `evaluating ${event.split} 0/${event.total}`;
        this.draw(true);
        break;
      case 'evaluation-progress':
        this.detail = `evaluating ${event.split} ${event.done}/${event.total}, score ${percent(event.score * 100)}${event.errors ? `, ${event.errors} errors` : ''}`;
        this.draw(false);
        break;
      case 'evaluation-end':
        this.line(`  ${event.split.padEnd(5)} ${percent(event.score * 100).padStart(6)} of ${event.n}${event.errors ? ` (${event.errors} errors)` : ''}`);
        break;
      case 'stage-end':
        this.detail = 'done';
        break;
      case 'finetune': {
        const e = event.event;
        if (e.type === 'start') this.line(`  fine-tuning on ${e.rows} rows${e.steps ? `, ${e.steps} steps` : ''}`);
        else if (e.type === 'step') {
          this.detail = `fine-tuning step ${e.step}, loss ${e.loss.toFixed(4)}${e.etaS !== null ? `, eta ${Math.round(e.etaS)}s` : ''}`;
          this.draw(false);
        } else if (e.type === 'eval') this.line(`  validation loss ${e.validLoss.toFixed(4)}`);
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
        this.clear();
        break;
    }
  }

  private status(): string {
    const c = this.counters;
    const faults = c.errors || c.retries ? `, ${c.retries} retries, ${c.errors} failed` : '';
    return `${this.stage}${this.detail ? ` | ${this.detail}` : ''} | LM calls ${c.calls} (${c.cacheHits} cached${faults})`;
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
