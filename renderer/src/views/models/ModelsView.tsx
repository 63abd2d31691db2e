// Models and providers (#/models): the embedded demo model, the model library (embedded, local
// and pulled checkpoints), adding a local folder, pulling from the hub with live progress, and
// how OpenAI-compatible endpoints and their API keys are used (in the desktop app, the keys
// it stores), and the retrievers (the workspace's passage indexes).
import { useEffect, useMemo, useRef, useState } from 'react';
import { getClient } from '../../api/client.ts';
import { useCommands, type Command } from '../../app/commands.ts';
import { useApi } from '../../app/use-api.ts';
import { ErrorState, Loading } from '../../components/states.tsx';
import { AddModelForm } from './AddModelForm.tsx';
import { DemoModelPanel } from './DemoModelPanel.tsx';
import { EndpointsPanel } from './EndpointsPanel.tsx';
import { KeysPanel } from './KeysPanel.tsx';
import { ModelTable } from './ModelTable.tsx';
import { PullPanel } from './PullPanel.tsx';
import { RetrieversPanel } from './RetrieversPanel.tsx';
import { ensurePullSubscription, usePulls } from './pull-store.ts';

export function ModelsView() {
  useEffect(() => ensurePullSubscription(), []);
  const list = useApi(() => getClient().listModels({}), []);
  const [highlight, setHighlight] = useState<string | null>(null);
  // A pull that ended (finished, failed or cancelled) may have changed the library.
  const ended = usePulls((s) => s.endedCount);
  const { reload } = list;
  useEffect(() => {
    if (ended > 0) reload();
  }, [ended, reload]);

  const root = useRef<HTMLDivElement>(null);
  const focusField = (testid: string) => root.current?.querySelector<HTMLInputElement>(`[data-testid="${testid}"]`)?.focus();
  const commands = useMemo<Command[]>(
    () => [
      { id: 'models.reload', title: 'Reload the model list', group: 'Models', shortcut: 'r', run: reload },
      { id: 'models.add', title: 'Add a local checkpoint folder', group: 'Models', shortcut: 'a', run: () => focusField('models-add-path') },
      { id: 'models.pull', title: 'Pull a model from the hub', group: 'Models', shortcut: 'p', run: () => focusField('models-pull-repo') },
    ],
    [reload],
  );
  useCommands(commands);
  const secrets = typeof window !== 'undefined' ? window.tandem?.secrets : undefined; // the desktop app only

  return (
    <div data-testid="view-models" className="view-models" ref={root}>
      <div className="page-head">
        <div>
          <h1>Models and providers</h1>
          <div className="subtle">
            Checkpoints for the local engine, and OpenAI-compatible endpoints. <kbd>a</kbd> add a folder · <kbd>p</kbd> pull · <kbd>r</kbd> reload
          </div>
        </div>
        <span className="spacer" />
        <button type="button" onClick={reload} disabled={list.loading} data-testid="models-reload">
          {list.loading && list.data ? 'Reloading…' : 'Reload'}
        </button>
      </div>
      {list.error && !list.data ? (
        <ErrorState error={list.error} onRetry={reload} />
      ) : !list.data ? (
        <Loading label="Loading models…" />
      ) : (
        <>
          {list.error ? <ErrorState error={list.error} onRetry={reload} /> : null}
          <DemoModelPanel list={list.data} />
          <ModelTable list={list.data} highlight={highlight} />
        </>
      )}
      <div className="grid-2 mdl-actions">
        <AddModelForm
          onAdded={(name) => {
            setHighlight(name);
            reload();
          }}
        />
        <PullPanel />
      </div>
      <RetrieversPanel />
      <EndpointsPanel />
      {secrets ? <KeysPanel secrets={secrets} /> : null}
    </div>
  );
}
