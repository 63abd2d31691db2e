// Named fields (an example's inputs, a prediction, a demo) as a compact two-column table. Values
// are shown as plain text (never HTML): LM outputs may hold markup; a view may lay a value out
// its own way (`renderValue`, e.g. a demo's passages as a list).
import type { ReactNode } from 'react';
import { fieldText, type FieldValue, type Fields } from './fields.ts';

export function FieldTable({
  fields,
  empty = 'none',
  testId,
  renderValue,
}: {
  fields: Fields | null | undefined;
  empty?: ReactNode;
  testId?: string;
  renderValue?: (value: FieldValue) => ReactNode;
}) {
  const entries = fields ? Object.entries(fields) : [];
  if (entries.length === 0) return <div className="subtle field-empty">{empty}</div>;
  return (
    <table className="fields" data-testid={testId}>
      <tbody>
        {entries.map(([name, value]) => (
          <tr key={name}>
            <th className="mono">{name}</th>
            <td>{renderValue ? renderValue(value) : <pre>{fieldText(value)}</pre>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
