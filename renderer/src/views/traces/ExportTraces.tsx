// Export the trace list's current selection (its evaluation, outcome filter and search) as
// OTLP/JSON spans with OpenInference attributes, the file Phoenix and Langfuse load.
import { EXPORT_TRACES_MAX } from '../../../../core/contract/schemas.ts';
import { getClient } from '../../api/client.ts';
import { ActionError } from '../../components/ActionError.tsx';
import { saveTextFile, useDownloadAction } from '../../components/use-download.ts';
import type { ResultQuery } from './result-pager.ts';

export function ExportTraces({ query, total }: { query: ResultQuery; total: number }) {
  const { busy, error, run } = useDownloadAction();
  const { sort: _sort, ...selection } = query;
  const limit = Math.max(1, Math.min(total, EXPORT_TRACES_MAX));
  const download = () => run(async () => saveTextFile(await getClient().exportTraces({ ...selection, limit })));
  const title = `Download the ${limit} matching trace${limit === 1 ? '' : 's'} as OpenTelemetry spans with OpenInference attributes (for Phoenix or Langfuse)${total > EXPORT_TRACES_MAX ? `; the first ${EXPORT_TRACES_MAX} of ${total}` : ''}`;
  return (
    <span className="row">
      <button type="button" onClick={() => void download()} disabled={busy !== null || total === 0} data-testid="traces-export-openinference" title={title}>
        {busy ?? 'Export OpenInference'}
      </button>
      <ActionError error={error} />
    </span>
  );
}
