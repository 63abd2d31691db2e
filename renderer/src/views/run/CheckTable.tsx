// "Intermediate quality": per strategy and split, the run's score beside each of the task's
// intermediate checks (mean ± 95% CI over seeds, percent), so a strategy whose answers improved
// can be told apart from one whose intermediate steps (e.g. retrieval) improved too.
import type { ResultRow, RunChecks } from '../../api/types.ts';
import { meanCi, pp } from './fmt.ts';

function perSeed(values: Array<number | null>, seeds: number[]): string {
  return values.map((v, i) => `seed ${seeds[i] ?? i}: ${v === null ? '—' : pp(v)}`).join('\n');
}

export function CheckTable({ checks, rows, splits, seeds }: { checks: RunChecks; rows: ResultRow[]; splits: string[]; seeds: number[] }) {
  const defs = checks.definitions;
  const scoreOf = new Map(rows.map((r) => [r.strategy, r]));
  return (
    <div className="table-scroll">
      <table className="data check-table" data-testid="check-table">
        <thead>
          <tr>
            <th rowSpan={2}>Strategy</th>
            {splits.map((s) => (
              <th key={s} colSpan={defs.length + 1} className="check-split">
                {s}
              </th>
            ))}
          </tr>
          <tr>
            {splits.flatMap((s) => [
              <th key={`${s}-score`} className="num check-first" title="the task's metric on the final answer (as in Results)">
                score
              </th>,
              ...defs.map((d) => (
                <th key={`${s}-${d.name}`} className="num" title={`${d.description} (module ${d.module})`} data-testid={`check-head-${d.name}`}>
                  {d.label}
                </th>
              )),
            ])}
          </tr>
        </thead>
        <tbody>
          {checks.rows.map((r) => {
            const score = scoreOf.get(r.strategy);
            return (
              <tr key={r.strategy} data-testid={`check-row-${r.strategy || 'zero-shot'}`}>
                <td className="mono">{r.label}</td>
                {splits.flatMap((split) => {
                  const sc = score?.cells[split];
                  return [
                    <td key={`${split}-score`} className="num check-first" title={sc ? perSeed(sc.values, seeds) : undefined}>
                      {sc?.noPassingTraces && sc.mean === null ? '—' : meanCi(sc?.mean, sc?.ci95)}
                    </td>,
                    ...defs.map((d) => {
                      const cell = r.cells[split]?.[d.name];
                      return (
                        <td key={`${split}-${d.name}`} className="num" title={cell ? `${d.label}\n${perSeed(cell.values, seeds)}` : undefined}>
                          {meanCi(cell?.mean, cell?.ci95)}
                        </td>
                      );
                    }),
                  ];
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
