// A run's report as a file: the paper-style table (mean ± 95% CI over seeds, per-seed values,
// "—" where a weight step had no passing traces), the score after each step per strategy, and
// the cost per stage, and the task's intermediate checks (check-tables.ts) — as Markdown, CSV, LaTeX (booktabs), standalone HTML or JSON. Pure: the
// CLI (`tandem report`) and the API (`exportReport`) both call it.

import type { ReportFile } from '../contract/api.ts';
import { REPORT_FORMATS, type ReportFormat } from '../contract/schemas.ts';
import type { Prices } from '../contract/cost.ts';
import type { Comparison } from '../contract/views/comparison.ts';
import type { ResultCell, RunResults } from '../contract/views/results.ts';
import { checkLegend, checkTable, sourceTable } from './check-tables.ts';
import { costTable } from './cost-tables.ts';
import { setupRows, type SetupFacts } from './report-setup.ts';
import type { FinetuneSummary, FlippedExample, PromptStageSummary } from './run-details.ts';
import { significanceTable } from './significance-tables.ts';
import { costChartSvg, stepCurvesSvg } from './svg-charts.ts';

export { REPORT_FORMATS, type ReportFile, type ReportFormat };

export interface ReportInput {
  runId: number;
  task: string;
  model: string;
  strategies: readonly string[];
  seeds: readonly number[];
  status: string;
  /** Epoch milliseconds. */
  createdAt: number;
  results: RunResults;
  lm: { calls: number; cacheHits: number; promptTokens: number; completionTokens: number };
  /** Prices of the run's model, for the dollars column of the cost table. */
  prices?: Prices | null;
  /** Spec, modules and version for the setup section (absent: no setup section). */
  setup?: SetupFacts;
  /** Every strategy against zero-shot on the main split, for the significance table. */
  comparison?: Comparison | null;
  /** The random search of each Π stage, each fine-tune, and the most telling flipped examples. */
  promptStages?: PromptStageSummary[];
  finetunes?: FinetuneSummary[];
  flippedExamples?: FlippedExample[];
}

const pct = (v: number | null) => (v === null ? '' : v.toFixed(1));
const stageName = (prefix: string) => (prefix === '' ? 'zero-shot' : prefix);

/** The detail tables (random search, fine-tunes, flipped examples) as [title, intro, head, rows]. */
function detailTables(r: ReportInput): Array<[string, string, string[], string[][]]> {
  const out: Array<[string, string, string[], string[][]]> = [];
  if (r.promptStages?.length) {
    out.push([
      'Random search (each Π stage)',
      'Validation score (%) of every candidate program; the winner is the best (ties go to the first).',
      ['seed', 'stage', 'candidates', 'best', 'median', 'worst', 'winner'],
      r.promptStages.map((p) => [String(p.seed ?? ''), stageName(p.prefix), String(p.candidates), pct(p.best), pct(p.median), pct(p.worst), p.bestKind ? `${p.bestKind}, ${p.bestDemos ?? 0} demos` : '']),
    ]);
  }
  if (r.finetunes?.length) {
    out.push([
      'Fine-tunes (each Θ job)',
      'Rows bootstrapped from passing traces; rows the trainer skipped (too long, template errors); training loss at the first and last step.',
      ['seed', 'stage', 'modules', 'rows', 'skipped', 'loss first → last', 'seconds', 'status'],
      r.finetunes.map((f) => [
        String(f.seed ?? ''),
        stageName(f.prefix),
        f.modules.join(', '),
        String(f.trainRows ?? f.rows),
        String(f.skipped),
        f.firstLoss !== null && f.lastLoss !== null ? `${f.firstLoss.toFixed(3)} → ${f.lastLoss.toFixed(3)}` : '',
        f.seconds !== null ? f.seconds.toFixed(0) : '',
        f.status,
      ]),
    ]);
  }
  if (r.flippedExamples?.length) {
    const strategy = r.flippedExamples[0]!.strategy;
    out.push([
      `Flipped examples (${strategy} against zero-shot)`,
      `The strategy furthest from zero-shot: examples it got wrong that zero-shot got right (regressions), and the reverse (improvements).`,
      ['flip', 'seed', 'example', 'inputs', 'gold', 'zero-shot said', `${strategy} said`],
      r.flippedExamples.map((f) => [f.kind, String(f.seed), f.exampleId ?? '', f.inputs, f.gold, f.baseline, f.prediction]),
    ]);
  }
  return out;
}

/** File extension and MIME type of each format. */
export const REPORT_EXTENSIONS: Record<ReportFormat, [string, string]> = {
  markdown: ['md', 'text/markdown'],
  csv: ['csv', 'text/csv'],
  latex: ['tex', 'application/x-tex'],
  html: ['html', 'text/html'],
  json: ['json', 'application/json'],
};

export function renderReport(input: ReportInput, format: ReportFormat): ReportFile {
  const [ext, mimeType] = REPORT_EXTENSIONS[format];
  const text = { markdown, csv, latex, html, json }[format](input);
  return { filename: `tandem-run-${input.runId}-${input.task}.${ext}`, mimeType, text };
}

/** `mean ± ci` (percent, one decimal), "—" for no passing traces, "n/a" when nothing ran. */
export function cellText(cell: ResultCell | undefined, pm = '±'): string {
  if (!cell || cell.mean === null) return cell?.noPassingTraces ? '—' : 'n/a';
  const ci = cell.ci95 !== null ? ` ${pm} ${cell.ci95.toFixed(1)}` : '';
  return `${cell.mean.toFixed(1)}${ci}${cell.noPassingTraces ? ' †' : ''}`;
}

const seedText = (v: number | null) => (v === null ? '—' : v.toFixed(1));

/** The split the report's charts and tests use: test when the run evaluated it, else the first. */
function mainSplit(results: RunResults): string {
  return results.splits.includes('test') ? 'test' : (results.splits[0] ?? 'dev');
}

export function title(r: ReportInput): string {
  return `Tandem run ${r.runId}: ${r.task} on ${r.model}`;
}

function facts(r: ReportInput): Array<[string, string]> {
  // With a setup section, task, model, strategies and seeds are there (in full).
  const what: Array<[string, string]> = r.setup ? [] : [
    ['task', r.task],
    ['model', r.model],
    ['strategies', r.strategies.join(', ')],
    ['seeds', r.seeds.join(', ')],
  ];
  return [
    ...what,
    ['status', r.status],
    ['started', new Date(r.createdAt).toISOString()],
    ['LM calls', `${r.lm.calls} (${r.lm.cacheHits} from cache), ${r.lm.promptTokens + r.lm.completionTokens} tokens`],
  ];
}

/** Mean over seeds of each strategy's score after each step, per split (the curve table). */
function stepMeans(r: ReportInput): Array<{ strategy: string; split: string; steps: Array<number | null> }> {
  const out: Array<{ strategy: string; split: string; steps: Array<number | null> }> = [];
  for (const row of r.results.rows) {
    if (row.strategy === '') continue;
    for (const split of r.results.splits) {
      const points = r.results.curves.filter((p) => p.strategy === row.strategy && p.split === split);
      const maxStep = Math.max(-1, ...points.map((p) => p.step));
      const steps: Array<number | null> = [];
      for (let s = 0; s <= maxStep; s++) {
        const values = points.filter((p) => p.step === s && p.score !== null).map((p) => p.score!);
        steps.push(values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);
      }
      out.push({ strategy: row.label, split, steps });
    }
  }
  return out;
}

function costTotals(r: ReportInput) {
  const byKind = new Map<string, { stages: number; lmCalls: number; tokens: number; seconds: number; finetuneSeconds: number }>();
  for (const c of r.results.costs) {
    const t = byKind.get(c.kind) ?? { stages: 0, lmCalls: 0, tokens: 0, seconds: 0, finetuneSeconds: 0 };
    t.stages++;
    t.lmCalls += c.lmCalls;
    t.tokens += c.tokens;
    t.seconds += c.seconds ?? 0;
    t.finetuneSeconds += c.finetuneSeconds;
    byKind.set(c.kind, t);
  }
  return [...byKind.entries()];
}

export function mdTable(head: string[], rows: string[][]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [`| ${head.map(esc).join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`, ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
}

export function markdown(r: ReportInput): string {
  const { splits, seeds, rows } = r.results;
  const parts = [`# ${title(r)}`, '', ...facts(r).map(([k, v]) => `- **${k}**: ${v}`), ''];
  if (r.setup) parts.push('## Setup', '', ...setupRows(r.setup).map(([k, v]) => `- **${k}**: ${v}`), '');
  parts.push(`## Accuracy (%, mean${seeds.length > 1 ? ' ± 95% CI' : ''} over ${seeds.length} seed${seeds.length > 1 ? 's' : ''})`, '');
  parts.push(mdTable(['strategy', ...splits], rows.map((row) => [row.label, ...splits.map((s) => cellText(row.cells[s]))])));
  parts.push('', '"—": a weight step had no passing traces to train on; "†": some seeds did.', '');
  const sig = significanceTable(r.comparison);
  if (sig) parts.push(`## Is the difference real? (vs ${sig.baseline}, ${sig.split})`, '', mdTable(sig.head, sig.rows), '', ...sig.sentences.map((line) => `- ${line}`), '', sig.note, '');
  parts.push('## Per seed', '');
  parts.push(mdTable(['strategy', 'split', ...seeds.map((s) => `seed ${s}`)], rows.flatMap((row) => splits.map((split) => [row.label, split, ...(row.cells[split]?.values ?? []).map(seedText)]))));
  const curves = stepMeans(r);
  if (curves.length) {
    const width = Math.max(...curves.map((c) => c.steps.length));
    parts.push('', '## Score after each step (%, mean over seeds; step 0 is zero-shot)', '');
    parts.push(mdTable(['strategy', 'split', ...Array.from({ length: width }, (_, i) => `step ${i}`)], curves.map((c) => [c.strategy, c.split, ...Array.from({ length: width }, (_, i) => seedText(c.steps[i] ?? null))])));
  }
  const checks = r.results.checks;
  if (checks) {
    const t = checkTable(checks, splits, (c) => cellText(c));
    parts.push('', `## Intermediate checks (%, mean${seeds.length > 1 ? ' ± 95% CI' : ''})`, '', mdTable(t.head, t.rows), '', ...checkLegend(checks).map((line) => `- ${line}`));
    if (checks.sources.length) {
      const s = sourceTable(checks);
      parts.push('', '## What each stage learned from', '', 'The passing traces behind each stage\'s demos or training rows, by check: mean % (traces with the check at 100% / traces measured).', '', mdTable(s.head, s.rows));
    }
  }
  for (const [heading, intro, head, rows] of detailTables(r)) parts.push('', `## ${heading}`, '', intro, '', mdTable(head, rows));
  const totals = costTotals(r);
  if (totals.length) {
    parts.push('', '## Cost by stage kind', '');
    parts.push(mdTable(['kind', 'stages', 'LM calls', 'tokens', 'seconds', 'fine-tune seconds'], totals.map(([k, t]) => [k, String(t.stages), String(t.lmCalls), String(t.tokens), t.seconds.toFixed(0), t.finetuneSeconds.toFixed(0)])));
  }
  const costs = costTable(r.results, r.prices ?? null);
  if (costs) parts.push('', `## Cost per strategy (${costs.split})`, '', mdTable(costs.head, costs.rows), '', ...costs.notes.map((n) => `- ${n}`));
  return `${parts.join('\n')}\n`;
}

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csv(r: ReportInput): string {
  const { splits, seeds, rows } = r.results;
  // One row per strategy, split and measure: accuracy first, then each intermediate check.
  const lines = [['strategy', 'split', 'mean', 'ci95', 'no_passing_traces', ...seeds.map((s) => `seed_${s}`), 'measure'].join(',')];
  const line = (strategy: string, split: string, c: ResultCell | undefined, measure: string) =>
    lines.push(
      [strategy === '' ? 'zero-shot' : strategy, split, c?.mean?.toFixed(2) ?? '', c?.ci95?.toFixed(2) ?? '', c?.noPassingTraces ? 'true' : 'false', ...(c?.values ?? []).map((v) => (v === null ? '' : v.toFixed(2))), measure]
        .map(csvField)
        .join(','),
    );
  for (const row of rows) for (const split of splits) line(row.strategy, split, row.cells[split], 'accuracy');
  const checks = r.results.checks;
  for (const row of checks?.rows ?? []) for (const split of splits) for (const d of checks!.definitions) line(row.strategy, split, row.cells[split]?.[d.name], d.name);
  return `${lines.join('\n')}\n`;
}

export function tex(s: string): string {
  return s.replace(/[\\{}$&#^_%~]/g, (c) => (c === '\\' ? '\\textbackslash{}' : c === '~' ? '\\textasciitilde{}' : c === '^' ? '\\textasciicircum{}' : `\\${c}`)).replace(/->/g, '$\\to$');
}

export function latex(r: ReportInput): string {
  const { splits, rows, seeds } = r.results;
  const cell = (c: ResultCell | undefined) => tex(cellText(c, 'PLUSMINUS')).replace('PLUSMINUS', '$\\pm$').replace('—', '---').replace('†', '$^\\dagger$');
  // A star on the split tested: the strategy differs from zero-shot at Holm-adjusted p < 0.05.
  const sig = significanceTable(r.comparison);
  const mark = (strategy: string, split: string) => (sig && split === sig.split && sig.significant.has(strategy) ? '$^{*}$' : '');
  const starNote = sig && sig.significant.size > 0 ? ` $^{*}$: differs from ${tex(sig.baseline)} on ${tex(sig.split)} at Holm-adjusted $p < 0.05$ (exact McNemar over examples and seeds).` : '';
  return [
    `% ${title(r)} — accuracy (%), mean${seeds.length > 1 ? ' $\\pm$ 95\\% CI' : ''} over ${seeds.length} seed(s). Requires \\usepackage{booktabs}.`,
    ...latexTable(
      ['Strategy', ...splits.map((s) => tex(s))],
      rows.map((row) => [tex(row.label), ...splits.map((s) => `${cell(row.cells[s])}${mark(row.strategy, s)}`)]),
      `${tex(`${r.task} on ${r.model}`)}: accuracy (\\%) over seeds ${tex(seeds.join(', '))}. \`\`---'': no passing traces.${starNote}`,
    ),
    ...(sig ? latexTable(sig.head.map(tex), sig.rows.map((row) => row.map(tex)), `${tex(`${r.task} on ${r.model}`)}: each strategy against ${tex(sig.baseline)} on ${tex(sig.split)}. ${tex(sig.note)}`) : []),
    ...(r.results.checks ? latexChecks(r, cell) : []),
    ...latexCosts(r),
  ].join('\n');
}

/** A booktabs table: the first column left-aligned, the others right. Cells are LaTeX already. */
export function latexTable(head: string[], rows: string[][], caption: string): string[] {
  return [
    '\\begin{table}[t]',
    '\\centering',
    `\\begin{tabular}{l${'r'.repeat(head.length - 1)}}`,
    '\\toprule',
    `${head.join(' & ')} \\\\`,
    '\\midrule',
    ...rows.map((row) => `${row.join(' & ')} \\\\`),
    '\\bottomrule',
    '\\end{tabular}',
    `\\caption{${caption}}`,
    '\\end{table}',
    '',
  ];
}

function latexChecks(r: ReportInput, cell: (c: ResultCell | undefined) => string): string[] {
  const t = checkTable(r.results.checks!, r.results.splits, cell);
  return latexTable(
    t.head.map(tex),
    t.rows.map((row) => [tex(row[0]!), ...row.slice(1)]),
    `${tex(`${r.task} on ${r.model}`)}: intermediate checks (\\%). ${checkLegend(r.results.checks!).map(tex).join(' ')}`,
  );
}

function latexCosts(r: ReportInput): string[] {
  const costs = costTable(r.results, r.prices ?? null);
  if (!costs) return [];
  return latexTable(costs.head.map(tex), costs.rows.map((row) => row.map(tex)), `${tex(`${r.task} on ${r.model}`)}: cost per strategy (${tex(costs.split)}). ${tex(costs.notes.join(' '))}`);
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function htmlTable(head: string[], rows: string[][]): string {
  return `<table><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c, i) => `<td${i > 0 ? ' class="num"' : ''}>${escapeHtml(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

const PAGE_STYLE =
  'body{font:14px system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d2026}table{border-collapse:collapse;margin:.5rem 0 1.5rem}th,td{border-bottom:1px solid #ddd;padding:4px 10px;text-align:left}td.num{text-align:right;font-variant-numeric:tabular-nums}dl{display:grid;grid-template-columns:11rem 1fr;gap:2px 12px}dt{font-weight:600}dd{margin:0}h2,h3{break-after:avoid}table,ul,figure{break-inside:avoid}figure{margin:.5rem 0 1rem}figcaption{font-size:12px;color:#555;max-width:40rem}section.run{break-before:page}@page{margin:16mm}';

/** A standalone page: one stylesheet, no script, nothing fetched. */
export function htmlPage(pageTitle: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(pageTitle)}</title>
<style>${PAGE_STYLE}</style>
</head><body>
${body}
</body></html>
`;
}

function html(r: ReportInput): string {
  return htmlPage(title(r), `<h1>${escapeHtml(title(r))}</h1>\n${htmlBody(r)}`);
}

/** A run's report sections as HTML (every heading an h2). */
export function htmlBody(r: ReportInput): string {
  const { splits, seeds, rows } = r.results;
  const curves = stepMeans(r);
  const width = Math.max(0, ...curves.map((c) => c.steps.length));
  return `<dl>${facts(r).map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>
${r.setup ? `<h2>Setup</h2>\n<dl>${setupRows(r.setup).map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>` : ''}
<h2>Accuracy (%, mean${seeds.length > 1 ? ' ± 95% CI' : ''} over ${seeds.length} seed${seeds.length > 1 ? 's' : ''})</h2>
${htmlTable(['strategy', ...splits], rows.map((row) => [row.label, ...splits.map((s) => cellText(row.cells[s]))]))}
<p>“—”: a weight step had no passing traces to train on; “†”: some seeds did.</p>
${htmlSignificance(r)}
<h2>Per seed</h2>
${htmlTable(['strategy', 'split', ...seeds.map((s) => `seed ${s}`)], rows.flatMap((row) => splits.map((split) => [row.label, split, ...(row.cells[split]?.values ?? []).map(seedText)])))}
${curves.length ? `<h2>Score after each step (%, mean over seeds)</h2>\n${stepCurvesSvg(r.results, mainSplit(r.results))}\n${htmlTable(['strategy', 'split', ...Array.from({ length: width }, (_, i) => `step ${i}`)], curves.map((c) => [c.strategy, c.split, ...Array.from({ length: width }, (_, i) => seedText(c.steps[i] ?? null))]))}` : ''}
${r.results.checks ? htmlChecks(r) : ''}
${detailTables(r).map(([heading, intro, head, rows]) => `<h2>${escapeHtml(heading)}</h2>\n<p>${escapeHtml(intro)}</p>\n${htmlTable(head, rows)}`).join('\n')}
${htmlCosts(r)}`;
}

function htmlChecks(r: ReportInput): string {
  const checks = r.results.checks!;
  const t = checkTable(checks, r.results.splits, (c) => cellText(c));
  const s = sourceTable(checks);
  return [
    `<h2>Intermediate checks (%, mean${r.results.seeds.length > 1 ? ' ± 95% CI' : ''})</h2>`,
    htmlTable(t.head, t.rows),
    `<ul>${checkLegend(checks).map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>`,
    checks.sources.length ? `<h2>What each stage learned from</h2>\n<p>The passing traces behind each stage’s demos or training rows, by check: mean % (traces with the check at 100% / traces measured).</p>\n${htmlTable(s.head, s.rows)}` : '',
  ].join('\n');
}

function htmlSignificance(r: ReportInput): string {
  const sig = significanceTable(r.comparison);
  if (!sig) return '';
  return `<h2>Is the difference real? (vs ${escapeHtml(sig.baseline)}, ${escapeHtml(sig.split)})</h2>\n${htmlTable(sig.head, sig.rows)}\n<ul>${sig.sentences.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>\n<p>${escapeHtml(sig.note)}</p>`;
}

function htmlCosts(r: ReportInput): string {
  const costs = costTable(r.results, r.prices ?? null);
  if (!costs) return '';
  return `<h2>Cost per strategy (${escapeHtml(costs.split)})</h2>\n${costChartSvg(r.results, costs.split, r.prices ?? null)}\n${htmlTable(costs.head, costs.rows)}\n<ul>${costs.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>`;
}

function json(r: ReportInput): string {
  const { comparison, ...rest } = r;
  const significance = comparison ? { baseline: comparison.baseline, split: comparison.split, strategies: comparison.flips.map((f) => ({ strategy: f.strategy, counts: f.counts, significance: f.significance })) } : null;
  return `${JSON.stringify({ ...rest, significance, createdAt: new Date(r.createdAt).toISOString(), stepMeans: stepMeans(r), costByKind: Object.fromEntries(costTotals(r)) }, null, 2)}\n`;
}
