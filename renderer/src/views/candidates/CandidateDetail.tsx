// The selected candidate: the quality of the traces its bootstrapped demos came from (per check,
// the mean and how many were at 100%), and per predictor its instructions diffed against the
// baseline candidate and its demos.
import type { CandidateView, CheckInfo, PredictorView } from '../../api/types.ts';
import { hrefFor } from '../../app/router.ts';
import { pct } from '../../components/format.ts';
import { EmptyState } from '../../components/states.tsx';
import { WordDiff } from '../../components/WordDiff.tsx';
import { kindLabel } from './candidate-model.ts';
import { DemoCard } from './DemoCard.tsx';
import { demoQuality } from './demo-quality.ts';

/** "Demo traces: recall@hop2 75% · 1 of 2 demo traces at 100%", one line per check, the description as its tooltip. */
function DemoSetQuality({ c, defs }: { c: CandidateView; defs: readonly CheckInfo[] }) {
  const lines = demoQuality(c.demoChecks, defs);
  if (lines.length === 0) return null;
  return (
    <div className="cand-quality" data-testid="candidate-demo-quality">
      <span className="subtle" title="the task's intermediate checks on the passing traces this candidate's bootstrapped demos were taken from">
        Demo-set quality:
      </span>
      {lines.map((l) => (
        <span key={l.name} className={`tt-check ${l.full === l.n ? 'tt-check-full' : l.full === 0 ? 'tt-check-zero' : ''}`} title={l.description ?? l.name} data-testid={`candidate-demo-quality-${l.name}`}>
          {l.text}
        </span>
      ))}
    </div>
  );
}

function PredictorSection({ p, base, runId, isBaseline, defs }: { p: PredictorView; base: PredictorView | undefined; runId: number; isBaseline: boolean; defs: readonly CheckInfo[] }) {
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
        <DemoCard key={i} demo={d} n={i + 1} predictor={p} runId={runId} defs={defs} />
      ))}
    </section>
  );
}

export function CandidateDetail({ c, baseline, runId, defs }: { c: CandidateView | undefined; baseline: CandidateView | undefined; runId: number; defs: readonly CheckInfo[] }) {
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
      <DemoSetQuality c={c} defs={defs} />
      {c.predictors.length === 0 ? <div className="subtle">No program state was saved for this candidate.</div> : null}
      {c.predictors.map((p) => (
        <PredictorSection key={p.path} p={p} base={baseline?.predictors.find((b) => b.path === p.path)} runId={runId} isBaseline={baseline?.id === c.id} defs={defs} />
      ))}
    </div>
  );
}
