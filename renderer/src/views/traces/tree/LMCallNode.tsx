// One LM call of a trace: a summary line (model, tokens in/out, latency, sampling and seed, cache,
// error) that opens to its rendered messages (each collapsible), raw completion and parsed fields.
import { count } from '../../../components/format.ts';
import { FieldTable } from './FieldTable.tsx';
import { ms, type TraceCall } from './tree-model.ts';

function Message({ role, content, open }: { role: string; content: string; open: boolean }) {
  return (
    <details className={`tt-msg tt-role-${role}`} open={open}>
      <summary>
        <span className="tt-role">{role}</span>
        <span className="subtle">
          {count(content.length)} chars · {count(content.split('\n').length)} lines
        </span>
      </summary>
      <pre className="tt-pre">{content}</pre>
    </details>
  );
}

function samplingText(request: NonNullable<TraceCall['request']>): string {
  const parts = [`T ${request.temperature ?? 'default'}`];
  if (request.topP !== undefined) parts.push(`top-p ${request.topP}`);
  parts.push(request.seed === undefined ? 'no seed' : `seed ${request.seed}`);
  if (request.rolloutId !== undefined) parts.push(`rollout ${request.rolloutId}`);
  return parts.join(' · ');
}

export function LMCallNode({ call, open }: { call: TraceCall; open: boolean }) {
  const last = call.messages.length - 1;
  return (
    <details className="tt-node tt-call" open={open} data-testid="trace-call">
      <summary>
        <span className="tt-kind">LM call #{call.index}</span>
        <span className="mono">{call.model}</span>
        <span className="tt-metric" title="prompt tokens → completion tokens">
          {count(call.usage.promptTokens)} → {count(call.usage.completionTokens)} tok
        </span>
        <span className="tt-metric">{ms(call.latencyMs)}</span>
        {call.request ? (
          <span className="tt-metric" data-testid="trace-call-sampling" title="sampling settings sent with the request; the seed is derived from the run's seed and the request">
            {samplingText(call.request)}
          </span>
        ) : null}
        {call.cached ? <span className="badge badge-cache">cache hit</span> : null}
        {call.attempts > 1 ? <span className="badge badge-skipped">{call.attempts} attempts</span> : null}
        {call.error ? <span className="badge badge-error">{call.error.kind}</span> : null}
      </summary>
      <div className="tt-body">
        {call.error ? (
          <div className="tt-error" data-testid="trace-call-error">
            <b>{call.error.kind}</b>: <span className="mono">{call.error.message}</span>
          </div>
        ) : null}
        <div className="tt-section">Messages ({call.messages.length})</div>
        {call.messages.map((m, i) => (
          <Message key={i} role={m.role} content={m.content} open={i === last} />
        ))}
        <div className="tt-section">Raw completion</div>
        {call.completion === null ? <div className="subtle">no completion (the call failed)</div> : <pre className="tt-pre tt-completion">{call.completion}</pre>}
        <div className="tt-section">
          Parsed fields{call.parseFallback ? <span className="badge badge-skipped" title="the parser fell back">fallback: {call.parseFallback}</span> : null}
        </div>
        <FieldTable fields={call.outputs} empty="not parsed" />
      </div>
    </details>
  );
}
