// The candidates of one Π stage as a sortable table; the winner marked, the selected row
// highlighted; per candidate, how many of its demo traces had a check (the user picks which) at 100%.
import { useState } from 'react';
import type { CandidateView, CheckInfo } from '../../api/types.ts';
import { pct } from '../../components/format.ts';
import { kindLabel, type SortKey, type SortState } from './candidate-model.ts';
import { defaultQualityCheck, demoQuality, measuredChecks } from './demo-quality.ts';

const COLUMNS: Array<{ key: SortKey; label: string; num?: boolean; title?: string }> = [
  { key: 'idx', label: '#', num: true },
  { key: 'kind', label: 'Kind' },
  { key: 'seed', label: 'Seed', num: true },
  { key: 'numDemos', label: 'Demos', num: true, title: 'demos over all predictors' },
  { key: 'score', label: 'Val score', num: true, title: 'mean validation score' },
];

export function CandidateTable({
  rows,
  sort,
  onSort,
  selectedId,
  onSelect,
  defs,
}: {
  rows: CandidateView[];
  defs: readonly CheckInfo[];
  sort: SortState;
  onSort(key: SortKey): void;
  selectedId: number | null;
  onSelect(c: CandidateView): void;
}) {
  const checks = measuredChecks(rows, defs);
  const finalModule = rows.find((c) => c.predictors.length > 0)?.predictors.at(-1)?.path ?? null;
  const [picked, setPicked] = useState<string | null>(null);
  const shown = checks.find((c) => c.name === picked) ?? checks.find((c) => c.name === defaultQualityCheck(checks, finalModule));
  return (
    <div className="table-scroll">
      <table className="data cand-table" data-testid="candidate-table">
        <thead>
          <tr>
            {COLUMNS.map((c) => (
              <th
                key={c.key}
                className={c.num ? 'sortable num' : 'sortable'}
                title={c.title}
                aria-sort={sort.key === c.key ? (sort.desc ? 'descending' : 'ascending') : 'none'}
                data-testid={`candidate-sort-${c.key}`}
                onClick={() => onSort(c.key)}
              >
                {c.label}
                {sort.key === c.key ? (sort.desc ? ' ▾' : ' ▴') : ''}
              </th>
            ))}
            <th className="num" title="validation examples (failed)">
              n
            </th>
            {shown ? (
              <th className="num cand-quality-head" title="how many of the traces the candidate's bootstrapped demos came from had this check at 100% (right for the right reason)">
                Demo traces at 100%
                <select value={shown.name} onChange={(e) => setPicked(e.target.value)} aria-label="check counted over the demo traces" data-testid="candidate-quality-pick">
                  {checks.map((c) => (
                    <option key={c.name} value={c.name}>
                      {c.label}
                    </option>
                  ))}
                </select>
              </th>
            ) : null}
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((c) => (
            <tr
              key={c.id}
              className={c.id === selectedId ? 'clickable selected' : 'clickable'}
              data-testid="candidate-row"
              data-candidate-idx={c.idx}
              data-winner={c.isBest || undefined}
              aria-selected={c.id === selectedId}
              onClick={() => onSelect(c)}
            >
              <td className="num mono">{c.idx}</td>
              <td>{kindLabel(c.kind)}</td>
              <td className="num mono">{c.seed}</td>
              <td className="num">{c.numDemos}</td>
              <td className="num">
                <b>{pct(c.score)}</b>
              </td>
              <td className="num subtle">
                {c.n ?? '—'}
                {c.errors ? <span className="cand-errors"> ({c.errors} failed)</span> : null}
              </td>
              {shown ? <DemoQualityCell c={c} check={shown.name} defs={defs} /> : null}
              <td>{c.isBest ? <span className="badge badge-winner">★ winner</span> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function DemoQualityCell({ c, check, defs }: { c: CandidateView; check: string; defs: readonly CheckInfo[] }) {
  const lines = demoQuality(c.demoChecks, defs);
  const line = lines.find((l) => l.name === check);
  if (!line) return <td className="num subtle" title={lines.length === 0 ? 'no bootstrapped demos' : 'not measured on its demo traces'}>—</td>;
  return (
    <td className="num" data-testid="candidate-row-quality" title={lines.map((l) => l.text).join('\n')}>
      {line.short}
    </td>
  );
}
