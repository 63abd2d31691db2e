// Add a local checkpoint folder to the library (api.addModel). A path text field, since the
// web mode has no native file dialog. By default the library keeps a pointer to the folder;
// "copy" copies the checkpoint in, with progress from 'model-progress' (kind 'copy') events.
import { useMemo, useState, type FormEvent } from 'react';
import { getClient } from '../../api/client.ts';
import { ApiCallError } from '../../api/transport.ts';
import { ErrorState } from '../../components/states.tsx';
import { usePulls } from './pull-store.ts';
import { TransferBar } from './TransferBar.tsx';

export function AddModelForm({ onAdded }: { onAdded(name: string): void }) {
  const [path, setPath] = useState('');
  const [name, setName] = useState('');
  const [copy, setCopy] = useState(false);
  const [busySince, setBusySince] = useState<number | null>(null);
  const [error, setError] = useState<ApiCallError | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const ops = usePulls((s) => s.ops);
  // The copy this form started: the newest copy operation seen since it was submitted.
  const progress = useMemo(() => {
    if (busySince === null || !copy) return null;
    const mine = Object.values(ops).filter((o) => o.kind === 'copy' && o.startedAt >= busySince - 1000);
    return mine.sort((a, b) => b.operationId - a.operationId)[0]?.progress ?? null;
  }, [ops, busySince, copy]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusySince(Date.now());
    setError(null);
    setAdded(null);
    try {
      const entry = await getClient().addModel({ path: path.trim(), copy, ...(name.trim() ? { name: name.trim() } : {}) });
      setAdded(entry.name);
      setPath('');
      setName('');
      onAdded(entry.name);
    } catch (err) {
      setError(err instanceof ApiCallError ? err : new ApiCallError({ message: String(err) }));
    } finally {
      setBusySince(null);
    }
  };

  return (
    <section className="panel" data-testid="models-add">
      <h2>Add a local checkpoint</h2>
      <p className="subtle">
        A Hugging Face checkpoint folder on the machine running Tandem: <code>config.json</code>, <code>*.safetensors</code> and the tokenizer files. The path is read by the backend, so give it as that machine sees it.
      </p>
      <form className="mdl-form" onSubmit={submit}>
        <label className="mdl-grow">
          folder
          <input value={path} onChange={(e) => setPath(e.target.value)} placeholder="/data/checkpoints/Qwen2.5-0.5B-Instruct" required spellCheck={false} data-testid="models-add-path" />
        </label>
        <label>
          library name
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="folder's name" title="Default: the folder's name" spellCheck={false} className="mdl-narrow" data-testid="models-add-name" />
        </label>
        <label className="mdl-check" title="Copy the files into the library instead of keeping a pointer to the folder">
          <input type="checkbox" checked={copy} onChange={(e) => setCopy(e.target.checked)} data-testid="models-add-copy" />
          copy into the library
        </label>
        <button type="submit" className="primary" disabled={busySince !== null || !path.trim()} data-testid="models-add-submit">
          {busySince !== null ? (copy ? 'Copying…' : 'Adding…') : 'Add'}
        </button>
      </form>
      {busySince !== null && copy ? <TransferBar progress={progress} /> : null}
      {added ? (
        <p className="mdl-ok" role="status">
          Added <span className="mono">{added}</span> to the library.
        </p>
      ) : null}
      {error ? <ErrorState error={error} /> : null}
    </section>
  );
}
