// The workspace's saved task definitions (tasks/ beside the database): name, the task inside,
// description, file, and a problem when one no longer checks. "New experiment" opens the New
// experiment form with the file as the task.
import type { TaskDefinitionList } from '../../api/types.ts';
import { when } from '../../components/format.ts';

export function SavedTasks({ list, onNewExperiment }: { list: TaskDefinitionList; onNewExperiment(file: string): void }) {
  return (
    <table className="data task-table" data-testid="saved-tasks">
      <thead>
        <tr>
          <th>file</th>
          <th>task</th>
          <th>description</th>
          <th>saved</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {list.tasks.map((t) => (
          <tr key={t.file} data-testid={`saved-task-${t.name}`}>
            <td className="mono" title={t.file}>
              {t.name}.{t.format === 'yaml' ? 'yaml' : 'json'}
            </td>
            <td className="mono">{t.taskName ?? '—'}</td>
            <td>
              {t.description || <span className="subtle">—</span>}
              {t.problem ? (
                <div className="task-problem" data-testid="saved-task-problem">
                  <span className="badge badge-error">cannot be used</span> {t.problem}
                </div>
              ) : null}
            </td>
            <td className="subtle">{when(t.modifiedAt)}</td>
            <td>
              <button type="button" onClick={() => onNewExperiment(t.file)} disabled={t.problem !== null} data-testid="saved-task-new-experiment" title={`New experiment on ${t.file}`}>
                New experiment
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
