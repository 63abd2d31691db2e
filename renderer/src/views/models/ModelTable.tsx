// The model library: embedded, local (pointer or copy) and pulled checkpoints with architecture,
// parameter count, size on disk and dtype; an entry with a problem says what is wrong.
import type { ModelList } from '../../api/types.ts';
import { bytes } from '../../components/format.ts';
import { EmptyState } from '../../components/states.tsx';

type Entry = ModelList['models'][number];

/** 135M, 1.5B: the usual way to name model sizes. */
export function paramCount(n: number | null): string {
  if (n === null) return '—';
  if (n >= 1e9) return `${(n / 1e9).toFixed(n >= 1e10 ? 0 : 1)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e8 ? 0 : 1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(0)}K`;
  return String(n);
}

function origin(m: Entry): string {
  if (m.source === 'pulled') return `${m.repo ?? '?'}@${m.revision ?? 'main'}${m.sha ? ` (${m.sha.slice(0, 10)})` : ''}`;
  if (m.source === 'local') return m.linked ? 'pointer to the folder' : 'copied into the library';
  return 'shipped with Tandem';
}

export function ModelTable({ list, highlight }: { list: ModelList; highlight: string | null }) {
  return (
    <section className="panel" data-testid="models-library">
      <div className="row">
        <h2>Model library</h2>
        <span className="subtle mono" title="the library folder ($TANDEM_MODELS, else models/ beside the workspace database)">
          {list.dir}
        </span>
      </div>
      {list.models.length === 0 ? (
        <EmptyState title="No models yet">Add a checkpoint folder or pull one from the hub below. Models here run on the local engine (experiment LM provider “local”).</EmptyState>
      ) : (
        <table className="data mdl-table">
          <thead>
            <tr>
              <th>name</th>
              <th>source</th>
              <th>architecture</th>
              <th className="num">params</th>
              <th className="num">size</th>
              <th>dtype</th>
              <th>chat</th>
              <th>origin / path</th>
            </tr>
          </thead>
          <tbody>
            {list.models.map((m) => (
              <tr key={`${m.source}|${m.name}`} data-testid="models-row" data-model={m.name} className={m.name === highlight ? 'selected' : undefined}>
                <td className="mono">
                  <strong>{m.name}</strong>
                </td>
                <td>
                  <span className={`badge mdl-source-${m.source}`}>{m.source}</span>
                  {m.linked ? <span className="badge mdl-linked" title="the library points at the folder; moving it breaks the entry">linked</span> : null}
                </td>
                <td className="mono">{m.architecture ?? '—'}</td>
                <td className="num">{paramCount(m.parameters)}</td>
                <td className="num">{bytes(m.sizeBytes)}</td>
                <td className="mono">{m.dtype ?? '—'}</td>
                <td title={m.hasChatTemplate ? 'has a chat template' : 'no chat template: prompts are rendered with a plain fallback'}>{m.hasChatTemplate ? '✓' : '—'}</td>
                <td>
                  <div className="subtle">{origin(m)}</div>
                  <div className="mono mdl-path" title={m.path}>
                    {m.path}
                  </div>
                  {m.problem ? (
                    <div className="mdl-error" data-testid="models-row-problem">
                      ⚠ {m.problem}
                    </div>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
