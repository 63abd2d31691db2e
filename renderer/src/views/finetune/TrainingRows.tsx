// The exact chat rows a job trained on, a page at a time, each linked to the trace it was made
// from (the job's provenance.jsonl, read by the backend). A row opens to its full messages.
// [ / ] page back and forward.
import { Fragment, useMemo, useState } from 'react';
import { getClient } from '../../api/client.ts';
import type { FinetuneRow } from '../../api/types.ts';
import { useCommands, type Command } from '../../app/commands.ts';
import { hrefFor } from '../../app/router.ts';
import { useApi } from '../../app/use-api.ts';
import { EmptyState, ErrorState, Loading } from '../../components/states.tsx';

const PAGE = 50;

/**
 * The last message of a role on one line, for the table: `[[ ## field ## ]]` sections become
 * `field: value`, with a chain-of-thought `reasoning` moved last so the answer shows first.
 */
function previewOf(row: FinetuneRow, role: string): string {
  let content = '';
  for (let i = row.messages.length - 1; i >= 0 && !content; i--) if (row.messages[i]!.role === role) content = row.messages[i]!.content;
  const parts = content.split(/\[\[ ## (\w+) ## \]\]/);
  if (parts.length < 3) return content.replace(/\s+/g, ' ').trim();
  const fields: Array<[string, string]> = [];
  for (let i = 1; i + 1 < parts.length; i += 2) if (parts[i] !== 'completed') fields.push([parts[i]!, parts[i + 1]!.replace(/\s+/g, ' ').trim()]);
  fields.sort((a, b) => Number(a[0] === 'reasoning') - Number(b[0] === 'reasoning'));
  return fields.map(([k, v]) => `${k}: ${v}`).join(' · ');
}

export function TrainingRows({ runId, jobId }: { runId: number; jobId: number }) {
  const [offset, setOffset] = useState(0);
  const [open, setOpen] = useState<number | null>(null);
  const page = useApi(() => getClient().listFinetuneRows({ jobId, offset, limit: PAGE }), [jobId, offset]);
  const total = page.data?.total ?? 0;

  const commands = useMemo<Command[]>(
    () => [
      { id: 'finetune.rows.next', title: 'Next page of training rows', group: 'Fine-tune', shortcut: ']', run: () => setOffset((o) => (o + PAGE < total ? o + PAGE : o)) },
      { id: 'finetune.rows.prev', title: 'Previous page of training rows', group: 'Fine-tune', shortcut: '[', run: () => setOffset((o) => Math.max(0, o - PAGE)) },
    ],
    [total],
  );
  useCommands(commands);

  if (!page.data) return page.error ? <ErrorState error={page.error} onRetry={page.reload} /> : <Loading label="Loading training rows…" />;
  const { rows, provenanceFile } = page.data;
  if (total === 0) return <EmptyState title="No training rows">The job's provenance file lists no rows.</EmptyState>;
  // Above the table and, on long pages, below it; only the top one carries the testids.
  const pager = (top: boolean) => (
    <div className="row ft-rows-pager">
      <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))} data-testid={top ? 'ft-rows-prev' : undefined}>
        ← prev
      </button>
      <span className="mono" data-testid={top ? 'ft-rows-range' : undefined}>
        {(offset + 1).toLocaleString()}–{Math.min(offset + rows.length, total).toLocaleString()} of {total.toLocaleString()} rows
      </span>
      <button type="button" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)} data-testid={top ? 'ft-rows-next' : undefined}>
        next →
      </button>
      {page.loading ? <span className="subtle">loading…</span> : null}
      <span className="spacer" />
      <span className="subtle">[ / ] page · click a row for its messages</span>
    </div>
  );
  return (
    <div data-testid="training-rows">
      {page.error ? <ErrorState error={page.error} onRetry={page.reload} /> : null}
      <p className="subtle">
        Each row is one LM call of a passing train-set trace, rendered zero-shot with the trace's answer. From <code className="ft-path">{provenanceFile}</code>.
      </p>
      {pager(true)}
      <div className="ft-rows-scroll">
        <table className="data ft-rows">
          <colgroup>
            <col style={{ width: 64 }} />
            <col style={{ width: 64 }} />
            <col style={{ width: 92 }} />
            {/* wide enough for a pipeline's module paths, e.g. generate_query[0] */}
            <col style={{ width: 144 }} />
            <col />
            <col style={{ width: '32%' }} />
          </colgroup>
          <thead>
            <tr>
              <th className="num">Row</th>
              <th className="num">Trace</th>
              <th>Example</th>
              <th>Predictor</th>
              <th>Prompt (user)</th>
              <th>Answer (assistant)</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <Fragment key={r.index}>
                <tr className={`clickable ${open === r.index ? 'selected' : ''}`} onClick={() => setOpen(open === r.index ? null : r.index)} data-testid={`ft-row-${r.index}`} aria-expanded={open === r.index}>
                  <td className="num mono" title={`${r.split}.jsonl line ${r.row + 1}`}>
                    {r.split === 'valid' ? <span className="subtle">valid </span> : null}
                    {r.row}
                  </td>
                  <td className="num">
                    {r.traceId !== null ? (
                      <a href={hrefFor('traces', { runId, params: { trace: r.traceId } })} onClick={(e) => e.stopPropagation()} data-testid={`ft-row-trace-${r.index}`}>
                        #{r.traceId}
                      </a>
                    ) : (
                      <span className="subtle" title="the source trace was not stored">—</span>
                    )}
                  </td>
                  <td className="mono">{r.exampleId ?? '—'}</td>
                  <td className="mono" title={r.predictor}>
                    {r.predictor}
                  </td>
                  <td className="ft-preview">{previewOf(r, 'user')}</td>
                  <td className="ft-preview mono">{previewOf(r, 'assistant')}</td>
                </tr>
                {open === r.index ? (
                  <tr className="ft-row-open" data-testid={`ft-row-messages-${r.index}`}>
                    <td colSpan={6}>
                      {r.messages.map((m, i) => (
                        <div key={i} className="ft-msg">
                          <div className="ft-msg-role mono">{m.role}</div>
                          <pre className="ft-msg-text">{m.content}</pre>
                        </div>
                      ))}
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>
      {rows.length > 15 ? pager(false) : null}
    </div>
  );
}
