// One demo of a predictor: its fields split into the signature's inputs and outputs (lists such
// as retrieved passages numbered, long texts clamped); a bootstrapped demo links to the trace it
// was taken from and shows that trace's intermediate checks (✓ at 100%, ✗ below).
import type { CheckInfo, DemoView, PredictorView } from '../../api/types.ts';
import { hrefFor } from '../../app/router.ts';
import { FieldTable } from '../traces/tree/FieldTable.tsx';
import { sourceCheckBadges } from './demo-quality.ts';
import { FieldValueView } from './FieldValueView.tsx';

const renderValue = (value: Parameters<typeof FieldValueView>[0]['value']) => <FieldValueView value={value} />;

function SourceChecks({ demo, defs }: { demo: DemoView; defs: readonly CheckInfo[] }) {
  const badges = sourceCheckBadges(demo.sourceChecks, defs);
  if (badges.length === 0) return null;
  return (
    <span className="cand-demo-checks" data-testid="demo-source-checks" aria-label="checks of the trace this demo came from">
      {badges.map((b) => (
        <span key={b.name} className={`tt-check ${b.full ? 'tt-check-full' : b.zero ? 'tt-check-zero' : ''}`} title={b.title} data-testid={`demo-check-${b.name}`}>
          <span className="tt-check-label">{b.label}</span> <b>{b.value}</b>
          {b.mark ? ` ${b.mark}` : ''}
        </span>
      ))}
    </span>
  );
}

export function DemoCard({ demo, n, predictor, runId, defs }: { demo: DemoView; n: number; predictor: PredictorView; runId: number; defs: readonly CheckInfo[] }) {
  const outputNames = new Set(predictor.signature.outputs.map((f) => f.name));
  const inputs = Object.fromEntries(Object.entries(demo.fields).filter(([k]) => !outputNames.has(k)));
  const outputs = Object.fromEntries(Object.entries(demo.fields).filter(([k]) => outputNames.has(k)));
  return (
    <div className="cand-demo" data-testid="candidate-demo">
      <div className="row cand-demo-head">
        <b>demo {n}</b>
        <span className={demo.augmented ? 'badge badge-running' : 'badge'}>{demo.augmented ? 'bootstrapped' : 'labeled'}</span>
        <SourceChecks demo={demo} defs={defs} />
        <span className="mono subtle">{demo.exampleId ?? '(no example id)'}</span>
        <span className="spacer" />
        {demo.sourceTraceId !== null ? (
          <a href={hrefFor('traces', { runId, params: { trace: demo.sourceTraceId } })} data-testid="demo-trace-link">
            trace #{demo.sourceTraceId} →
          </a>
        ) : demo.augmented ? (
          <span className="subtle">trace not saved</span>
        ) : null}
      </div>
      <div className="cand-demo-fields">
        <div>
          <div className="tt-section">Inputs</div>
          <FieldTable fields={inputs} renderValue={renderValue} />
        </div>
        <div>
          <div className="tt-section">Outputs</div>
          <FieldTable fields={outputs} empty="no output fields" renderValue={renderValue} />
        </div>
      </div>
    </div>
  );
}
