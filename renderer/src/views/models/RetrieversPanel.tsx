// Retrievers (#/models): the workspace's BM25 passage indexes (name an experiment uses as
// `bm25:<name>`, passages, size on disk, when built, the corpus it came from), index files that
// cannot be read with their problem, the command that builds one, and how a ColBERTv2 server is
// named instead. Everything shown comes from the API's listRetrievers.
import { getClient } from '../../api/client.ts';
import type { RetrieverList } from '../../api/types.ts';
import { useApi } from '../../app/use-api.ts';
import { bytes, count, when } from '../../components/format.ts';
import { EmptyState, ErrorState, Loading } from '../../components/states.tsx';

function IndexTable({ list }: { list: RetrieverList }) {
  return (
    <table className="data mdl-table" data-testid="retriever-indexes">
      <thead>
        <tr>
          <th>index</th>
          <th title="how an experiment names it">retriever</th>
          <th className="num">passages</th>
          <th className="num">size</th>
          <th>built</th>
          <th>corpus</th>
        </tr>
      </thead>
      <tbody>
        {list.indexes.map((i) => (
          <tr key={i.name} data-testid={`retriever-index-${i.name}`}>
            <td className="mono" title={i.file}>
              {i.name}
            </td>
            <td className="mono">bm25:{i.name}</td>
            <td className="num">{count(i.passages)}</td>
            <td className="num">{bytes(i.sizeBytes)}</td>
            <td>{when(i.builtAt)}</td>
            <td className="mono mdl-path" title={i.source ?? undefined}>
              {i.source ?? <span className="subtle">not recorded</span>}
            </td>
          </tr>
        ))}
        {list.problems.map((p) => (
          <tr key={`problem-${p.name}`} data-testid={`retriever-problem-${p.name}`}>
            <td className="mono" title={p.file}>
              {p.name}
            </td>
            <td colSpan={5}>
              <span className="badge badge-error">cannot be read</span> <span className="mdl-error">{p.problem}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function RetrieversPanel() {
  const state = useApi(() => getClient().listRetrievers({}), []);
  const list = state.data;
  let body;
  if (state.error && !list) body = <ErrorState error={state.error} onRetry={state.reload} />;
  else if (!list) body = <Loading label="Loading passage indexes…" />;
  else if (list.indexes.length === 0 && list.problems.length === 0) body = <EmptyState title="No passage indexes yet">Build one with the command below; it appears here once built.</EmptyState>;
  else body = <IndexTable list={list} />;
  return (
    <section className="panel" data-testid="models-retrievers" aria-label="Retrievers">
      <div className="row">
        <h2>Retrievers</h2>
        {list?.dir ? (
          <span className="subtle mono" title="the workspace's passage indexes: indexes/ beside the workspace database">
            {list.dir}
          </span>
        ) : null}
        <span className="mdl-spacer" />
        <button type="button" onClick={state.reload} disabled={state.loading} data-testid="retrievers-reload">
          Reload
        </button>
      </div>
      {body}
      {list ? (
        <ul className="mdl-notes">
          <li>
            Build a BM25 index from a JSONL corpus (one <code>{'{"id"?, "title", "text"}'}</code> per line): <code data-testid="retrievers-build-command">{list.buildCommand}</code>
          </li>
          <li>
            An experiment names its retriever as <span data-testid="retrievers-spec-forms">{list.specForms.map((f, i) => [i > 0 ? ' or ' : '', <code key={f}>{f}</code>])}</span>: an index listed here, or a ColBERTv2 server. Servers are
            not stored in the workspace; each experiment gives its server's URL.
          </li>
        </ul>
      ) : null}
    </section>
  );
}
