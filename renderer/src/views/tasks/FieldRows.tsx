// A list of input or output fields in the task form: each field's name, the dataset column it
// reads (empty: the column of its own name) and its description for the prompt.
import { EMPTY_FIELD, type FieldRow } from './task-form-state.ts';

export function FieldRows({ role, rows, onChange }: { role: 'input' | 'output'; rows: FieldRow[]; onChange(rows: FieldRow[]): void }) {
  const set = (i: number, patch: Partial<FieldRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <div className="task-fields" data-testid={`task-${role}s`}>
      <div className="task-field-head" aria-hidden="true">
        <span>name</span>
        <span>dataset column</span>
        <span>description (shown to the LM)</span>
      </div>
      {rows.map((row, i) => (
        <div key={i} className="task-field-row">
          <input className="mono" value={row.name} onChange={(e) => set(i, { name: e.target.value })} placeholder="field name" aria-label={`${role} ${i + 1} name`} data-testid={`task-${role}-${i}-name`} />
          <input className="mono" value={row.column} onChange={(e) => set(i, { column: e.target.value })} placeholder={row.name.trim() || 'column'} aria-label={`${role} ${i + 1} column`} title="the dataset column (CSV header or JSONL key) it reads; empty: the field's own name" data-testid={`task-${role}-${i}-column`} />
          <input value={row.description} onChange={(e) => set(i, { description: e.target.value })} placeholder="what it holds (shown to the LM)" aria-label={`${role} ${i + 1} description`} className="task-field-desc" data-testid={`task-${role}-${i}-description`} />
          <button type="button" className="ghost" onClick={() => onChange(rows.filter((_, j) => j !== i))} disabled={rows.length <= 1} aria-label={`remove ${role} ${i + 1}`} title="remove">
            ✕
          </button>
        </div>
      ))}
      <button type="button" className="ghost" onClick={() => onChange([...rows, { ...EMPTY_FIELD }])} data-testid={`task-add-${role}`}>
        + {role}
      </button>
    </div>
  );
}
