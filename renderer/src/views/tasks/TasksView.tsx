// Tasks (#/tasks): the no-code task definitions saved in the workspace, and the New task form
// (?new=1) that builds, checks, previews and saves one. A saved task starts a New experiment.
import { useCallback } from 'react';
import { getClient } from '../../api/client.ts';
import { hrefFor, replaceParams, useRouter } from '../../app/router.ts';
import { useApi } from '../../app/use-api.ts';
import { EmptyState, ErrorState, Loading } from '../../components/states.tsx';
import { SavedTasks } from './SavedTasks.tsx';
import { TaskForm } from './TaskForm.tsx';
import './tasks.css';

export function TasksView() {
  const navigate = useRouter((s) => s.navigate);
  const showForm = useRouter((s) => s.route.params.get('new') === '1');
  const state = useApi(() => getClient().listTaskDefinitions({}), []);
  const setForm = useCallback((open: boolean) => replaceParams({ new: open ? '1' : null }), []);
  const newExperiment = useCallback((file: string) => navigate(hrefFor('experiments', { params: { new: '1', taskFile: file } })), [navigate]);
  const list = state.data;

  let body;
  if (state.error && !list) body = <ErrorState error={state.error} onRetry={state.reload} />;
  else if (!list) body = <Loading label="Loading saved tasks…" />;
  else if (list.tasks.length === 0) body = <EmptyState title="No saved tasks yet">Define one with New task: a CSV or JSONL file, its fields and a metric.</EmptyState>;
  else body = <SavedTasks list={list} onNewExperiment={newExperiment} />;

  return (
    <div data-testid="view-tasks" className="task-view">
      <div className="page-head">
        <div>
          <h1>Tasks</h1>
          <div className="subtle">
            Your own tasks without code: a dataset, its fields, a module and a metric, saved as YAML in the workspace{list?.dir ? <span className="mono"> ({list.dir})</span> : null}. Tasks written in TypeScript are run by their path (see docs/TASKS.md).
          </div>
        </div>
        <span className="spacer" />
        {!showForm ? (
          <button type="button" className="primary" onClick={() => setForm(true)} data-testid="new-task">
            New task
          </button>
        ) : null}
      </div>
      {showForm ? <TaskForm tasksDir={list?.dir ?? null} onSaved={() => state.reload()} onCancel={() => setForm(false)} /> : null}
      <div className="panel">{body}</div>
    </div>
  );
}
