// The embedded demo model (tandem-demo, shipped under resources/models): whether this build has
// it, what it is for, and how to build it when it is missing.
import type { ModelList } from '../../api/types.ts';
import { bytes } from '../../components/format.ts';
import { paramCount } from './ModelTable.tsx';

export const DEMO_MODEL_NAME = 'tandem-demo';

export function DemoModelPanel({ list }: { list: ModelList }) {
  const demo = list.models.find((m) => m.source === 'embedded' && m.name === DEMO_MODEL_NAME);
  const usable = demo && !demo.problem;
  return (
    <section className="panel" data-testid="models-demo" data-present={usable ? 'true' : 'false'}>
      <div className="row">
        <h2>Embedded demo model</h2>
        <span className={usable ? 'badge badge-finished' : 'badge badge-cancelled'} data-testid="models-demo-status">
          {usable ? 'present' : demo ? 'unusable' : 'not built'}
        </span>
      </div>
      {usable ? (
        <p>
          <span className="mono">{DEMO_MODEL_NAME}</span> · {demo.architecture ?? 'unknown architecture'} · {paramCount(demo.parameters)} parameters · {bytes(demo.sizeBytes)}. A tiny model trained from scratch on synthetic tasks rendered by Tandem's chat adapter, so the workbench works
          offline: it is the default LM of a new experiment (provider “local”) when <code>TANDEM_MODEL</code> is not set, and <code>npx tandem demo</code> runs the paper's eight strategies on it.
        </p>
      ) : (
        <>
          <p>
            {demo?.problem ? (
              <>
                It is listed but cannot be used: <span className="mdl-error">{demo.problem}</span>.{' '}
              </>
            ) : (
              <>This build has no <span className="mono">{DEMO_MODEL_NAME}</span> under <span className="mono">resources/models/</span>. </>
            )}
            Without it a new experiment needs an explicit LM: a model of the library on the local engine, or an OpenAI-compatible endpoint (below).
          </p>
          <p className="subtle">Build it from a source checkout (about 2 h on one CPU core, resumable: rerun after a stop):</p>
          <pre className="mdl-cmd">npm run train:demo-model</pre>
        </>
      )}
    </section>
  );
}
