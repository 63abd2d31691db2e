// Shared parts of the UI benches (bench/ui-traces.ts, bench/ui-live.ts): timing code that runs
// inside the page (so a measurement does not include the DevTools protocol's round trips), and
// a finished Iris run made through the API against the stub server.
//
// The in-page code is plain JavaScript installed with addInitScript: this project's Node
// tsconfig has no DOM types, and the page code must not depend on the app's bundle.

import type { Page } from 'playwright-core';
import type { Api } from '../core/api/index.ts';

/** What to do in the page when a measurement starts. */
export type PageAction =
  | { kind: 'hash'; value: string }
  /** Sets an <input>'s value the way typing does (React sees an input event). */
  | { kind: 'input'; selector: string; value: string }
  /** Picks an option of a <select> (React sees a change event). */
  | { kind: 'select'; selector: string; value: string }
  | { kind: 'click'; selector: string };

/** When a measurement ends: rows exist (and, with `changed`, their text differs from before). */
export interface PageCondition {
  rows: string;
  changed?: boolean;
  /** Every row's text contains this (case-insensitive). */
  contains?: string;
}

/** Installed in every page: window.__bench with measure(), long-task and frame recorders. */
export const PAGE_SCRIPT = `(() => {
  const longTasks = [];
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) longTasks.push({ start: e.startTime, duration: e.duration }); })
      .observe({ type: 'longtask', buffered: true });
  } catch (e) { /* no long-task support */ }
  const rowsText = (sel) => Array.from(document.querySelectorAll(sel)).map((r) => r.textContent || '').join('\\n');
  const holds = (cond, before) => {
    const rows = Array.from(document.querySelectorAll(cond.rows));
    if (rows.length === 0) return false;
    if (cond.contains && !rows.every((r) => (r.textContent || '').toLowerCase().includes(cond.contains.toLowerCase()))) return false;
    if (cond.changed && rowsText(cond.rows) === before) return false;
    return true;
  };
  const act = (a) => {
    if (a.kind === 'hash') { window.location.hash = a.value; return; }
    const el = document.querySelector(a.selector);
    if (!el) throw new Error('no element ' + a.selector);
    if (a.kind === 'click') { el.click(); return; }
    const proto = a.kind === 'select' ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
    Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, a.value);
    el.dispatchEvent(new Event(a.kind === 'select' ? 'change' : 'input', { bubbles: true }));
  };
  window.__bench = {
    longTasks,
    /** ms from the action to the first frame after the condition holds. */
    measure(action, cond, timeoutMs) {
      return new Promise((resolve, reject) => {
        const before = rowsText(cond.rows);
        let done = false;
        let observer = null;
        const t0 = performance.now();
        const finish = () => {
          if (done) return;
          done = true;
          observer && observer.disconnect();
          clearTimeout(timer);
          requestAnimationFrame(() => resolve(performance.now() - t0));
        };
        const timer = setTimeout(() => { done = true; observer && observer.disconnect(); reject(new Error('condition not met within ' + timeoutMs + ' ms: ' + JSON.stringify(cond))); }, timeoutMs);
        observer = new MutationObserver(() => { if (holds(cond, before)) finish(); });
        observer.observe(document.documentElement, { childList: true, subtree: true, characterData: true, attributes: true });
        try { act(action); } catch (e) { done = true; observer.disconnect(); clearTimeout(timer); reject(e); return; }
        if (holds(cond, before)) finish();
      });
    },
    /** Records frame intervals (requestAnimationFrame) until stopFrames(). */
    startFrames() {
      const f = { last: performance.now(), gaps: [], on: true };
      window.__bench.frames = f;
      const tick = (t) => { if (!f.on) return; f.gaps.push(t - f.last); f.last = t; requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
    },
    stopFrames() {
      const f = window.__bench.frames;
      f.on = false;
      return f.gaps.slice(1);
    },
  };
})();`;

// Page functions are sent as source text: they may not call helpers of this module.
interface BenchGlobal {
  __bench: {
    measure(action: PageAction, cond: PageCondition, timeoutMs: number): Promise<number>;
    longTasks: Array<{ start: number; duration: number }>;
    startFrames(): void;
    stopFrames(): number[];
  };
}

export async function installPageScript(page: Page): Promise<void> {
  await page.addInitScript({ content: PAGE_SCRIPT });
}

/** Runs the action in the page; resolves with the ms until the condition holds (next frame). */
export function measure(page: Page, action: PageAction, cond: PageCondition, timeoutMs = 30_000): Promise<number> {
  return page.evaluate(([a, c, t]) => (globalThis as unknown as BenchGlobal).__bench.measure(a, c, t), [action, cond, timeoutMs] as const);
}

export function pageNow(page: Page): Promise<number> {
  return page.evaluate(() => performance.now());
}

export function longTasksSince(page: Page, since: number): Promise<Array<{ start: number; duration: number }>> {
  return page.evaluate((t) => (globalThis as unknown as BenchGlobal).__bench.longTasks.filter((e) => e.start >= t), since);
}

export async function startFrames(page: Page): Promise<void> {
  await page.evaluate(() => (globalThis as unknown as BenchGlobal).__bench.startFrames());
}

export function stopFrames(page: Page): Promise<number[]> {
  return page.evaluate(() => (globalThis as unknown as BenchGlobal).__bench.stopFrames());
}

/** Frames missed at 60 Hz: each gap of g ms stands for round(g / 16.7) - 1 missed frames. */
export function droppedFrames(gaps: number[]): number {
  return gaps.reduce((n, g) => n + Math.max(0, Math.round(g / (1000 / 60)) - 1), 0);
}

export const median = (values: number[]): number => {
  const s = values.slice().sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export const round1 = (v: number): number => Math.round(v * 10) / 10;

/** Creates and runs an Iris experiment against the stub; returns the finished run's id. */
export async function irisRun(api: Api, baseUrl: string, options: { strategies?: string; candidates?: number; name?: string } = {}): Promise<number> {
  const experiment = await api.createExperiment({
    task: 'iris',
    name: options.name ?? 'iris bench',
    strategies: options.strategies ?? 'p',
    lm: { provider: 'openai', model: 'stub-model', baseUrl },
    optimizer: { candidates: options.candidates ?? 1 },
    concurrency: 32,
  });
  const { runId } = await api.startRun({ experimentId: experiment.id });
  const deadline = Date.now() + 300_000;
  for (;;) {
    const { run } = await api.getRun({ runId });
    if (!run.active && ['finished', 'failed', 'cancelled'].includes(run.status)) {
      if (run.status !== 'finished') throw new Error(`the seeding run ${runId} ended ${run.status}: ${run.error ?? ''}`);
      return runId;
    }
    if (Date.now() > deadline) throw new Error(`the seeding run ${runId} did not finish in 5 minutes`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
