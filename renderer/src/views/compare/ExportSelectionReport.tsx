// One report for the runs selected in Compare (exportRunsReport): an overview, each later run
// against the first with paired CIs and p-values, then every run's full report; costs priced at
// the prices saved for each run's model. PDF: the HTML report printed by headless Chromium.
import { useState } from 'react';
import { REPORT_FORMATS, type ReportFormat } from '../../../../core/contract/schemas.ts';
import type { Prices } from '../../../../core/contract/cost.ts';
import { getClient } from '../../api/client.ts';
import { downloadText } from '../../components/download.ts';
import { downloadExport } from '../../components/download-export.ts';
import { readSavedPrices, usePricesStore } from '../../components/prices.ts';

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
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const byModel = usePricesStore((s) => s.byModel);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const prices = savedPrices(models, byModel);
      const api = getClient();
      const priced = Object.keys(prices).length ? { prices } : {};
      if (format === 'pdf') {
        await downloadExport(api, await api.exportReportPdf({ runIds, ...priced }), 'application/pdf');
        return;
      }
      const file = await api.exportRunsReport({ runIds, format, ...priced });
      downloadText(file.filename, file.text, `${file.mimeType};charset=utf-8`);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="row" data-testid="compare-export">
      <select value={format} onChange={(e) => setFormat(e.target.value as ReportFormat | 'pdf')} aria-label="Report format" data-testid="compare-export-format">
        {[...REPORT_FORMATS, 'pdf' as const].map((f) => (
          <option key={f} value={f}>
            {f === 'html' ? 'HTML page' : f === 'pdf' ? 'PDF' : f}
          </option>
        ))}
      </select>
      <button type="button" onClick={() => void run()} disabled={busy || runIds.length === 0} data-testid="compare-export-button" title="One report for the selected runs">
        {busy ? 'Exporting…' : 'Export report'}
      </button>
      {error ? (
        <span className="subtle" role="alert">
          {error}
        </span>
      ) : null}
    </span>
  );
}
