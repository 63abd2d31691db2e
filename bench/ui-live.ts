// UI bench, live progress: runner events at 1,000 events/s reach the Run view, and we measure
// the time from an event's emission to its effect on screen.
//
// Setup: a real run is started through the API against a stub server that answers after 10
// minutes, so the run sits in its zero-shot stage (status running, nothing else happening). The
// web server gets the API wrapped so its event stream also carries events from a second
// EventHub (the API's public `subscribe`, nothing internal); the bench feeds that hub with
// `evaluation-progress` events for the running stage, 1,000 per second, timestamping each one.
// In the page a MutationObserver on the stage's live cell records when each `dev <done>/<total>`
// appears (page clock, aligned to Node's by round trips). An event's latency is the time until
// the screen shows it or a later one; the view flushes at most every 100 ms by design, so most
// events are never drawn on their own and that shows up in the latency.

import type { Page } from 'playwright-core';
import type { Api, ApiEvent } from '../core/api/index.ts';
import { EventHub } from '../core/api/events.ts';
import { startWorkbench } from '../tests/fixtures/ui-workbench.ts';
import { atLeast, atMost, info, percentile, type BenchResult, type BenchRow } from './lib.ts';
import { droppedFrames, installPageScript, longTasksSince, pageNow, round1, startFrames, stopFrames } from './ui-lib.ts';

const RATE = 1000;
const SECONDS = Number(process.env.UI_LIVE_SECONDS ?? 6);
const P95_GOAL_MS = 250;
const MEDIAN_GOAL_MS = 150;

const nodeNow = () => performance.timeOrigin + performance.now();

/** The page clock minus Node's, from the round trip with the least delay. */
async function clockOffset(page: Page): Promise<number> {
  let best = { rtt: Infinity, offset: 0 };
  for (let i = 0; i < 15; i++) {
    const t0 = nodeNow();
    const p = await page.evaluate(() => performance.timeOrigin + performance.now());
    const t1 = nodeNow();
    if (t1 - t0 < best.rtt) best = { rtt: t1 - t0, offset: p - (t0 + t1) / 2 };
  }
  return best.offset;
}

interface Shown {
  done: number;
  t: number;
}

/** Page code: records each new `dev <done>/<total>` of the stage's live cell with its time. */
const OBSERVER = (testId: string) => `(() => {
  const shown = [];
  let last = -1;
  const read = () => {
    const el = document.querySelector('[data-testid="${testId}"]');
    if (!el) return;
    const m = /dev (\\d+)\\/(\\d+)/.exec(el.textContent || '');
    if (!m) return;
    const done = Number(m[1]);
    if (done !== last) { last = done; shown.push({ done, t: performance.timeOrigin + performance.now() }); }
  };
  const mo = new MutationObserver(read);
  mo.observe(document.querySelector('[data-testid="stage-tree"]'), { childList: true, subtree: true, characterData: true });
  window.__live = { shown, stop: () => mo.disconnect() };
})()`;

export async function run(): Promise<BenchResult> {
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  const feed = new EventHub();
  const wrapApi = (api: Api): Api => ({
    ...api,
    subscribe: (listener) => {
      const offApi = api.subscribe(listener);
      const offFeed = feed.subscribe(listener);
      return () => {
        offApi();
        offFeed();
      };
    },
  });
  const wb = await startWorkbench({ latencyMs: 600_000, wrapApi });
  try {
    const { api, page } = wb;
    await installPageScript(page);
    const experiment = await api.createExperiment({
      task: 'iris',
      name: 'live bench',
      strategies: 'p',
      lm: { provider: 'openai', model: 'stub-model', baseUrl: wb.stub.baseUrl },
      timeoutSeconds: 3600,
      retries: 0,
    });
    const { runId } = await api.startRun({ experimentId: experiment.id });
    const started = Date.now();
    let stageStart: Extract<ApiEvent, { type: 'run-event' }> | undefined;
    while (!stageStart) {
      stageStart = wb.events.find((e): e is Extract<ApiEvent, { type: 'run-event' }> => e.type === 'run-event' && e.runId === runId && e.event.type === 'stage-start');
      if (Date.now() - started > 60_000) throw new Error('the run did not start a stage within 60 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    const stageId = (stageStart.event as { stageId: number }).stageId;

    await wb.goto(`#/runs/${runId}`);
    await page.waitForSelector(`[data-testid="stage-row-${stageId}"]`, { timeout: 30_000 });
    await page.waitForTimeout(1000);
    // The page opened after the real stage-start: replay it so the view tracks the stage live.
    feed.emit({ type: 'run-event', runId, event: stageStart.event });
    const total = RATE * SECONDS;
    feed.emit({ type: 'run-event', runId, event: { type: 'evaluation-start', stageId, split: 'dev', total } });
    await page.waitForSelector(`[data-testid="stage-live-${stageId}"]`, { timeout: 10_000 });
    await page.evaluate(OBSERVER(`stage-live-${stageId}`));
    const offset = await clockOffset(page);

    // The feed: catch up to RATE events/s every 2 ms.
    const emittedAt = new Float64Array(total + 1);
    const t0Page = await pageNow(page);
    await startFrames(page);
    await new Promise<void>((resolve) => {
      const begin = nodeNow();
      let done = 0;
      const timer = setInterval(() => {
        const due = Math.min(total, Math.floor(((nodeNow() - begin) * RATE) / 1000));
        while (done < due) {
          done++;
          emittedAt[done] = nodeNow();
          feed.emit({ type: 'run-event', runId, event: { type: 'evaluation-progress', stageId, split: 'dev', done, total, score: 0.5, errors: 0 } });
        }
        if (done >= total) {
          clearInterval(timer);
          resolve();
        }
      }, 2);
    });
    const feedSeconds = (emittedAt[total]! - emittedAt[1]!) / 1000;
    await page.waitForTimeout(1000);
    const gaps = await stopFrames(page);
    const tasks = await longTasksSince(page, t0Page);
    const shown = await page.evaluate(() => (globalThis as unknown as { __live: { shown: Shown[]; stop(): void } }).__live.shown);

    // Per event: until the screen shows it or a later one. Per drawn state: its own event's latency.
    const perEvent: number[] = [];
    let j = 0;
    for (let i = 1; i <= total; i++) {
      while (j < shown.length && shown[j]!.done < i) j++;
      if (j >= shown.length) break;
      perEvent.push(shown[j]!.t - offset - emittedAt[i]!);
    }
    const perDrawn = shown.filter((s) => s.done >= 1 && s.done <= total).map((s) => s.t - offset - emittedAt[s.done]!);
    const lastShown = shown.at(-1)?.done ?? 0;

    rows.push(info('events emitted', total, 'events'));
    rows.push(atLeast('emission rate', Math.round(total / feedSeconds), 'events/s', RATE * 0.95));
    rows.push(atLeast('last event shown on screen', lastShown, `of ${total}`, total));
    rows.push(atMost('event → on screen, median (every event)', round1(percentile(perEvent, 50)), 'ms', MEDIAN_GOAL_MS));
    rows.push(atMost('event → on screen, p95 (every event)', round1(percentile(perEvent, 95)), 'ms', P95_GOAL_MS));
    rows.push(info('event → on screen, max (every event)', round1(Math.max(...perEvent)), 'ms'));
    rows.push(info('drawn event → on screen, median (its own latency)', round1(percentile(perDrawn, 50)), 'ms'));
    rows.push(info('screen updates of the progress cell', shown.length, 'updates'));
    rows.push(info('screen updates per second during the feed', round1(shown.filter((s) => s.t - offset <= emittedAt[total]!).length / feedSeconds), 'updates/s'));
    rows.push(info('dropped frames during the feed (60 Hz)', droppedFrames(gaps), 'frames'));
    rows.push(info('frames during the feed', gaps.length, 'frames'));
    rows.push(info('frame interval p95', round1(percentile(gaps, 95)), 'ms'));
    rows.push(info('long tasks during the feed', tasks.length, 'tasks'));
    rows.push(info('longest task', round1(Math.max(0, ...tasks.map((t) => t.duration))), 'ms'));
    if (wb.pageErrors.length > 0) notes.push(`page errors: ${wb.pageErrors.slice(0, 5).join(' | ')}`);
    notes.push(`${RATE} events/s for ${SECONDS} s over the web server's SSE stream to headless Chromium (--disable-gpu); the Run view flushes live state every 100 ms by design. Clock offset page−node ${round1(offset)} ms.`);
    await api.cancelRun({ runId }).catch(() => {});
  } finally {
    await wb.close();
  }
  return { name: 'ui-live', rows, notes };
}
