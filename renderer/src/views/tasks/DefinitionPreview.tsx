// What a checked definition reads and sends: the first examples as the column mapping reads them
// (inputs, then the gold outputs), how many there are, each stage's fields, and the prompt the
// first stage sends for the first example. Everything is rendered as text.
import type { FieldValue, TaskDefinitionPreview } from '../../api/types.ts';

function show(value: FieldValue | undefined): string {
  if (value === undefined || value === null) return '';
  return Array.isArray(value) ? value.join(', ') : String(value);
}

export function DefinitionPreview({ preview }: { preview: TaskDefinitionPreview }) {
  const inputNames = Object.keys(preview.rows[0]?.inputs ?? {});
  const labelNames = [...new Set(preview.rows.flatMap((r) => Object.keys(r.labels)))];
  return (
    <section className="task-preview" data-testid="task-preview" aria-label="Preview">
      <h3>
        Preview <span className="subtle">first {preview.rows.length} of {preview.total} examples in</span> <span className="mono subtle">{preview.file}</span>
      </h3>
      <div className="table-scroll">
        <table className="data" data-testid="task-preview-rows">
          <thead>
            <tr>
              <th>id</th>
              {inputNames.map((n) => (
                <th key={`i-${n}`}>{n}</th>
              ))}
              {labelNames.map((n) => (
                <th key={`o-${n}`} className="task-gold" title="gold output">
                  {n}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((row) => (
              <tr key={row.id}>
                <td className="mono">{row.id}</td>
                {inputNames.map((n) => (
                  <td key={`i-${n}`}>{show(row.inputs[n])}</td>
                ))}
                {labelNames.map((n) => (
                  <td key={`o-${n}`} className="task-gold">
                    {show(row.labels[n])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="task-stages subtle" data-testid="task-preview-stages">
        {preview.stages.map((s) => (
          <div key={s.path}>
            <span className="mono">{s.name ?? s.path}</span> ({s.kind === 'chain-of-thought' ? 'chain of thought' : 'predict'}): {s.inputs.map((f) => f.name).join(', ')} → {s.kind === 'chain-of-thought' ? 'reasoning, ' : ''}
            {s.outputs.map((f) => f.name).join(', ')}
          </div>
        ))}
      </div>
      <h3>The first stage&apos;s prompt for the first example</h3>
      <div className="task-prompt" data-testid="task-preview-prompt">
        {preview.prompt.map((m, i) => (
          <div key={i} className="task-msg">
            <div className={`task-role task-role-${m.role}`}>{m.role}</div>
            <pre className="task-msg-text">{m.content}</pre>
          </div>
        ))}
      </div>
    </section>
  );
}
