// The end of a trainer's output, bounded in lines and bytes, so a job record can keep it: a
// trainer that loops printing warnings must not grow the database without limit.

export const LOG_TAIL_LINES = 200;
export const LOG_TAIL_BYTES = 64 * 1024;
/** One line longer than this keeps its start and end with a marker in between. */
const MAX_LINE_CHARS = 8 * 1024;

export class LogTail {
  private readonly lines: string[] = [];
  private bytes = 0;

  constructor(
    private readonly maxLines = LOG_TAIL_LINES,
    private readonly maxBytes = LOG_TAIL_BYTES,
  ) {}

  push(line: string): void {
    const kept = line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS / 2)} … [${line.length - MAX_LINE_CHARS} characters cut] … ${line.slice(-MAX_LINE_CHARS / 2)}` : line;
    this.lines.push(kept);
    this.bytes += Buffer.byteLength(kept) + 1;
    while (this.lines.length > this.maxLines || (this.bytes > this.maxBytes && this.lines.length > 1)) {
      this.bytes -= Buffer.byteLength(this.lines.shift()!) + 1;
    }
  }

  get size(): number {
    return this.lines.length;
  }

  toLines(): string[] {
    return [...this.lines];
  }
}

/** The last lines as one text, within the same bounds (for output collected elsewhere). */
export function logTailText(lines: readonly string[]): string {
  const tail = new LogTail();
  for (const line of lines.slice(-LOG_TAIL_LINES)) tail.push(line);
  return tail.toLines().join('\n');
}
