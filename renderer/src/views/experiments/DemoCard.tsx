// First launch: one click runs Iris on the embedded demo model with a short strategy set, so a
// new user sees a live run at once. Without the demo model it says how to build it.
import { WORKBENCH_DEMO_DEFAULTS } from '../../../../core/contract/defaults.ts';
import { DEMO_STRATEGIES } from './strategies.ts';
import { DEMO_MODEL, type DemoModelState } from './demo-model.ts';

export function DemoCard({ demo, busy, error, onRun, onNew }: { demo: DemoModelState; busy: boolean; error: string | null; onRun(): void; onNew(): void }) {
  return (
    <section className="panel demo-card" data-testid="demo-card">
      <h2>Run the demo</h2>
      <p>
        Iris classification on the embedded demo model <code>{DEMO_MODEL}</code> (local engine), strategies <code>{DEMO_STRATEGIES}</code>, {WORKBENCH_DEMO_DEFAULTS.seeds} {WORKBENCH_DEMO_DEFAULTS.seeds === 1 ? 'seed' : 'seeds'}: prompt optimization, LoRA fine-tuning and both in
        sequence against the zero-shot program. Watch the strategy tree fill in live.
      </p>
      {demo === 'missing' ? (
        <div className="demo-missing" data-testid="demo-missing">
          <strong>The demo model is not installed.</strong> Build it once from the repository with <code>npm run train:demo-model</code>, then reload; or create an experiment on an
          OpenAI-compatible endpoint.
        </div>
      ) : null}
      {error ? (
        <div className="run-error" role="alert">
          {error}
        </div>
      ) : null}
      <div className="row">
        <button type="button" className="primary" onClick={onRun} disabled={busy || demo !== 'installed'} data-testid="demo-run">
          {busy ? 'Starting…' : 'Run the demo'}
        </button>
        <button type="button" onClick={onNew} data-testid="demo-new">
          New experiment…
        </button>
      </div>
    </section>
  );
}
