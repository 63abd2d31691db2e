// One retrieval of a trace: a summary line (module path, query, retriever, k, latency, cache,
// attempts, error, how many gold passages) that opens to the full query and the passages in rank
// order. A passage whose title is one of the example's gold supporting titles is marked with a
// "gold" badge (text, not colour alone). Long passage texts start clamped to a few lines.
import { useState } from 'react';
import { ms } from './tree-model.ts';
import type { TraceRetrieval } from './execution-order.ts';

/** Texts longer than this start clamped, with a toggle. */
const CLAMP_CHARS = 240;

function Passage({ rank, passage, gold }: { rank: number; passage: TraceRetrieval['passages'][number]; gold: boolean }) {
  const long = passage.text.length > CLAMP_CHARS;
  const [full, setFull] = useState(false);
  return (
    <li className={gold ? 'tt-passage tt-passage-gold' : 'tt-passage'} data-testid="trace-passage" data-gold={gold || undefined}>
      <div className="tt-passage-head">
        <span className="tt-rank" title="rank">
          {rank}.
        </span>
        <span className="tt-passage-title">{passage.title}</span>
        {gold ? (
          <span className="badge badge-gold" data-testid="trace-passage-gold" title="one of the example's gold supporting paragraphs (labels.gold_titles)">
            ★ gold
          </span>
        ) : null}
        <span className="tt-metric" title="the retriever's score (higher is better; scales differ by backend)">
          score {passage.score.toFixed(2)}
        </span>
        {passage.id !== passage.title ? (
          <span className="tt-metric mono tt-passage-id" title={`passage id ${passage.id}`}>
            {passage.id}
          </span>
        ) : null}
      </div>
      <div className={long && !full ? 'tt-passage-text tt-clamp' : 'tt-passage-text'}>{passage.text}</div>
      {long ? (
        <button type="button" className="tt-more" aria-expanded={full} onClick={() => setFull((f) => !f)}>
          {full ? 'show less' : 'show all'}
        </button>
      ) : null}
    </li>
  );
}

export function RetrievalNode({ retrieval, gold, open, dim }: { retrieval: TraceRetrieval; gold: ReadonlySet<string>; open: boolean; dim: boolean }) {
  const goldFound = retrieval.passages.filter((p) => gold.has(p.title.trim())).length;
  return (
    <details className={dim ? 'tt-node tt-retrieval tt-dim' : 'tt-node tt-retrieval'} open={open} data-testid="trace-retrieval">
      <summary>
        <span className="tt-kind tt-kind-retrieval">retrieval</span>
        <span className="mono tt-path">{retrieval.module}</span>
        <span className="tt-query" title={retrieval.query}>
          “{retrieval.query}”
        </span>
        <span className="tt-metric mono" title={`backend ${retrieval.backend}`}>
          {retrieval.retriever}
        </span>
        <span className="tt-metric">k {retrieval.k}</span>
        <span className="tt-metric">{ms(retrieval.latencyMs)}</span>
        {retrieval.cached ? <span className="badge badge-cache">cache hit</span> : null}
        {retrieval.attempts > 1 ? <span className="badge badge-skipped">{retrieval.attempts} attempts</span> : null}
        {retrieval.error ? <span className="badge badge-error">{retrieval.error.kind}</span> : null}
        {gold.size > 0 ? (
          <span className="tt-metric" data-testid="trace-retrieval-gold" title="passages whose title is one of the example's gold supporting titles">
            {goldFound} of {gold.size} gold found
          </span>
        ) : null}
      </summary>
      <div className="tt-body">
        {retrieval.error ? (
          <div className="tt-error" data-testid="trace-retrieval-error">
            <b>{retrieval.error.kind}</b>: <span className="mono">{retrieval.error.message}</span>
          </div>
        ) : null}
        <div className="tt-section">Query</div>
        <pre className="tt-query-full">{retrieval.query}</pre>
        <div className="tt-section">
          Passages ({retrieval.passages.length} of k = {retrieval.k})
        </div>
        {retrieval.passages.length === 0 ? (
          <div className="subtle">no passages</div>
        ) : (
          <ol className="tt-passages">
            {retrieval.passages.map((p, i) => (
              <Passage key={`${p.id}:${i}`} rank={i + 1} passage={p} gold={gold.has(p.title.trim())} />
            ))}
          </ol>
        )}
      </div>
    </details>
  );
}
