// One report for the runs selected in Compare (exportRunsReport): an overview, each later run
// against the first with paired CIs and p-values, then every run's full report; costs priced at
// the prices saved for each run's model. PDF: the HTML report printed by headless Chromium.
import { useState } from 'react';
import { REPORT_FORMATS, type ReportFormat } from '../../../../core/contract/schemas.ts';
import type { Prices } from '../../../../core/contract/cost.ts';
import { getClient } from '../../api/client.ts';
import { ActionError } from '../../components/ActionError.tsx';
import { downloadReportPdf } from '../../components/download-export.ts';
import { readSavedPrices, usePricesStore } from '../../components/prices.ts';
import { saveTextFile, useDownloadAction } from '../../components/use-download.ts';

/** Saved prices for each model: this page's store first (just edited), else this browser's storage. */
function savedPrices(models: string[], byModel: Record<string, Prices | null>): Record<string, Prices> {
  const out: Record<string, Prices> = {};
  for (const model of models) {
    const prices = model in byModel ? byModel[model] : readSavedPrices(model);
    if (prices) out[model] = prices;
  }
  return out;
}

export function ExportSelectionReport({ runIds, models }: { runIds: number[]; models: string[] }) {
  const [format, setFormat] = useState<ReportFormat | 'pdf'>('html');
  const { busy, error, run } = useDownloadAction();
  const byModel = usePricesStore((s) => s.byModel);
  const download = () =>
    run(async () => {
      const prices = savedPrices(models, byModel);
      const api = getClient();
      const priced = Object.keys(prices).length ? { prices } : {};
      if (format === 'pdf') await downloadReportPdf(api, { runIds, ...priced }, () => api.exportRunsReport({ runIds, format: 'html', ...priced }));
      else saveTextFile(await api.exportRunsReport({ runIds, format, ...priced }));
    });
  return (
    <span className="row" data-testid="compare-export">
      <select value={format} onChange={(e) => setFormat(e.target.value as ReportFormat | 'pdf')} aria-label="Report format" data-testid="compare-export-format">
        {[...REPORT_FORMATS, 'pdf' as const].map((f) => (
          <option key={f} value={f}>
            {f === 'html' ? 'HTML page' : f === 'pdf' ? 'PDF' : f}
          </option>
        ))}
      </select>
      <button type="button" onClick={() => void download()} disabled={busy !== null || runIds.length === 0} data-testid="compare-export-button" title="One report for the selected runs">
        {busy ?? 'Export report'}
      </button>
      <ActionError error={error} />
    </span>
  );
}
