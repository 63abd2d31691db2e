// The intermediate checks of the compared strategies beside their scores: per table row, the
// score on the split and each check's mean ± 95% CI over seeds (percent), from each run's results.
// Shown only when a compared run's task has checks.
import { getClient } from '../../api/client.ts';
import type { CheckInfo, RunChecks } from '../../api/types.ts';
import { useApi } from '../../app/use-api.ts';
import { meanCi } from '../run/fmt.ts';
import type { TableModel } from './table-model.ts';

export function CheckComparison({ table, split, version }: { table: TableModel; split: string; version: unknown }) {
  const runIds = [...new Set(table.rows.map((r) => r.runId))];
  const key = runIds.join(',');
  const runs = useApi(
    () => Promise.all(runIds.map(async (runId) => [runId, (await getClient().getRun({ runId })).results.checks] as const)),
    [key, version], // runIds follow key
  );
  const checksOf = new Map<number, RunChecks | undefined>(runs.data ?? []);
  const defs = new Map<string, CheckInfo>();
  for (const c of checksOf.values()) for (const d of c?.definitions ?? []) if (!defs.has(d.name)) defs.set(d.name, d);
  if (defs.size === 0) return null;
  const columns = [...defs.values()];
  return (
    <section className="panel" data-testid="compare-checks" aria-label="Intermediate checks">
      <div className="row cmp-section-head">
        <h2>Intermediate checks on {split}</h2>
        <span className="subtle">mean ± 95% CI over seeds, % · beside the score on the final answer · hover a label for what it measures</span>
      </div>
      <div className="table-scroll">
        <table className="data check-table">
          <thead>
            <tr>
              {table.multiRun ? <th>Run</th> : null}
              <th>Strategy</th>
              <th className="num" title="the task's metric on the final answer">
                score
              </th>
              {columns.map((d) => (
                <th key={d.name} className="num" title={`${d.description} (module ${d.module})`}>
                  {d.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((r) => {
              const checkRow = checksOf.get(r.runId)?.rows.find((c) => c.strategy === r.strategy);
              const score = r.cells[split];
              return (
                <tr key={r.key} data-testid="compare-checks-row">
                  {table.multiRun ? <td className="mono">#{r.runId}</td> : null}
                  <td className="mono">
                    {r.label}
                    {r.isBaseline ? <span className="subtle"> (baseline)</span> : null}
                  </td>
                  <td className="num check-first">{score?.noPassingTraces && score.mean === null ? '—' : meanCi(score?.mean, score?.ci95)}</td>
                  {columns.map((d) => {
                    const cell = checkRow?.cells[split]?.[d.name];
                    return (
                      <td key={d.name} className="num">
                        {cell ? meanCi(cell.mean, cell.ci95) : <span className="subtle">n/a</span>}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
