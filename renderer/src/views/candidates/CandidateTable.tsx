// The candidates of one Π stage as a sortable table; the winner marked, the selected row highlighted.
import type { CandidateView } from '../../api/types.ts';
import { pct } from '../../components/format.ts';
import { kindLabel, type SortKey, type SortState } from './candidate-model.ts';

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
}: {
  rows: CandidateView[];
  sort: SortState;
  onSort(key: SortKey): void;
  selectedId: number | null;
  onSelect(c: CandidateView): void;
}) {
  return (
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
            <td>{c.isBest ? <span className="badge badge-winner">★ winner</span> : null}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
