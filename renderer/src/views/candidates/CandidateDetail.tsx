// The selected candidate: per predictor, its instructions diffed against the baseline candidate
// and its demos.
import type { CandidateView, PredictorView } from '../../api/types.ts';
import { hrefFor } from '../../app/router.ts';
import { pct } from '../../components/format.ts';
import { EmptyState } from '../../components/states.tsx';
import { WordDiff } from '../../components/WordDiff.tsx';
import { kindLabel } from './candidate-model.ts';
import { DemoCard } from './DemoCard.tsx';

function PredictorSection({ p, base, runId, isBaseline }: { p: PredictorView; base: PredictorView | undefined; runId: number; isBaseline: boolean }) {
  const before = base?.signature.instructions ?? '';
  const after = p.signature.instructions;
  const same = before === after;
  return (
    <section className="cand-predictor" data-testid="candidate-predictor">
      <h3>
        <span className="mono">{p.path}</span>{' '}
        <span className="subtle">
          ({p.signature.inputs.map((f) => f.name).join(', ')} → {p.signature.outputs.map((f) => f.name).join(', ')}){p.model ? ` · ${p.model}` : ''}
        </span>
      </h3>
      <div className="tt-section">
        Instructions
        <span className="subtle cand-diff-note">{isBaseline ? 'this is the baseline' : !base ? 'no baseline predictor' : same ? 'same as baseline' : 'diff against baseline'}</span>
      </div>
      <div data-testid="candidate-instructions">{isBaseline || same || !base ? <pre className="word-diff">{after}</pre> : <WordDiff before={before} after={after} />}</div>
      <div className="tt-section">
        Demos ({p.demos.length}){' '}
        <span className="subtle cand-diff-note">
          {p.demos.filter((d) => d.augmented).length} bootstrapped · {p.demos.filter((d) => !d.augmented).length} labeled
        </span>
      </div>
      {p.demos.length === 0 ? <div className="subtle field-empty">no demos (zero-shot)</div> : null}
      {p.demos.map((d, i) => (
        <DemoCard key={i} demo={d} n={i + 1} predictor={p} runId={runId} />
      ))}
    </section>
  );
}

export function CandidateDetail({ c, baseline, runId }: { c: CandidateView | undefined; baseline: CandidateView | undefined; runId: number }) {
  if (!c) return <EmptyState title="No candidate selected">Pick a row or a point.</EmptyState>;
  return (
    <div data-testid="candidate-detail" data-candidate-idx={c.idx}>
      <div className="row cand-detail-head">
        <h2>Candidate #{c.idx}</h2>
        {c.isBest ? <span className="badge badge-winner">★ winner</span> : null}
        <span className="subtle">
          {kindLabel(c.kind)} · seed {c.seed} · {c.numDemos} demos · val {pct(c.score)}
          {c.n !== null ? ` on ${c.n} examples` : ''}
          {c.errors ? ` · ${c.errors} failed` : ''}
        </span>
        <span className="spacer" />
        {c.evaluationId !== null ? (
          <a href={hrefFor('traces', { runId, params: { eval: c.evaluationId } })} data-testid="candidate-eval-link">
            validation results →
          </a>
        ) : null}
      </div>
      {c.predictors.length === 0 ? <div className="subtle">No program state was saved for this candidate.</div> : null}
      {c.predictors.map((p) => (
        <PredictorSection key={p.path} p={p} base={baseline?.predictors.find((b) => b.path === p.path)} runId={runId} isBaseline={baseline?.id === c.id} />
      ))}
    </div>
  );
}
