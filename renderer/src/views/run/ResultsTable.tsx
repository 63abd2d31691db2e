// The paper-style table: strategy × split, mean ± 95% CI over seeds (percent), "—" where a weight
// step had no passing traces, the best mean per split in bold, Δ against zero-shot.
import type { ResultRow } from '../../api/types.ts';
import { meanCi, pp } from './fmt.ts';

function bestPerSplit(rows: ResultRow[], splits: string[]): Map<string, number> {
  const best = new Map<string, number>();
  for (const split of splits) {
    for (const r of rows) {
      const m = r.cells[split]?.mean;
      if (m !== null && m !== undefined && m > (best.get(split) ?? -Infinity)) best.set(split, m);
    }
  }
  return best;
}

export function ResultsTable({ rows, splits, seeds }: { rows: ResultRow[]; splits: string[]; seeds: number[] }) {
  const best = bestPerSplit(rows, splits);
  const zero = rows.find((r) => r.strategy === '');
  return (
    <table className="data results-table" data-testid="results-table">
      <thead>
        <tr>
          <th>Strategy</th>
          {splits.map((s) => (
            <th key={s} className="num" colSpan={2}>
              {s} (mean ± 95% CI, {seeds.length} seed{seeds.length === 1 ? '' : 's'})
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.strategy} data-testid={`result-row-${r.strategy || 'zero-shot'}`}>
            <td className="mono">{r.label}</td>
            {splits.map((split) => {
              const cell = r.cells[split];
              const dash = cell?.noPassingTraces && cell.mean === null;
              const isBest = cell?.mean != null && cell.mean === best.get(split);
              const z = zero?.cells[split]?.mean;
              const delta = r.strategy !== '' && cell?.mean != null && z != null ? cell.mean - z : null;
              const perSeed = cell?.values.map((v, i) => `seed ${seeds[i] ?? i}: ${v === null ? '—' : pp(v)}`).join('\n');
              return [
                <td key={split} className={`num ${isBest ? 'best' : ''}`} title={perSeed}>
                  {dash ? '—' : cell?.mean == null ? <span className="subtle" title="not finished yet">…</span> : meanCi(cell.mean, cell.ci95)}
                  {cell?.noPassingTraces && !dash ? <sup title="some seeds had no passing traces for a weight step">†</sup> : null}
                </td>,
                <td key={`${split}-d`} className={`num delta ${delta === null ? '' : delta >= 0 ? 'up' : 'down'}`} title="Δ vs zero-shot, percent points">
                  {delta === null ? '' : `${delta >= 0 ? '+' : ''}${delta.toFixed(1)}`}
                </td>,
              ];
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
