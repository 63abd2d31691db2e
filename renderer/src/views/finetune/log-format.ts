// The trainer's output, read client-side: its JSON progress lines (tandem_engine train and
// compatible trainers print {"event": "start" | "step" | "eval" | "done", …}) shown as one compact
// line each, e.g. `step 3/10 · loss 6.0813 · lr 8.0e-4`; anything else stays verbatim.
import { duration } from '../../components/format.ts';

type Json = Record<string, unknown>;

/** The line's JSON object, or null for plain text (and for JSON that is not an object). */
export function parseJsonLine(line: string): Json | null {
  const t = line.trim();
  if (!t.startsWith('{') || !t.endsWith('}')) return null;
  try {
    const v: unknown = JSON.parse(t);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null;
  } catch {
    return null;
  }
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** A number as a researcher reads it: small rates in exponent form, losses to 4 places. */
export function compactNumber(v: number, key = ''): string {
  if (Number.isInteger(v)) return String(v);
  if (Math.abs(v) < 1e-2) return v.toExponential(1);
  if (/loss/.test(key)) return v.toFixed(4);
  return Math.abs(v) >= 100 ? String(Math.round(v)) : String(Number(v.toPrecision(4)));
}

function value(v: unknown, key: string): string {
  if (typeof v === 'number') return compactNumber(v, key);
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) return 'none';
  return JSON.stringify(v);
}

const skippedText = (v: unknown) =>
  v && typeof v === 'object' && Object.keys(v).length
    ? ` · skipped ${Object.entries(v)
        .map(([k, n]) => `${k} ${value(n, k)}`)
        .join(', ')}`
    : '';

/** Keys a known event's own format already shows (the rest are appended as `key value`). */
const SHOWN: Record<string, readonly string[]> = {
  step: ['event', 'step', 'total_steps', 'epoch', 'loss', 'lr', 'tokens_per_s', 'eta_s'],
  eval: ['event', 'epoch', 'step', 'valid_loss'],
  start: ['event', 'train_rows', 'valid_rows', 'total_steps', 'epochs', 'skipped', 'valid_skipped', 'base'],
  done: ['event', 'steps', 'final_loss', 'valid_loss', 'train_rows', 'skipped', 'tokens', 'tokens_per_s', 'seconds', 'adapter_dir'],
};

function rest(m: Json, event: string): string[] {
  const shown = SHOWN[event] ?? ['event'];
  return Object.entries(m)
    .filter(([k, v]) => !shown.includes(k) && v !== null && v !== undefined)
    .map(([k, v]) => `${k} ${value(v, k)}`);
}

/** One JSON progress line in a few words; null when the line is not JSON. */
export function formatJsonLine(m: Json): string {
  const event = typeof m.event === 'string' ? m.event : '';
  const parts: string[] = [];
  const n = (k: string) => num(m[k]);
  if (event === 'step' || (!event && n('loss') !== null)) {
    const step = n('step');
    const total = n('total_steps');
    if (step !== null) parts.push(`step ${step}${total !== null ? `/${total}` : ''}`);
    if (n('epoch') !== null) parts.push(`epoch ${compactNumber(n('epoch')!)}`);
    if (n('loss') !== null) parts.push(`loss ${n('loss')!.toFixed(4)}`);
    if (n('lr') !== null) parts.push(`lr ${n('lr')!.toExponential(1)}`);
    if (n('tokens_per_s') !== null) parts.push(`${Math.round(n('tokens_per_s')!)} tok/s`);
    if (n('eta_s') !== null) parts.push(`ETA ${duration(n('eta_s')! * 1000)}`);
    return [...parts, ...rest(m, 'step')].join(' · ');
  }
  if (event === 'eval') {
    parts.push('eval');
    if (n('epoch') !== null) parts.push(`epoch ${compactNumber(n('epoch')!)}`);
    if (n('step') !== null) parts.push(`step ${n('step')}`);
    if (n('valid_loss') !== null) parts.push(`valid loss ${n('valid_loss')!.toFixed(4)}`);
    return [...parts, ...rest(m, 'eval')].join(' · ');
  }
  if (event === 'start') {
    parts.push('start');
    if (n('train_rows') !== null) parts.push(`${n('train_rows')} train rows`);
    if (n('valid_rows')) parts.push(`${n('valid_rows')} valid rows`);
    if (n('total_steps') !== null) parts.push(`${n('total_steps')} steps`);
    if (n('epochs') !== null) parts.push(`${n('epochs')} epoch${n('epochs') === 1 ? '' : 's'}`);
    return [...parts, ...rest(m, 'start')].join(' · ') + skippedText(m.skipped) + (typeof m.base === 'string' ? ` · base ${m.base}` : '');
  }
  if (event === 'done') {
    parts.push('done');
    if (n('steps') !== null) parts.push(`${n('steps')} steps`);
    if (n('final_loss') !== null) parts.push(`final loss ${n('final_loss')!.toFixed(4)}`);
    if (n('valid_loss') !== null) parts.push(`valid loss ${n('valid_loss')!.toFixed(4)}`);
    if (n('train_rows') !== null) parts.push(`${n('train_rows')} train rows`);
    if (n('tokens_per_s') !== null) parts.push(`${Math.round(n('tokens_per_s')!)} tok/s`);
    if (n('seconds') !== null) parts.push(duration(n('seconds')! * 1000));
    return [...parts, ...rest(m, 'done')].join(' · ') + skippedText(m.skipped) + (typeof m.adapter_dir === 'string' ? ` · adapter ${m.adapter_dir}` : '');
  }
  return [event || 'json', ...rest(m, event)].join(' · ');
}

export interface LogLine {
  text: string;
  /** The line as the trainer printed it, when `text` is its compact form. */
  raw: string | null;
}

export function formatLogLines(lines: readonly string[]): LogLine[] {
  return lines.map((line) => {
    const m = parseJsonLine(line);
    return m ? { text: formatJsonLine(m), raw: line } : { text: line, raw: null };
  });
}

/**
 * Rows the trainer says it trained on, from its "start" (or "done") event in the output tail; null
 * when neither is there (an external trainer that prints no such line, or a tail that lost it).
 */
export function trainRowsFromLog(logTail: string | null | undefined): number | null {
  if (!logTail) return null;
  let found: number | null = null;
  for (const line of logTail.split('\n')) {
    const m = parseJsonLine(line);
    const rows = m && (m.event === 'start' || m.event === 'done') ? num(m.train_rows) : null;
    if (rows !== null) found = rows;
  }
  return found;
}
