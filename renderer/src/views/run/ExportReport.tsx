// Export the run's report (setup, paper table with CIs and significance, per-seed scores, step
// means, random search, fine-tunes, flipped examples, costs — in dollars at the prices saved for the
// run's model) as a file; PDF is the HTML page printed by headless Chromium where the API runs.
import { useState } from 'react';
import { REPORT_FORMATS, type ReportFormat } from '../../../../core/contract/schemas.ts';
import { getClient } from '../../api/client.ts';
import { ActionError } from '../../components/ActionError.tsx';
import { downloadReportPdf } from '../../components/download-export.ts';
import { usePrices } from '../../components/prices.ts';
import { saveTextFile, useDownloadAction } from '../../components/use-download.ts';

const LABELS: Record<ReportFormat, string> = {
  markdown: 'Markdown',
  csv: 'CSV',
  latex: 'LaTeX table',
  html: 'HTML page',
  json: 'JSON',
};
/** The API's text formats, and a PDF it prints from the HTML report with headless Chromium. */
const FORMATS = [...REPORT_FORMATS.map((format) => [format, LABELS[format]] as const), ['pdf', 'PDF'] as const];

type Format = ReportFormat | 'pdf';

export function ExportReport({ runId, model }: { runId: number; model: string }) {
  const prices = usePrices(model);
  const [format, setFormat] = useState<Format>('markdown');
  const { busy, error, run } = useDownloadAction();
  const download = () =>
    run(async () => {
      const api = getClient();
      if (format === 'pdf') await downloadReportPdf(api, { runIds: [runId], ...(prices ? { prices: { [model]: prices } } : {}) }, () => api.exportReport({ runId, format: 'html', ...(prices ? { prices } : {}) }));
      else saveTextFile(await api.exportReport({ runId, format, ...(prices ? { prices } : {}) }));
    });
  return (
    <span className="row" data-testid="run-export">
      <select value={format} onChange={(e) => setFormat(e.target.value as Format)} aria-label="Report format" data-testid="run-export-format">
        {FORMATS.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
      <button type="button" onClick={() => void download()} disabled={busy !== null} data-testid="run-export-button" title={prices ? `Download the run's report (costs priced at the prices saved for ${model})` : "Download the run's report"}>
        {busy ?? 'Export report'}
      </button>
      <ActionError error={error} />
    </span>
  );
}
