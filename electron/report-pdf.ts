// The desktop app's PDF reports: the page hands main a report's HTML (from the API's HTML export)
// and a file name; main asks where to save it, prints it with Electron's own Chromium
// (webContents.printToPDF in a hidden window) and writes the file. The page is treated as
// untrusted: only the app's own page may ask, the HTML is capped, and it is printed in a window
// with JavaScript off, no preload, its own session, and a Content-Security-Policy that lets it
// load nothing (so HTML a compromised page made cannot fetch or run anything).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ApiErrorCode } from '../core/contract/errors.ts';
import { REPORT_PDF_CHANNEL } from './preload-setup.ts';

export { REPORT_PDF_CHANNEL };
/** The largest report main prints (a report of many runs is a few MB). */
export const MAX_REPORT_HTML = 32 * 1024 * 1024;

/** Loads nothing from anywhere: the report's own <style> and inline SVG need nothing else. */
const PRINT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

export interface PrintWindow {
  loadFile(file: string): Promise<void>;
  webContents: { printToPDF(options: Record<string, unknown>): Promise<Buffer> };
  destroy(): void;
}

export interface PdfElectron {
  BrowserWindow: new (options: Record<string, unknown>) => PrintWindow;
  dialog: { showSaveDialog(options: Record<string, unknown>): Promise<{ canceled: boolean; filePath?: string }> };
}

export type ReportPdfReply = { ok: true; result: { path: string } | null } | { ok: false; error: { code: ApiErrorCode; message: string } };

/** `html` with a CSP meta tag as the first thing the document reads. */
export function lockedDown(html: string): string {
  const meta = `<meta http-equiv="Content-Security-Policy" content="${PRINT_CSP}">`;
  const head = /<head[^>]*>/i.exec(html);
  return head ? `${html.slice(0, head.index + head[0].length)}${meta}${html.slice(head.index + head[0].length)}` : `${meta}${html}`;
}

/** A file name for the save dialog: the report's own, as a plain name ending in .pdf. */
export function pdfName(name: unknown): string {
  const base = typeof name === 'string' ? path.basename(name).replace(/[^\w.-]+/g, '-').replace(/\.(html?|md|tex|csv|json)$/i, '') : '';
  return `${base.replace(/^[.-]+/, '') || 'tandem-report'}.pdf`;
}

/** Prints `html` to PDF bytes in a hidden, locked-down window. */
export async function printReport(electron: PdfElectron, html: string): Promise<Buffer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-report-'));
  const window = new electron.BrowserWindow({
    show: false,
    webPreferences: { javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false, partition: 'tandem-report-print', spellcheck: false },
  });
  try {
    const file = path.join(dir, 'report.html');
    writeFileSync(file, lockedDown(html));
    await window.loadFile(file);
    return await window.webContents.printToPDF({ printBackground: true, pageSize: 'A4' });
  } finally {
    window.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface ReportPdfHandlerOptions {
  /** Whether the call comes from the app's own page in the app's window. */
  isAppSender(event: unknown): boolean;
  /** Writes the PDF (default node:fs). */
  writeFile?(file: string, bytes: Buffer): void;
}

/** main's handler for REPORT_PDF_CHANNEL: (html, suggested name) → the saved path, or null when the user cancelled. */
export function installReportPdfHandler(
  ipcMain: { handle(channel: string, listener: (event: unknown, ...args: unknown[]) => unknown): void },
  electron: PdfElectron,
  options: ReportPdfHandlerOptions,
): void {
  const refuse = (code: ApiErrorCode, message: string): ReportPdfReply => ({ ok: false, error: { code, message } });
  ipcMain.handle(REPORT_PDF_CHANNEL, async (event, ...args): Promise<ReportPdfReply> => {
    if (!options.isAppSender(event)) return refuse('invalid-input', 'refused: reports can only be printed from the Tandem window');
    const [html, name] = args;
    if (args.length !== 2 || typeof html !== 'string') return refuse('invalid-input', 'expected the report HTML and a file name');
    if (html.length > MAX_REPORT_HTML) return refuse('invalid-input', `the report is larger than ${MAX_REPORT_HTML / (1024 * 1024)} MB`);
    try {
      const choice = await electron.dialog.showSaveDialog({ title: 'Save the report as PDF', defaultPath: pdfName(name), filters: [{ name: 'PDF', extensions: ['pdf'] }] });
      if (choice.canceled || !choice.filePath) return { ok: true, result: null };
      const bytes = await printReport(electron, html);
      (options.writeFile ?? ((file, data) => writeFileSync(file, data)))(choice.filePath, bytes);
      return { ok: true, result: { path: choice.filePath } };
    } catch (error) {
      return refuse('internal', `the report could not be printed: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
}
