// Turns the byte counts of a pull into throttled PullProgress reports with a recent speed.

import type { PullProgress } from './pull-events.ts';

/** Measures progress and turns byte counts into throttled PullProgress reports. */
export class ProgressMeter {
  private readonly fileBytes = new Map<string, number>();
  private readonly samples: Array<[number, number]> = [];
  private transferred = 0;
  private lastReport = 0;
  private overallTotal = 0;
  private filesTotal = 0;
  filesDone = 0;

  constructor(
    private readonly intervalMs: number,
    private readonly report: ((progress: PullProgress) => void) | undefined,
  ) {}

  setTotals(bytes: number, files: number): void {
    this.overallTotal = bytes;
    this.filesTotal = files;
  }

  bytes(file: string, bytesDone: number, bytesTotal: number | null, transferred: number, force = false): void {
    this.fileBytes.set(file, bytesDone);
    this.transferred += transferred;
    const now = Date.now();
    if (!this.report || (!force && now - this.lastReport < this.intervalMs)) return;
    this.lastReport = now;
    this.samples.push([now, this.transferred]);
    while (this.samples.length > 2 && now - this.samples[0]![0] > 3000) this.samples.shift();
    const [t0, b0] = this.samples[0]!;
    const speed = now > t0 ? ((this.transferred - b0) * 1000) / (now - t0) : 0;
    let overallDone = 0;
    for (const b of this.fileBytes.values()) overallDone += b;
    this.report({ file, bytesDone, bytesTotal, overallDone, overallTotal: Math.max(this.overallTotal, overallDone), speed, filesDone: this.filesDone, filesTotal: this.filesTotal });
  }
}
