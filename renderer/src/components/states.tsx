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

export function ErrorState({ error, onRetry }: { error: ApiCallError | Error | string; onRetry?: () => void }) {
  const message = typeof error === 'string' ? error : error.message;
  const code = typeof error === 'object' && 'code' in error ? String((error as ApiCallError).code) : null;
  const issues = typeof error === 'object' && 'issues' in error ? (error as ApiCallError).issues : undefined;
  return (
    <div className="state state-error" role="alert">
      <h3>Something went wrong{code && code !== 'transport' ? ` (${code})` : ''}</h3>
      <p className="mono">{message}</p>
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
