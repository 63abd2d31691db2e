// The definition as text: an editable YAML text area with line numbers (the lines the issues
// name are marked), and the issues under it, each with its line and, for a problem in the dataset
// file, that file and its line.
import type { TaskDefinitionIssue } from '../../api/types.ts';

function issueText(issue: TaskDefinitionIssue): string {
  return issue.path ? `${issue.path}: ${issue.message}` : issue.message;
}

export function DefinitionIssues({ issues }: { issues: readonly TaskDefinitionIssue[] }) {
  if (issues.length === 0) return null;
  return (
    <ul className="task-issues" role="alert" data-testid="task-issues">
      {issues.map((issue, i) => (
        <li key={i} data-testid="task-issue" data-line={issue.line ?? ''}>
          <span className="task-issue-line">{issue.line !== undefined ? `line ${issue.line}` : 'text'}</span>
          <span>{issueText(issue)}</span>
          {issue.dataset ? (
            <span className="task-issue-file mono" data-testid="task-issue-file">
              in {issue.dataset.file}
              {issue.dataset.line !== undefined ? `, line ${issue.dataset.line}` : ''}
            </span>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

export function DefinitionText({ text, onChange, issues }: { text: string; onChange(text: string): void; issues: readonly TaskDefinitionIssue[] }) {
  const lines = text.split('\n');
  // A trailing newline ends the last line; it starts no new one.
  const count = text.endsWith('\n') ? lines.length - 1 : lines.length;
  const marked = new Set(issues.map((i) => i.line).filter((l): l is number => l !== undefined));
  return (
    <div className="task-text">
      <pre className="task-gutter" aria-hidden="true">
        {Array.from({ length: Math.max(1, count) }, (_, i) => (
          <span key={i} className={marked.has(i + 1) ? 'task-gutter-bad' : undefined}>
            {i + 1}
            {'\n'}
          </span>
        ))}
      </pre>
      <textarea
        className="mono task-textarea"
        value={text}
        onChange={(e) => onChange(e.target.value)}
        rows={Math.max(6, count + 1)}
        spellCheck={false}
        wrap="off"
        aria-label="Task definition (YAML)"
        data-testid="task-yaml"
      />
    </div>
  );
}
