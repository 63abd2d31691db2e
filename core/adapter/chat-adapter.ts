// The chat adapter. A system message describes the fields and the task; every turn carries its
// fields under `[[ ## name ## ]]` headers; demos are earlier user/assistant turns; the model is
// asked for the output fields in order and to close with `[[ ## completed ## ]]`.

import type { ChatMessage } from '../contract/views/program.ts';
import { ParseError, type Adapter, type FinetuneRow, type ParsedCompletion } from '../program/adapter.ts';
import type { Demo } from '../program/demo.ts';
import type { FieldValue } from '../program/example.ts';
import type { Field, Signature } from '../program/signature.ts';
import { formatValue } from './format-value.ts';
import { parseJsonFallback } from './json-fallback.ts';

export const COMPLETED_MARKER = 'completed';
export const MISSING_VALUE = 'Not given in this example.';
const PARTIAL_DEMO_NOTE = 'This example shows the format only; some of its fields are not given.';

export function header(name: string): string {
  return `[[ ## ${name} ## ]]`;
}

const HEADER_LINE = /^\[\[ ## ([A-Za-z_][A-Za-z0-9_]*) ## \]\]\s*$/;

export class ChatAdapter implements Adapter {
  readonly name = 'chat';

  format(signature: Signature, demos: readonly Demo[], inputs: Record<string, FieldValue>): ChatMessage[] {
    const rendered = renderedSignature(signature);
    const messages: ChatMessage[] = [{ role: 'system', content: rendered.system }];
    if (demos.length > 0) {
      for (const demo of orderDemos(signature, demos)) {
        const partial = !isComplete(signature, demo);
        const user = sections(signature.inputs, demo.fields, true);
        messages.push({ role: 'user', content: partial ? `${PARTIAL_DEMO_NOTE}\n\n${user}` : user });
        messages.push({ role: 'assistant', content: assistantMessage(signature, demo.fields, true) });
      }
    }
    messages.push({ role: 'user', content: `${sections(signature.inputs, inputs, false)}\n\n${rendered.outputRequest}` });
    return messages;
  }

  parse(signature: Signature, completion: string): ParsedCompletion {
    const found = splitSections(completion);
    const wanted = renderedSignature(signature).outputNames;
    const missing = wanted.filter((name) => !(name in found));
    if (missing.length === 0) {
      const fields: Record<string, string> = {};
      for (const name of wanted) fields[name] = found[name]!;
      return { fields, fallback: null };
    }
    const fromJson = parseJsonFallback(completion, wanted);
    if (fromJson) return { fields: fromJson, fallback: 'json' };
    const seen = Object.keys(found);
    throw new ParseError(
      `completion is missing output field(s) ${missing.map((m) => `"${m}"`).join(', ')}` +
        (seen.length > 0 ? ` (found ${seen.map((s) => `"${s}"`).join(', ')})` : ' (no [[ ## field ## ]] headers found)'),
      completion,
    );
  }

  formatFinetuneRow(
    signature: Signature,
    demos: readonly Demo[],
    inputs: Record<string, FieldValue>,
    outputs: Record<string, FieldValue>,
  ): FinetuneRow {
    const messages = this.format(signature, demos, inputs);
    messages.push({ role: 'assistant', content: assistantMessage(signature, outputs, false) });
    return { messages };
  }
}

/** What the adapter renders from a signature alone, computed once per (immutable) Signature. */
interface RenderedSignature {
  /** The instructions it was rendered with (fields are frozen; this guards the one other property). */
  instructions: string;
  system: string;
  outputRequest: string;
  outputNames: readonly string[];
}

const renderedSignatures = new WeakMap<Signature, RenderedSignature>();

function renderedSignature(signature: Signature): RenderedSignature {
  let rendered = renderedSignatures.get(signature);
  if (rendered === undefined || rendered.instructions !== signature.instructions) {
    rendered = {
      instructions: signature.instructions,
      system: systemMessage(signature),
      outputRequest: outputRequest(signature),
      outputNames: Object.freeze(signature.outputNames),
    };
    renderedSignatures.set(signature, rendered);
  }
  return rendered;
}

function systemMessage(signature: Signature): string {
  const describe = (fields: readonly Field[]) =>
    fields.map((f) => `- \`${f.name}\`${f.description ? `: ${f.description}` : ''}`).join('\n');
  const skeleton = [
    ...signature.inputs.map((f) => `${header(f.name)}\n{${f.name}}`),
    ...signature.outputs.map((f) => `${header(f.name)}\n{${f.name}}`),
    header(COMPLETED_MARKER),
  ].join('\n\n');
  return [
    'You work on a task by reading named input fields and writing named output fields.',
    '',
    'Inputs you receive:',
    describe(signature.inputs),
    '',
    'Outputs you write:',
    describe(signature.outputs),
    '',
    'Every field sits under a header line of the form [[ ## name ## ]] with its value on the lines below. A full exchange looks like this:',
    '',
    skeleton,
    '',
    `Task: ${signature.instructions}`,
  ].join('\n');
}

function sections(fields: readonly Field[], values: Record<string, FieldValue>, fillMissing: boolean): string {
  // Equivalent to filter + map + join('\n\n'), without the intermediate arrays (runs per LM call).
  let out = '';
  let first = true;
  for (const f of fields) {
    const present = f.name in values;
    if (!present && !fillMissing) continue;
    const section = `${header(f.name)}\n${present ? formatValue(values[f.name]) : MISSING_VALUE}`;
    out = first ? section : `${out}\n\n${section}`;
    first = false;
  }
  return out;
}

function assistantMessage(signature: Signature, values: Record<string, FieldValue>, fillMissing: boolean): string {
  const body = fillMissing
    ? sections(signature.outputs, values, true)
    : sections(signature.outputs, values, false);
  return `${body}\n\n${header(COMPLETED_MARKER)}`;
}

function outputRequest(signature: Signature): string {
  const names = signature.outputNames.map((n) => `\`${header(n)}\``);
  const order = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and then ${names.at(-1)!}`;
  return `Reply with ${order}, and finish with \`${header(COMPLETED_MARKER)}\`.`;
}

function isComplete(signature: Signature, demo: Demo): boolean {
  return [...signature.inputNames, ...signature.outputNames].every((n) => n in demo.fields && demo.fields[n] !== null);
}

/** Complete demos first, then partial ones (e.g. labeled demos without reasoning), each group in order. */
function orderDemos(signature: Signature, demos: readonly Demo[]): Demo[] {
  const complete = demos.filter((d) => isComplete(signature, d));
  const partial = demos.filter((d) => !isComplete(signature, d));
  return [...complete, ...partial];
}

const HEADER_START = '[[ ## ';

/** Splits text on header lines; text before the first header is ignored; the completion marker ends parsing. */
export function splitSections(text: string): Record<string, string> {
  // A section's value is the text between its header line and the next, found by jumping from one
  // "[[ ## " to the next instead of testing the header pattern on every line. Windows line ends
  // are folded to \n first so values join lines with \n whatever the model emitted.
  return splitSectionsFast(text.includes('\r') ? text.replace(/\r\n/g, '\n') : text);
}

function splitSectionsFast(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  const length = text.length;
  let current: string | null = null;
  /** Where the current section's first line starts (just past its header line). */
  let bodyStart = 0;
  let from = 0;
  for (;;) {
    const marker = text.indexOf(HEADER_START, from);
    if (marker < 0) break;
    const lineStart = marker === 0 ? 0 : text.lastIndexOf('\n', marker - 1) + 1;
    const newline = text.indexOf('\n', marker);
    const lineEnd = newline < 0 ? length : newline;
    from = lineEnd + 1;
    const match = HEADER_LINE.exec(text.slice(lineStart, lineEnd).trim());
    if (match) {
      // The lines between the previous header line and this one, joined by \n.
      if (current !== null && !(current in result)) result[current] = lineStart > bodyStart ? text.slice(bodyStart, lineStart - 1).trim() : '';
      current = match[1]!;
      bodyStart = lineEnd + 1;
      if (current === COMPLETED_MARKER) return result;
    }
    if (newline < 0) break;
  }
  if (current !== null && !(current in result)) result[current] = bodyStart <= length ? text.slice(bodyStart).trim() : '';
  return result;
}
