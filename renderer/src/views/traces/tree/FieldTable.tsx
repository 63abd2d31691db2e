// Named fields (an example's inputs, a prediction, a demo) as a compact two-column table. Values
// are shown as plain text (never HTML): LM outputs may hold markup.
import type { ReactNode } from 'react';

type Value = string | number | boolean | null | readonly string[] | undefined;

export function fieldText(value: Value): string {
  if (value === null || value === undefined) return '∅';
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

export function FieldTable({ fields, empty = 'none', testId }: { fields: Readonly<Record<string, Value>> | null | undefined; empty?: ReactNode; testId?: string }) {
  const entries = fields ? Object.entries(fields) : [];
  if (entries.length === 0) return <div className="subtle field-empty">{empty}</div>;
  return (
    <table className="fields" data-testid={testId}>
      <tbody>
        {entries.map(([name, value]) => (
          <tr key={name}>
            <th className="mono">{name}</th>
            <td>
              <pre>{fieldText(value)}</pre>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const RATIONALE = /^(reasoning|rationale|thoughts?|explanation)$/i;

/** One line for list rows: `field: value · field: value`, answers before reasoning, whitespace collapsed. */
export function fieldsPreview(fields: Readonly<Record<string, Value>> | null | undefined, max = 200): string {
  if (!fields) return '';
  const entries = Object.entries(fields);
  const text = [...entries.filter(([k]) => !RATIONALE.test(k)), ...entries.filter(([k]) => RATIONALE.test(k))]
    .map(([k, v]) => `${k}: ${fieldText(v)}`)
    .join(' · ')
    .replace(/\s+/g, ' ');
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
