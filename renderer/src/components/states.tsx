// Empty, loading and error states: every view shows one of these instead of a blank area.
import type { ReactNode } from 'react';
import type { ApiCallError } from '../api/transport.ts';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <h3>{title}</h3>
      {children ? <div className="state-body">{children}</div> : null}
    </div>
  );
}

type Issues = ApiCallError['issues'];

/**
 * The line above an error's issue list. An invalid-input message is its issues joined by '; '
 * (core/api/validate.ts), so with the list below it would say everything twice: then a heading
 * stands in for it ("Invalid input", or the message up to its first ':' when it says more).
 */
export function errorSummary(message: string, issues: Issues, code: string | null): string {
  if (!issues?.length) return message;
  const lines = new Set(issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)));
  const onlyIssues = message.split('; ').every((part) => lines.has(part) || /^and \d+ more$/.test(part));
  const head = message.split('\n')[0]!.split(':')[0]!.trim();
  const title = onlyIssues || !head || code === 'invalid-input' || issues.some((i) => i.path === head) ? 'Invalid input' : head;
  return `${title} (${issues.length} problem${issues.length === 1 ? '' : 's'}):`;
}

export function ErrorState({ error, onRetry }: { error: ApiCallError | Error | string; onRetry?: () => void }) {
  const message = typeof error === 'string' ? error : error.message;
  const code = typeof error === 'object' && 'code' in error ? String((error as ApiCallError).code) : null;
  const issues = typeof error === 'object' && 'issues' in error ? (error as ApiCallError).issues : undefined;
  return (
    <div className="state state-error" role="alert">
      <h3>Something went wrong{code && code !== 'transport' ? ` (${code})` : ''}</h3>
      {issues?.length ? <p data-testid="error-summary">{errorSummary(message, issues, code)}</p> : <p className="mono">{message}</p>}
      {issues?.length ? (
        <ul>
          {issues.map((i, n) => (
            <li key={n}>
              <code>{i.path || '(input)'}</code>: {i.message}
            </li>
          ))}
        </ul>
      ) : null}
      {onRetry ? (
        <button type="button" onClick={onRetry}>
          Retry
        </button>
      ) : null}
    </div>
  );
}
