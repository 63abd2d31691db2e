// Support triage: a two-stage program on a small bundled dataset (tickets.csv: 72 made-up
// messages to "Ledgerly", an invoicing app, each with a gold product area, category and
// priority). Stage 1 summarizes the message and names the product area; stage 2 reads the
// message and the summary and decides category and priority. The metric gives half a point for
// each of category and priority; an intermediate check scores stage 1's product area against
// its gold, so reports show whether traces kept for bootstrapping were right for the right reason.
//
//   npx tandem run examples/support-triage/task.ts --strategies "p, p -> w" --lm openai:<model> --base-url <url>
//   (--data <file.csv> runs it on your own tickets with the same columns)

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ChainOfThought,
  csvString,
  defineTask,
  deriveSeed,
  example,
  Module,
  readCsv,
  requireColumns,
  Rng,
  signature,
  stratifiedSplit,
  thirds,
  type CallContext,
  type Example,
  type FieldValue,
  type IntermediateCheck,
  type Prediction,
  type ProgramTrace,
} from 'tandem';

/** The bundled data, next to this file wherever it is copied. */
const BUNDLED = fileURLToPath(new URL('./tickets.csv', import.meta.url));

const CATEGORIES = ['billing', 'bug', 'account', 'feature-request', 'other'] as const;
const PRIORITIES = ['low', 'normal', 'urgent'] as const;
const AREAS = ['billing', 'invoicing', 'web-app', 'mobile-app', 'accounts', 'integrations', 'reports', 'notifications', 'general'] as const;

const summarizeSignature = signature()
  .input('message', 'A customer support message.')
  .output('summary', 'One sentence: what the customer needs.')
  .output('product_area', `The part of the product concerned; one of: ${AREAS.join(', ')}.`)
  .instructions('Summarize the support message and name the product area it concerns.')
  .build();

const triageSignature = signature()
  .input('message', 'A customer support message.')
  .input('summary', 'A one-sentence summary of the message.')
  .output('category', `One of: ${CATEGORIES.join(', ')}.`)
  .output('priority', `One of: ${PRIORITIES.join(', ')} (urgent: work is blocked, money or security is at stake now).`)
  .instructions('Triage the support message: choose its category and its priority.')
  .build();

/** Two stages; their paths (`summarize`, `triage`) name them in traces, reports and fine-tuning data. */
export class SupportTriage extends Module {
  summarize = new ChainOfThought(summarizeSignature);
  triage = new ChainOfThought(triageSignature);

  async forward(inputs: Record<string, FieldValue>, ctx: CallContext): Promise<Prediction> {
    const message = inputs.message ?? '';
    const { summary } = await this.summarize.forward({ message }, ctx);
    return this.triage.forward({ message, summary: summary ?? '' }, ctx);
  }
}

const normalize = (value: FieldValue | undefined) => String(value ?? '').trim().toLowerCase();

/** 1 when category and priority are both right, 0.5 when one is. */
export function triageScore(ex: Example, prediction: Prediction): number {
  const category = normalize(prediction.category) === normalize(ex.labels.category) ? 1 : 0;
  const priority = normalize(prediction.priority) === normalize(ex.labels.priority) ? 1 : 0;
  return (category + priority) / 2;
}

/** Stage 1's product area against the gold one; null when stage 1 gave no output. */
const productAreaCheck: IntermediateCheck = {
  name: 'product_area',
  label: 'area',
  module: 'summarize',
  description: "Whether the summarize stage named the message's gold product area.",
  measure(trace: ProgramTrace, ex: Example) {
    const call = trace.calls.find((c) => c.predictor === 'summarize');
    if (!call?.outputs) return null;
    return normalize(call.outputs.product_area) === normalize(ex.labels.product_area) ? 1 : 0;
  },
};

/** Every ticket of a CSV with columns id, message, product_area, category, priority. */
export async function readTickets(file: string): Promise<Example[]> {
  const table = await readCsv(file);
  requireColumns(table, ['id', 'message', 'product_area', 'category', 'priority']);
  return table.rows.map((row) =>
    example(
      csvString(table, row, 'id'),
      { message: csvString(table, row, 'message') },
      {
        category: csvString(table, row, 'category'),
        priority: csvString(table, row, 'priority'),
        product_area: csvString(table, row, 'product_area'),
      },
    ),
  );
}

export default defineTask({
  name: 'support-triage',
  description: 'Customer support messages: summarize and name the product area, then choose category and priority (half a point each).',
  program: () => new SupportTriage(),
  metric: triageScore,
  // Our own load (rather than `examples`) to honour --data and to split stratified by category.
  async load({ seed, dataPath }) {
    const tickets = await readTickets(dataPath ? path.resolve(dataPath) : BUNDLED);
    const rng = new Rng(deriveSeed(seed, 'support-triage', 'split'));
    return stratifiedSplit(tickets, (t) => String(t.labels.category), thirds(tickets.length), rng);
  },
  protocol: { train: 10, val: 14 },
  checks: [productAreaCheck],
});
