// Export the trace list's current selection (its evaluation, outcome filter and search) as
// OTLP/JSON spans with OpenInference attributes, the file Phoenix and Langfuse load.
import { useState } from 'react';
import { EXPORT_TRACES_MAX } from '../../../../core/contract/schemas.ts';
import { getClient } from '../../api/client.ts';
import { downloadText } from '../../components/download.ts';
import type { ResultQuery } from './result-pager.ts';

export function ExportTraces({ query, total }: { query: ResultQuery; total: number }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { sort: _sort, ...selection } = query;
  const limit = Math.max(1, Math.min(total, EXPORT_TRACES_MAX));
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const file = await getClient().exportTraces({ ...selection, limit });
      downloadText(file.filename, file.text, `${file.mimeType};charset=utf-8`);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  const title = `Download the ${limit} matching trace${limit === 1 ? '' : 's'} as OpenTelemetry spans with OpenInference attributes (for Phoenix or Langfuse)${total > EXPORT_TRACES_MAX ? `; the first ${EXPORT_TRACES_MAX} of ${total}` : ''}`;
  return (
    <span className="row">
      <button type="button" onClick={() => void run()} disabled={busy || total === 0} data-testid="traces-export-openinference" title={title}>
        {busy ? 'Exporting…' : 'Export OpenInference'}
      </button>
      {error ? (
        <span className="subtle" role="alert">
          {error}
        </span>
      ) : null}
    </span>
  );
}
