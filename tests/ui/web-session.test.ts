// Web mode's way in, in a real browser: the server's one-time link opens the workbench, the page
// exchanges the link's code for an HttpOnly SameSite=Strict session cookie and takes the code out
// of the address; the API and the event stream then work on the cookie alone. The same link in
// another browser (context) is spent, and the page says so; a token in the URL is refused; the
// pages load without Content Security Policy violations.

import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRedirectFile } from '../../core/cli/open-browser.ts';
import { chromiumAvailable, startWorkbench, watchCspViolations, type PageGlobal, type Workbench } from '../fixtures/ui-workbench.ts';

let wb: Workbench;
let link: string;
const tid = (id: string) => `[data-testid="${id}"]`;
const POLL = { timeout: 10_000 };

describe.skipIf(!chromiumAvailable)('the web-mode token does not leak, in Chromium', () => {
  beforeAll(async () => {
    wb = await startWorkbench();
    link = wb.server.url;
  }, 300_000);

  afterAll(async () => {
    await wb?.close();
  }, 60_000);

  it('opens the workbench through the one-time link: the code is exchanged for an HttpOnly SameSite=Strict cookie and leaves the address', async () => {
    const { page } = wb;
    const exchanges: number[] = [];
    page.on('response', (r) => {
      if (new URL(r.url()).pathname === '/api/session') exchanges.push(r.status());
    });
    expect(link).toMatch(/\/\?code=[A-Za-z0-9_-]{43}$/);
    expect(link).not.toContain(wb.server.token);
    await wb.goto('#/experiments');
    await page.locator(tid('view-experiments')).waitFor();
    await page.locator(tid('new-experiment')).waitFor();
    expect(exchanges).toEqual([200]);
    const href = await page.evaluate(() => (globalThis as unknown as PageGlobal).location.href);
    expect(href).toBe(`${wb.server.origin}/#/experiments`);

    const cookies = await wb.context.cookies(`${wb.server.origin}/api/`);
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatchObject({ name: `tandem-session-${wb.server.port}`, httpOnly: true, sameSite: 'Strict', path: '/api' });
    expect(cookies[0]!.value).not.toBe(wb.server.token);
    // HttpOnly: the page's script cannot read it.
    expect(await page.evaluate(() => (globalThis as unknown as { document: { cookie: string } }).document.cookie)).toBe('');
    // The event stream is open on the cookie.
    await expect.poll(() => wb.server.eventStreams(), POLL).toBeGreaterThan(0);
  }, 60_000);

  it('keeps working after a reload (the cookie, not the spent code)', async () => {
    const { page } = wb;
    await page.reload();
    await page.locator(tid('view-experiments')).waitFor();
    await page.locator(tid('new-experiment')).waitFor();
    await expect.poll(() => wb.server.eventStreams(), POLL).toBeGreaterThan(0);
    expect(wb.pageErrors.filter((e) => e.startsWith('pageerror') || e.startsWith('console') || e.startsWith('HTTP'))).toEqual([]);
  }, 60_000);

  it('refuses the spent link in another browser and says how to get a new one', async () => {
    const other = await wb.browser.newContext();
    try {
      const page = await other.newPage();
      const statuses: Array<[string, number]> = [];
      page.on('response', (r) => statuses.push([new URL(r.url()).pathname, r.status()]));
      await page.goto(`${link}#/experiments`);
      await expect.poll(() => statuses.find(([p]) => p === '/api/session')?.[1], POLL).toBe(401);
      await expect.poll(() => page.locator('body').innerText(), POLL).toMatch(/expired or was already used/);
      expect(statuses.filter(([p, s]) => p.startsWith('/api/call/') && s === 200)).toEqual([]);
      expect(await other.cookies(`${wb.server.origin}/api/`)).toEqual([]);
    } finally {
      await other.close();
    }
  }, 60_000);

  it('opens with a fresh link in another browser, with no CSP violation on any view', async () => {
    const other = await wb.browser.newContext();
    const violations: string[] = [];
    await watchCspViolations(other, violations);
    try {
      const page = await other.newPage();
      await page.goto(`${wb.server.newLink()}#/experiments`);
      for (const [hash, root] of [
        ['#/experiments', 'view-experiments'],
        ['#/experiments?new=1', 'new-experiment-form'],
        ['#/models', 'view-models'],
        ['#/compare', 'view-compare'],
      ] as const) {
        await page.evaluate((h) => void ((globalThis as unknown as PageGlobal).location.hash = h), hash);
        await page.locator(tid(root)).first().waitFor();
      }
      await page.keyboard.press('Control+k');
      await page.getByRole('dialog', { name: 'Command palette' }).waitFor();
      expect(violations).toEqual([]);
    } finally {
      await other.close();
    }
  }, 60_000);

  it('gets in through the redirect file the browser opener writes (the command line names only the file)', async () => {
    const other = await wb.browser.newContext();
    const redirect = writeRedirectFile(wb.server.newLink(), wb.dir);
    try {
      const page = await other.newPage();
      await page.goto(pathToFileURL(redirect.file).href);
      await page.locator(tid('view-experiments')).waitFor();
      await expect.poll(() => page.url(), POLL).toBe(`${wb.server.origin}/`);
      expect(await other.cookies(`${wb.server.origin}/api/`)).toHaveLength(1);
    } finally {
      redirect.remove();
      await other.close();
    }
  }, 60_000);

  it('refuses the token in the URL, even on the event stream', async () => {
    for (const path of ['/api/health', '/api/events']) {
      const response = await fetch(`${wb.server.origin}${path}?token=${wb.server.token}`);
      expect(response.status, path).toBe(401);
    }
  });
});
