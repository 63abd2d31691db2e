// Experiments: the list (live: refreshed on experiment and run status events), the New
// experiment form (n, or ?new=1) and, on first launch, the one-click demo.
import { useCallback, useMemo, useState } from 'react';
import { WORKBENCH_DEMO_DEFAULTS } from '../../../../core/contract/defaults.ts';
import { getClient } from '../../api/client.ts';
import type { ApiEvent } from '../../api/types.ts';
import { useCommands, type Command } from '../../app/commands.ts';
import { hrefFor, replaceParams, useRouter } from '../../app/router.ts';
import { useApi, useApiEvents, useThrottled } from '../../app/use-api.ts';
import { EmptyState, ErrorState, Loading } from '../../components/states.tsx';
import { DemoCard } from './DemoCard.tsx';
import { DEMO_MODEL, demoModelState } from './demo-model.ts';
import { ExperimentTable } from './ExperimentTable.tsx';
import { NewExperimentForm } from './NewExperimentForm.tsx';

export function ExperimentsView() {
  const navigate = useRouter((s) => s.navigate);
  const showForm = useRouter((s) => s.route.params.get('new') === '1');
  // A saved task's "New experiment" (Tasks view) opens the form with its file as the task.
  const presetTaskFile = useRouter((s) => s.route.params.get('taskFile'));
  const experiments = useApi(() => getClient().listExperiments({}), []);
  const tasks = useApi(() => getClient().listTasks({}), []);
  // The model list tells whether the demo model is there; a failure only hides that hint.
  const models = useApi(() => getClient().listModels({}), []);
  const demo = demoModelState(models.data);
  const [busyId, setBusyId] = useState<number | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [demoBusy, setDemoBusy] = useState(false);

  const reload = useThrottled(experiments.reload, 300);
  useApiEvents((e: ApiEvent) => {
    if (e.type === 'experiment-created' || e.type === 'experiment-deleted' || e.type === 'run-status') reload();
  });

  const setForm = useCallback((open: boolean) => replaceParams({ new: open ? '1' : null, taskFile: null }), []);

  const runDemo = useCallback(async () => {
    setDemoBusy(true);
    setActionError(null);
    try {
      const x = await getClient().createExperiment({ name: 'Demo: iris on the embedded model', task: WORKBENCH_DEMO_DEFAULTS.task, strategies: WORKBENCH_DEMO_DEFAULTS.strategies, seeds: WORKBENCH_DEMO_DEFAULTS.seeds, lm: { provider: 'local', model: DEMO_MODEL } });
      const { runId } = await getClient().startRun({ experimentId: x.id });
      navigate(hrefFor('run', { runId }));
    } catch (error) {
      setActionError(`The demo could not start: ${(error as Error).message}`);
    } finally {
      setDemoBusy(false);
    }
  }, [navigate]);

  const actions = useMemo(
    () => ({
      busyId,
      start: async (experimentId: number) => {
        setBusyId(experimentId);
        setActionError(null);
        try {
          const { runId } = await getClient().startRun({ experimentId });
          navigate(hrefFor('run', { runId }));
        } catch (error) {
          setActionError(`Experiment #${experimentId} could not start: ${(error as Error).message}`);
        } finally {
          setBusyId(null);
        }
      },
      remove: async (experimentId: number) => {
        setBusyId(experimentId);
        setActionError(null);
        try {
          await getClient().deleteExperiment({ experimentId });
          experiments.reload();
        } catch (error) {
          setActionError(`Experiment #${experimentId} was not deleted: ${(error as Error).message}`);
        } finally {
          setBusyId(null);
        }
      },
    }),
    [busyId, navigate, experiments],
  );

  const commands = useMemo<Command[]>(
    () => [
      { id: 'experiments.new', title: 'New experiment', group: 'Experiments', shortcut: 'n', run: () => setForm(true) },
      { id: 'experiments.demo', title: 'Run the demo (iris, embedded model)', group: 'Experiments', run: () => void runDemo() },
      { id: 'experiments.reload', title: 'Reload experiments', group: 'Experiments', shortcut: 'r', run: () => experiments.reload() },
    ],
    [setForm, runDemo, experiments],
  );
  useCommands(commands);

  const list = experiments.data;
  return (
    <div data-testid="view-experiments" className="exp-view">
      <div className="page-head">
        <div>
          <h1>Experiments</h1>
          <div className="subtle">A task, strategies and seeds on one LM; each run fills the strategy tree. Click a row for its latest run.</div>
        </div>
        <span className="spacer" />
        {!showForm ? (
          <button type="button" className="primary" onClick={() => setForm(true)} data-testid="new-experiment" title="New experiment (n)">
            New experiment <kbd>n</kbd>
          </button>
        ) : null}
      </div>
      {actionError ? (
        <div className="run-error" role="alert" data-testid="experiments-action-error">
          {actionError}
        </div>
      ) : null}
      {showForm ? (
        tasks.data ? (
          <NewExperimentForm
            tasks={tasks.data}
            demo={demo}
            taskFile={presetTaskFile}
            onCancel={() => setForm(false)}
            onDone={({ runId }) => {
              if (runId !== null) navigate(hrefFor('run', { runId }));
              else setForm(false);
            }}
          />
        ) : tasks.error ? (
          <ErrorState error={tasks.error} onRetry={tasks.reload} />
        ) : (
          <Loading label="Loading tasks…" />
        )
      ) : null}
      {!list ? (
        experiments.error ? (
          <ErrorState error={experiments.error} onRetry={experiments.reload} />
        ) : (
          <Loading label="Loading experiments…" />
        )
      ) : list.length === 0 ? (
        showForm ? (
          <EmptyState title="No experiments yet" />
        ) : (
          <DemoCard demo={demo} busy={demoBusy} error={null} onRun={() => void runDemo()} onNew={() => setForm(true)} />
        )
      ) : (
        <div className="panel">
          {experiments.error ? <ErrorState error={experiments.error} onRetry={experiments.reload} /> : null}
          <ExperimentTable experiments={list} actions={{ ...actions, start: (id) => void actions.start(id), remove: (id) => void actions.remove(id) }} />
        </div>
      )}
    </div>
  );
}
