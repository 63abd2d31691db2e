// One demo of a predictor: its fields split into the signature's inputs and outputs; a
// bootstrapped demo links to the trace it was taken from.
import type { DemoView, PredictorView } from '../../api/types.ts';
import { hrefFor } from '../../app/router.ts';
import { FieldTable } from '../traces/tree/FieldTable.tsx';

export function DemoCard({ demo, n, predictor, runId }: { demo: DemoView; n: number; predictor: PredictorView; runId: number }) {
  const outputNames = new Set(predictor.signature.outputs.map((f) => f.name));
  const inputs = Object.fromEntries(Object.entries(demo.fields).filter(([k]) => !outputNames.has(k)));
  const outputs = Object.fromEntries(Object.entries(demo.fields).filter(([k]) => outputNames.has(k)));
  return (
    <div className="cand-demo" data-testid="candidate-demo">
      <div className="row cand-demo-head">
        <b>demo {n}</b>
        <span className={demo.augmented ? 'badge badge-running' : 'badge'}>{demo.augmented ? 'bootstrapped' : 'labeled'}</span>
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
          <FieldTable fields={inputs} />
        </div>
        <div>
          <div className="tt-section">Outputs</div>
          <FieldTable fields={outputs} empty="no output fields" />
        </div>
      </div>
    </div>
  );
}
