// The paper-style table: strategies × splits, mean ± 95% CI over seeds (percent), "—" where a
// weight step had no passing traces, the best mean per column in bold, and the difference to the
// baseline of the same run beside each score. Per-seed values are in each cell's tooltip.
import { useState } from 'react';
import { cellText, isBest, toCsv, toMarkdown, type TableModel, type TableRow } from './table-model.ts';
import { copyText, downloadText } from '../../components/download.ts';

function seedTitle(row: TableRow, split: string): string {
  const cell = row.cells[split];
  if (!cell) return 'not evaluated on this split';
  const per = row.seeds.map((seed, i) => `seed ${seed}: ${cell.values[i] === null || cell.values[i] === undefined ? '—' : cell.values[i]!.toFixed(1)}`);
  const dash = cell.noPassingTraces ? '\n— : a weight step of this chain had no passing traces on some seed' : '';
  return `${per.join('\n')}${dash}`;
}

function Delta({ row, split }: { row: TableRow; split: string }) {
  const mean = row.cells[split]?.mean;
  const base = row.baselineMeans[split];
  // An empty slot of the same width keeps the scores of every row aligned.
  if (row.isBaseline || mean === null || mean === undefined || base === null || base === undefined) return <span className="cmp-delta" aria-hidden="true" />;
  const d = mean - base;
  const cls = d > 0.05 ? 'cmp-delta up' : d < -0.05 ? 'cmp-delta down' : 'cmp-delta';
  return <span className={cls}>{`${d >= 0 ? '+' : '−'}${Math.abs(d).toFixed(1)}`}</span>;
}

export function ResultsTable({ model, filenameStem }: { model: TableModel; filenameStem: string }) {
  const [copied, setCopied] = useState<string | null>(null);
  const copy = () => {
    copyText(toMarkdown(model)).then(
      () => setCopied('Copied'),
      (e: unknown) => setCopied(e instanceof Error ? e.message : 'Copy failed'),
    );
    setTimeout(() => setCopied(null), 2000);
  };
  return (
    <section className="panel" data-testid="compare-table">
      <div className="row cmp-section-head">
        <h2>Results</h2>
        <span className="subtle">mean ± 95% CI over seeds, % · Δ vs the baseline of the same run · hover a cell for per-seed scores</span>
        <span className="spacer" />
        <button type="button" onClick={copy} data-testid="compare-copy-markdown" title="Copy the table as Markdown (also in the command palette)">
          Copy as Markdown
        </button>
        <button type="button" onClick={() => downloadText(`${filenameStem}.csv`, toCsv(model))} data-testid="compare-download-csv" title="Download the table as CSV, one row per strategy and split, with per-seed scores">
          Download CSV
        </button>
        {copied ? (
          <span className="subtle" role="status">
            {copied}
          </span>
        ) : null}
      </div>
      <table className="data cmp-table">
        {/* Full width: the strategy column takes what the score columns (equal shares) leave. */}
        <colgroup>
          {model.multiRun ? <col style={{ width: '16%' }} /> : null}
          <col />
          {model.splits.map((s) => (
            <col key={s} style={{ width: `${Math.floor((model.multiRun ? 52 : 60) / Math.max(1, model.splits.length))}%` }} />
          ))}
        </colgroup>
        <thead>
          <tr>
            {model.multiRun ? <th>Run</th> : null}
            <th>Strategy</th>
            {model.splits.map((s) => (
              <th key={s} className="num">
                {s}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {model.rows.map((r) => (
            <tr key={r.key} data-testid="compare-table-row" data-strategy={r.strategy} className={r.isBaseline ? 'cmp-baseline-row' : undefined}>
              {model.multiRun ? <td className="mono">#{r.runId} {r.task}</td> : null}
              <td>
                <span className="mono">{r.label}</span>
                {r.isBaseline ? <span className="badge cmp-badge-baseline">baseline</span> : null}
              </td>
              {model.splits.map((s) => {
                const cell = r.cells[s];
                const best = isBest(model, s, cell);
                return (
                  <td key={s} className={best ? 'num cmp-best' : 'num'} title={seedTitle(r, s)} data-testid={`compare-cell-${s}`}>
                    {best ? <strong>{cellText(cell)}</strong> : cellText(cell)}
                    {cell?.noPassingTraces && cell.mean !== null ? <sup title="some seeds: a weight step had no passing traces">†</sup> : null}
                    <Delta row={r} split={s} />
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
