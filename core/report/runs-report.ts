// One report for several runs (an experiment's runs, or a Compare selection): an overview of the
// runs and their main-split scores, each run against the first strategy by strategy with the
// paired CI and p-values, then every run's own report in full.

import type { ReportFile } from '../contract/api.ts';
import type { ReportFormat } from '../contract/schemas.ts';
import type { RunsComparison } from '../contract/views/comparison.ts';
import { csv, escapeHtml, htmlBody, htmlPage, htmlTable, latex, latexTable, markdown, mdTable, REPORT_EXTENSIONS, tex, title, type ReportInput } from './export.ts';
import { formatP, signedPoints as points } from '../contract/significance-format.ts';

export interface RunsReportInput {
  /** Shown as the title, e.g. "Experiment 3: iris models" or "Compare selection". */
  heading: string;
  runs: ReportInput[];
  /** The first run against each other run (compareRuns), when they are of one task. */
  across: RunsComparison[];
}


function overview(input: RunsReportInput): { head: string[]; rows: string[][] } {
  const splits = [...new Set(input.runs.flatMap((r) => r.results.splits))];
  const strategies = [...new Set(input.runs.flatMap((r) => r.results.rows.map((row) => row.label)))];
  const head = ['strategy', ...input.runs.flatMap((r) => splits.map((split) => `#${r.runId} ${split}`))];
  const rows = strategies.map((label) => [
    label,
    ...input.runs.flatMap((r) =>
      splits.map((split) => {
        const cell = r.results.rows.find((row) => row.label === label)?.cells[split];
        return cell?.mean != null ? `${cell.mean.toFixed(1)}${cell.ci95 !== null ? ` ± ${cell.ci95.toFixed(1)}` : ''}` : '';
      }),
    ),
  ]);
  return { head, rows };
}

function acrossTables(input: RunsReportInput): Array<{ caption: string; head: string[]; rows: string[][]; sentences: string[]; notes: string[] }> {
  return input.across.map((c) => ({
    caption: `Run ${c.otherRunId} against run ${c.runId} on ${c.split}, strategy by strategy (paired over shared seeds and examples)`,
    head: ['strategy', `#${c.runId} %`, `#${c.otherRunId} %`, 'difference', '95% CI', 'p', 'Holm p'],
    rows: c.strategies.map((r) => {
      const s = r.significance;
      return [r.label, r.accuracy?.toFixed(1) ?? 'n/a', r.otherAccuracy?.toFixed(1) ?? 'n/a', s ? points(s.difference) : '', s ? `${points(s.low)} to ${points(s.high)}` : '', s ? formatP(s.p) : '', s ? formatP(s.pHolm) : ''];
    }),
    sentences: c.strategies.flatMap((r) => (r.significance ? [r.significance.sentence] : [])),
    notes: c.notes,
  }));
}

const runLine = (r: ReportInput) => `run ${r.runId}: ${r.task} on ${r.model}, strategies ${r.strategies.join(', ')}, seeds ${r.seeds.join(', ')} (${r.status})`;

function markdownReport(input: RunsReportInput): string {
  const o = overview(input);
  const parts = [`# ${input.heading}`, '', ...input.runs.map((r) => `- ${runLine(r)}`), '', '## Accuracy by run (%, mean ± 95% CI over seeds)', '', mdTable(o.head, o.rows)];
  for (const t of acrossTables(input)) parts.push('', `## ${t.caption}`, '', mdTable(t.head, t.rows), '', ...t.sentences.map((line) => `- ${line}`), ...t.notes.map((n) => `- note: ${n}`));
  // Each run's own report, its headings one level down.
  for (const r of input.runs) parts.push('', markdown(r).replace(/^(#+) /gm, '#$1 ').trimEnd());
  return `${parts.join('\n')}\n`;
}

function htmlReport(input: RunsReportInput): string {
  const o = overview(input);
  const body = [
    `<h1>${escapeHtml(input.heading)}</h1>`,
    `<ul>${input.runs.map((r) => `<li>${escapeHtml(runLine(r))}</li>`).join('')}</ul>`,
    '<h2>Accuracy by run (%, mean ± 95% CI over seeds)</h2>',
    htmlTable(o.head, o.rows),
    ...acrossTables(input).map(
      (t) =>
        `<h2>${escapeHtml(t.caption)}</h2>\n${htmlTable(t.head, t.rows)}\n<ul>${[...t.sentences, ...t.notes.map((n) => `note: ${n}`)].map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>`,
    ),
    ...input.runs.map((r) => `<section class="run">\n<h1>${escapeHtml(title(r))}</h1>\n${htmlBody(r)}\n</section>`),
  ];
  return htmlPage(input.heading, body.join('\n'));
}

function latexReport(input: RunsReportInput): string {
  const o = overview(input);
  return [
    `% ${input.heading}. Requires \\usepackage{booktabs}.`,
    ...latexTable(o.head.map(tex), o.rows.map((row) => row.map((c) => tex(c).replace('±', '$\\pm$'))), `${tex(input.heading)}: accuracy (\\%) by run, mean $\\pm$ 95\\% CI over seeds.`),
    ...acrossTables(input).flatMap((t) => latexTable(t.head.map(tex), t.rows.map((row) => row.map(tex)), tex(t.caption))),
    ...input.runs.map((r) => latex(r)),
  ].join('\n');
}

function csvReport(input: RunsReportInput): string {
  // Every run's rows, with the run's id as the first column.
  const lines: string[] = [];
  input.runs.forEach((r, i) => {
    const [head, ...rows] = csv(r).trimEnd().split('\n');
    if (i === 0) lines.push(`run,${head}`);
    for (const row of rows) lines.push(`${r.runId},${row}`);
  });
  return `${lines.join('\n')}\n`;
}

function jsonReport(input: RunsReportInput): string {
  return `${JSON.stringify({ heading: input.heading, runs: input.runs.map((r) => ({ ...r, comparison: undefined, createdAt: new Date(r.createdAt).toISOString() })), across: input.across }, null, 2)}\n`;
}

export function renderRunsReport(input: RunsReportInput, format: ReportFormat): ReportFile {
  const [ext, mimeType] = REPORT_EXTENSIONS[format];
  const text = { markdown: markdownReport, csv: csvReport, latex: latexReport, html: htmlReport, json: jsonReport }[format](input);
  const slug = input.heading.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'runs';
  return { filename: `tandem-${slug}-${input.runs.map((r) => r.runId).join('-')}.${ext}`, mimeType, text };
}
