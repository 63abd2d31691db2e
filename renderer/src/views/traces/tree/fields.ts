// Field values as plain text (never HTML: LM outputs may hold markup): one value, a one-line
// preview of named fields for list rows, and the gold label of a row.

export type FieldValue = string | number | boolean | null | readonly string[] | undefined;
export type Fields = Readonly<Record<string, FieldValue>>;

export function fieldText(value: FieldValue): string {
  if (value === null || value === undefined) return '∅';
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

const RATIONALE = /^(reasoning|rationale|thoughts?|explanation)$/i;

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** One line for list rows: `field: value · field: value`, answers before reasoning, whitespace collapsed. */
export function fieldsPreview(fields: Fields | null | undefined, max = 200): string {
  if (!fields) return '';
  const entries = Object.entries(fields);
  const text = [...entries.filter(([k]) => !RATIONALE.test(k)), ...entries.filter(([k]) => RATIONALE.test(k))]
    .map(([k, v]) => `${k}: ${fieldText(v)}`)
    .join(' · ');
  return clip(text, max);
}

/**
 * The gold label for a list row: `gold: setosa` for one label field (the prediction next to it
 * names the field), `gold: a: 1 · b: 2` for several; null when the row has no labels. Given the
 * row's prediction, only the labels it predicts are shown when there are such (HotPotQA's
 * `answer`, not its `gold_titles`, which the trace shows on the passages).
 */
export function goldPreview(labels: Fields | null | undefined, max = 60, prediction?: Fields | null): string | null {
  if (!labels) return null;
  const all = Object.entries(labels);
  const predicted = prediction ? all.filter(([k]) => k in prediction) : [];
  const entries = predicted.length > 0 ? predicted : all;
  if (entries.length === 0) return null;
  const [only] = entries;
  const text = entries.length === 1 && only ? fieldText(only[1]) : entries.map(([k, v]) => `${k}: ${fieldText(v)}`).join(' · ');
  return `gold: ${clip(text, max)}`;
}
