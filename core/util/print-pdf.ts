// Prints an HTML report to PDF with headless Chromium (the CLI's and the API's way, so web mode
// and the desktop app too). The browser is TANDEM_CHROMIUM, else the first Chromium-family
// browser on PATH; the page is a local file it opens with no network.

import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** No browser to print with, or it did not print: a problem of the machine, said in one line. */
export class PdfPrintError extends Error {
  override name = 'PdfPrintError';
}

const BROWSERS = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'microsoft-edge', 'brave-browser'];
const MAC_BROWSERS = ['/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'];

/** The browser to print with, or null. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.TANDEM_CHROMIUM) return env.TANDEM_CHROMIUM;
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const name of BROWSERS) {
      const candidate = path.join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        if (statSync(candidate).isFile()) return candidate;
      } catch {
        // not here
      }
    }
  }
  return MAC_BROWSERS.find((p) => existsSync(p)) ?? null;
}

/** Writes `html` as a PDF to `out`; a missing browser or a failed print is a one-line PdfPrintError. */
export async function printHtmlToPdf(html: string, out: string, options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<void> {
  const env = options.env ?? process.env;
  const browser = findChromium(env);
  if (!browser) throw new PdfPrintError('a PDF report is printed with Chromium, and none was found: install chromium (or Google Chrome), or set TANDEM_CHROMIUM to its path; the HTML report is the same, to print from any browser');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-pdf-'));
  try {
    const page = path.join(dir, 'report.html');
    const pdf = path.join(dir, 'report.pdf');
    writeFileSync(page, html);
    const args = [
      '--headless',
      '--disable-gpu',
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-extensions',
      '--no-pdf-header-footer',
      `--user-data-dir=${path.join(dir, 'profile')}`,
      // Chromium will not start its sandbox as root (containers, CI).
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      `--print-to-pdf=${pdf}`,
      pathToFileURL(page).href,
    ];
    const stderr = await run(browser, args, options.timeoutMs ?? 120_000);
    if (!existsSync(pdf) || statSync(pdf).size === 0) {
      throw new PdfPrintError(`${browser} did not print the report${stderr ? `: ${stderr.trim().split('\n').at(-1)?.slice(0, 200)}` : ''}`);
    }
    writeFileSync(out, readFileSync(pdf));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function run(command: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < 20_000) stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new PdfPrintError(`cannot start ${command} to print the PDF: ${error.message}`));
    });
    child.on('exit', () => {
      clearTimeout(timer);
      resolve(stderr);
    });
  });
}
