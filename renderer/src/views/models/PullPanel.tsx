// Pull a checkpoint from a Hugging Face Hub repo (api.pullModel) into the library, in the
// background: live progress from 'model-progress' events, notable steps from 'model-pull-event',
// the end from 'model-pull-end'; Cancel calls api.cancelPull (downloaded files are kept, so the
// next pull of the same repo resumes).
import { useMemo, useState, type FormEvent } from 'react';
import { getClient } from '../../api/client.ts';
import { ApiCallError } from '../../api/transport.ts';
import { ErrorState } from '../../components/states.tsx';
import { startPull, usePulls, type Operation } from './pull-store.ts';
import { TransferBar } from './TransferBar.tsx';

export function PullPanel() {
  const [repo, setRepo] = useState('');
  const [revision, setRevision] = useState('');
  const [name, setName] = useState('');
  const [endpoint, setEndpoint] = useState('');
  const [include, setInclude] = useState('');
  const [allowUnverified, setAllowUnverified] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiCallError | null>(null);
  const all = usePulls((s) => s.ops);
  // Derived outside the selector: zustand 5 needs a selector to return a stable reference.
  const ops = useMemo(() => Object.values(all).filter((o) => o.kind === 'pull').sort((a, b) => b.operationId - a.operationId), [all]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const globs = include.split(',').map((s) => s.trim()).filter(Boolean);
      await startPull({
        repo: repo.trim(),
        ...(revision.trim() ? { revision: revision.trim() } : {}),
        ...(name.trim() ? { name: name.trim() } : {}),
        ...(endpoint.trim() ? { endpoint: endpoint.trim() } : {}),
        ...(globs.length ? { include: globs } : {}),
        ...(allowUnverified ? { allowUnverified: true } : {}),
      });
      setRepo('');
      setName('');
    } catch (err) {
      setError(err instanceof ApiCallError ? err : new ApiCallError({ message: String(err) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" data-testid="models-pull">
      <h2>Pull from the Hugging Face Hub</h2>
      <p className="subtle">
        Downloads config, tokenizer and <code>*.safetensors</code> of a repo into the library, checking sizes and hashes; an interrupted pull resumes. Gated or private repos need <code>HF_TOKEN</code> in the
        environment of the Tandem process, which sends it only to the default hub or the <code>HF_ENDPOINT</code> set there (a hub typed below gets no token).
      </p>
      <form className="mdl-form" onSubmit={submit}>
        <label>
          repo
          <input value={repo} onChange={(e) => setRepo(e.target.value)} placeholder="HuggingFaceTB/SmolLM2-135M-Instruct" required spellCheck={false} data-testid="models-pull-repo" />
        </label>
        <label>
          revision
          <input value={revision} onChange={(e) => setRevision(e.target.value)} placeholder="main" spellCheck={false} className="mdl-narrow" data-testid="models-pull-revision" />
        </label>
        <label>
          library name
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="from the repo" spellCheck={false} className="mdl-narrow" data-testid="models-pull-name" />
        </label>
        <details className="mdl-advanced">
          <summary>advanced</summary>
          <div className="mdl-advanced-fields">
            <label>
              hub endpoint
              <input value={endpoint} onChange={(e) => setEndpoint(e.target.value)} placeholder="$HF_ENDPOINT or https://huggingface.co" spellCheck={false} data-testid="models-pull-endpoint" />
            </label>
            <label>
              files (globs, comma-separated)
              <input value={include} onChange={(e) => setInclude(e.target.value)} placeholder="the checkpoint defaults" spellCheck={false} data-testid="models-pull-include" />
            </label>
            <label className="mdl-check">
              <input type="checkbox" checked={allowUnverified} onChange={(e) => setAllowUnverified(e.target.checked)} data-testid="models-pull-allow-unverified" />
              take files the hub declares no hash for (their bytes cannot be verified)
            </label>
          </div>
        </details>
        <button type="submit" className="primary" disabled={busy || !repo.trim()} data-testid="models-pull-start">
          {busy ? 'Starting…' : 'Pull'}
        </button>
      </form>
      {error ? <ErrorState error={error} /> : null}
      {ops.length ? (
        <ul className="mdl-ops" data-testid="models-pull-ops">
          {ops.map((op) => (
            <PullOp key={op.operationId} op={op} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function PullOp({ op }: { op: Operation }) {
  const [cancelError, setCancelError] = useState<string | null>(null);
  const again = async () => {
    if (!op.input) return;
    setCancelError(null);
    try {
      await startPull({ ...op.input, ...(op.name ? { name: op.name } : {}) });
      usePulls.getState().dismiss(op.operationId);
    } catch (err) {
      setCancelError(err instanceof Error ? err.message : String(err));
    }
  };
  const cancel = async () => {
    usePulls.getState().setCancelling(op.operationId, true);
    setCancelError(null);
    try {
      await getClient().cancelPull({ operationId: op.operationId });
    } catch (err) {
      usePulls.getState().setCancelling(op.operationId, false);
      setCancelError(err instanceof Error ? err.message : String(err));
    }
  };
  const badge = op.status === 'running' ? 'badge-running' : op.status === 'finished' ? 'badge-finished' : op.status === 'failed' ? 'badge-failed' : 'badge-cancelled';
  return (
    <li className="mdl-op" data-testid="models-pull-op" data-status={op.status}>
      <div className="row">
        <span className={`badge ${badge}`}>{op.cancelling ? 'cancelling' : op.status}</span>
        <span className="mono">{op.repo ?? '(repo)'}</span>
        <span className="subtle">→ {op.name || '…'}</span>
        <span className="subtle">#{op.operationId}</span>
        <span className="mdl-spacer" />
        {op.status === 'running' ? (
          <button type="button" className="danger" onClick={cancel} disabled={op.cancelling} data-testid="models-pull-cancel">
            Cancel
          </button>
        ) : (
          <>
            {op.input && op.status !== 'finished' ? (
              <button type="button" onClick={again} data-testid="models-pull-again" title="Pull again: files already downloaded are kept and checked, not fetched again">
                {op.status === 'cancelled' ? 'Resume' : 'Retry'}
              </button>
            ) : null}
            <button type="button" className="ghost" onClick={() => usePulls.getState().dismiss(op.operationId)} data-testid="models-pull-dismiss">
              Dismiss
            </button>
          </>
        )}
      </div>
      {op.status === 'running' ? <TransferBar progress={op.progress} /> : null}
      {op.status === 'cancelled' ? <p className="subtle">Cancelled; the files downloaded so far are kept, and a new pull of this repo continues from them.</p> : null}
      {op.status === 'finished' ? (
        <p className="mdl-ok">
          In the library as <span className="mono">{op.name}</span>.
        </p>
      ) : null}
      {op.error ? <p className="mdl-error mono">{op.error}</p> : null}
      {cancelError ? <p className="mdl-error mono">{cancelError}</p> : null}
      {op.log.length ? (
        <details className="mdl-log" open={op.status !== 'finished'}>
          <summary className="subtle">{op.log.length} steps</summary>
          <pre>{op.log.slice(-12).join('\n')}</pre>
        </details>
      ) : null}
    </li>
  );
}
