// The desktop app's PDF reports, with a fake BrowserWindow and dialog: only the app's page may
// ask, the user picks the file, the HTML is printed in a hidden window with JavaScript off and a
// CSP that loads nothing, and the window and its temporary file are gone afterwards.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { installReportPdfHandler, lockedDown, pdfName, REPORT_PDF_CHANNEL, type PdfElectron, type ReportPdfReply } from '../../../electron/report-pdf.ts';

function fakes(options: { save?: string | null; failPrint?: boolean } = {}) {
  const record = { windows: [] as Array<{ options: Record<string, unknown>; loaded: string | null; html: string | null; destroyed: boolean; printed: number }>, dialogs: [] as Array<Record<string, unknown>>, written: [] as Array<{ file: string; bytes: Buffer }> };
  class BrowserWindow {
    readonly entry;
    constructor(windowOptions: Record<string, unknown>) {
      this.entry = { options: windowOptions, loaded: null as string | null, html: null as string | null, destroyed: false, printed: 0 };
      record.windows.push(this.entry);
    }
    async loadFile(file: string): Promise<void> {
      this.entry.loaded = file;
      this.entry.html = readFileSync(file, 'utf8');
    }
    readonly webContents = {
      printToPDF: async (): Promise<Buffer> => {
        this.entry.printed++;
        if (options.failPrint) throw new Error('printing failed');
        return Buffer.from('%PDF-1.7 fake');
      },
    };
    destroy(): void {
      this.entry.destroyed = true;
    }
  }
  const electron: PdfElectron = {
    BrowserWindow,
    dialog: {
      showSaveDialog: async (dialogOptions) => {
        record.dialogs.push(dialogOptions);
        const save = options.save === undefined ? '/home/u/report.pdf' : options.save;
        return save === null ? { canceled: true } : { canceled: false, filePath: save };
      },
    },
  };
  const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  const appPage = { fromApp: true };
  installReportPdfHandler({ handle: (channel, listener) => handlers.set(channel, listener) }, electron, {
    isAppSender: (event) => event === appPage,
    writeFile: (file, bytes) => record.written.push({ file, bytes }),
  });
  const invoke = (event: unknown, ...args: unknown[]) => handlers.get(REPORT_PDF_CHANNEL)!(event, ...args) as Promise<ReportPdfReply>;
  return { record, invoke, appPage };
}

const HTML = '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>r</title></head><body><img src="https://attacker.example/x"><h1>Run</h1></body></html>';

describe('PDF reports in the desktop app', () => {
  it('prints in a hidden window with JavaScript off and a CSP that loads nothing, saves where the user said, and cleans up', async () => {
    const { record, invoke, appPage } = fakes();
    expect(await invoke(appPage, HTML, 'tandem-run-7-iris.html')).toEqual({ ok: true, result: { path: '/home/u/report.pdf' } });
    expect(record.dialogs[0]).toMatchObject({ defaultPath: 'tandem-run-7-iris.pdf', filters: [{ name: 'PDF', extensions: ['pdf'] }] });
    const [window] = record.windows;
    expect(window!.options).toMatchObject({ show: false, webPreferences: { javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false, partition: 'tandem-report-print' } });
    expect(window!.options.webPreferences).not.toHaveProperty('preload');
    expect(window!.html).toMatch(/^<!doctype html>\n<html lang="en"><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">/);
    expect(window!.printed).toBe(1);
    expect(window!.destroyed).toBe(true);
    expect(existsSync(path.dirname(window!.loaded!))).toBe(false);
    expect(record.written).toEqual([{ file: '/home/u/report.pdf', bytes: Buffer.from('%PDF-1.7 fake') }]);
  });

  it('prints nothing when the user cancels the save dialog', async () => {
    const { record, invoke, appPage } = fakes({ save: null });
    expect(await invoke(appPage, HTML, 'r.html')).toEqual({ ok: true, result: null });
    expect(record.windows).toHaveLength(0);
    expect(record.written).toHaveLength(0);
  });

  it('refuses other senders and bad arguments, and reports a failed print in one line', async () => {
    const { record, invoke, appPage } = fakes();
    expect(await invoke({}, HTML, 'r.html')).toEqual({ ok: false, error: { code: 'invalid-input', message: 'refused: reports can only be printed from the Tandem window' } });
    expect((await invoke(appPage, 42, 'r.html')) as ReportPdfReply).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect((await invoke(appPage, HTML)) as ReportPdfReply).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect((await invoke(appPage, 'x'.repeat(32 * 1024 * 1024 + 1), 'r.html')) as ReportPdfReply).toMatchObject({ ok: false, error: { code: 'invalid-input', message: 'the report is larger than 32 MB' } });
    expect(record.dialogs).toHaveLength(0);
    const failing = fakes({ failPrint: true });
    expect(await failing.invoke(failing.appPage, HTML, 'r.html')).toEqual({ ok: false, error: { code: 'internal', message: 'the report could not be printed: printing failed' } });
    expect(failing.record.windows[0]!.destroyed).toBe(true);
    expect(failing.record.written).toHaveLength(0);
  });

  it('names the file plainly and puts the CSP first even without a head', () => {
    expect(pdfName('../../etc/passwd')).toBe('passwd.pdf');
    expect(pdfName('tandem-runs-1-2.md')).toBe('tandem-runs-1-2.pdf');
    expect(pdfName('..')).toBe('tandem-report.pdf');
    expect(pdfName(undefined)).toBe('tandem-report.pdf');
    expect(lockedDown('<p>x</p>')).toMatch(/^<meta http-equiv="Content-Security-Policy"[^>]+><p>x<\/p>$/);
  });
});
