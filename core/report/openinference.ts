// Traces as OTLP/JSON spans with OpenInference attributes, the file Phoenix and Langfuse load.
//
// OTLP/JSON (opentelemetry-proto, the protobuf JSON mapping): `resourceSpans[] → scopeSpans[] →
// spans[]`; a span has `traceId` (32 hex), `spanId` (16 hex), `parentSpanId`, `name`, `kind`
// (1 internal, 3 client), `startTimeUnixNano`/`endTimeUnixNano` (decimal strings), `attributes`
// as `[{key, value: {stringValue | intValue | doubleValue | boolValue}}]` (64-bit integers as
// strings) and `status: {code}` (1 ok, 2 error, with `message`).
//
// OpenInference semantic conventions: `openinference.span.kind` (CHAIN for one program run, LLM
// for each LM call, RETRIEVER for each retrieval), `input.value`/`input.mime_type`,
// `output.value`/`output.mime_type`, `metadata` (a JSON string); LLM spans `llm.system`,
// `llm.model_name`, `llm.invocation_parameters` (a JSON string),
// `llm.input_messages.<i>.message.role|content`, `llm.output_messages.<i>.message.role|content`,
// `llm.token_count.prompt|completion|total`; retriever spans
// `retrieval.documents.<i>.document.id|content|score|metadata`. The resource carries
// `service.name` and `openinference.project.name` (Phoenix files the spans under that project).
//
// Ids are derived from the run and trace ids, so exporting the same traces twice gives the same file.

import { createHash } from 'node:crypto';
import type { RetrievalCall } from '../contract/views/program.ts';
import type { LMCallRecord } from '../contract/views/lm-calls.ts';
import type { StoredTrace } from '../contract/views/traces.ts';

export type OtlpAnyValue = { stringValue: string } | { intValue: string } | { doubleValue: number } | { boolValue: boolean };
export interface OtlpAttribute {
  key: string;
  value: OtlpAnyValue;
}
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpAttribute[];
  status: { code: number; message?: string };
}
export interface OtlpTraces {
  resourceSpans: Array<{
    resource: { attributes: OtlpAttribute[] };
    scopeSpans: Array<{ scope: { name: string; version: string }; spans: OtlpSpan[] }>;
  }>;
}

/** One trace to export, with what its example scored (evaluation traces). */
export interface ExportedTrace {
  trace: StoredTrace;
  result?: { split: string; exampleIndex: number; score: number; passed: boolean } | null;
}

export interface TraceExportInfo {
  runId: number;
  task: string;
  /** The stage the traces belong to, when they come from one. */
  stage?: { id: number; prefix: string; seed: number } | null;
  tandemVersion: string;
}

const SPAN_KIND_INTERNAL = 1;
const SPAN_KIND_CLIENT = 3;
const STATUS_OK = 1;
const STATUS_ERROR = 2;

const str = (key: string, value: string): OtlpAttribute => ({ key, value: { stringValue: value } });
const int = (key: string, value: number): OtlpAttribute => ({ key, value: { intValue: String(Math.round(value)) } });
const dbl = (key: string, value: number): OtlpAttribute => ({ key, value: { doubleValue: value } });

function hexId(seed: string, length: 16 | 32): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, length);
}

function nanos(ms: number): string {
  return (BigInt(Math.max(0, Math.round(ms))) * 1_000_000n).toString();
}

export function tracesToOtlp(traces: readonly ExportedTrace[], info: TraceExportInfo): OtlpTraces {
  const spans: OtlpSpan[] = [];
  for (const item of traces) spans.push(...traceSpans(item, info));
  return {
    resourceSpans: [
      {
        resource: {
          attributes: [str('service.name', 'tandem'), str('service.version', info.tandemVersion), str('openinference.project.name', `tandem-run-${info.runId}`)],
        },
        scopeSpans: [{ scope: { name: 'tandem', version: info.tandemVersion }, spans }],
      },
    ],
  };
}

/** The JSON text of tracesToOtlp, as a file. */
export function otlpJsonText(traces: readonly ExportedTrace[], info: TraceExportInfo): string {
  return `${JSON.stringify(tracesToOtlp(traces, info), null, 2)}\n`;
}

function traceSpans({ trace, result }: ExportedTrace, info: TraceExportInfo): OtlpSpan[] {
  const traceId = hexId(`tandem:run:${info.runId}:trace:${trace.id}`, 32);
  const rootId = hexId(`${traceId}:root`, 16);
  const children: OtlpSpan[] = [];
  trace.calls.forEach((call, i) => children.push(llmSpan(call, traceId, hexId(`${traceId}:call:${i}`, 16), rootId)));
  (trace.retrievals ?? []).forEach((r, i) => children.push(retrieverSpan(r, traceId, hexId(`${traceId}:retrieval:${i}`, 16), rootId)));
  const starts = children.map((s) => BigInt(s.startTimeUnixNano));
  const ends = children.map((s) => BigInt(s.endTimeUnixNano));
  const fallback = BigInt(nanos(trace.createdAt));
  const start = starts.length > 0 ? starts.reduce((a, b) => (b < a ? b : a)) : fallback;
  const end = ends.length > 0 ? ends.reduce((a, b) => (b > a ? b : a)) : fallback;
  const metadata: Record<string, unknown> = {
    run_id: info.runId,
    task: info.task,
    trace_id: trace.id,
    purpose: trace.purpose,
    example_id: trace.exampleId,
    ...(info.stage ? { stage_id: info.stage.id, stage: info.stage.prefix === '' ? 'zero-shot' : info.stage.prefix, seed: info.stage.seed } : {}),
    ...(result ? { split: result.split, example_index: result.exampleIndex, score: result.score, passed: result.passed } : {}),
    ...(trace.checks ? { checks: trace.checks } : {}),
  };
  const root: OtlpSpan = {
    traceId,
    spanId: rootId,
    name: info.task,
    kind: SPAN_KIND_INTERNAL,
    startTimeUnixNano: start.toString(),
    endTimeUnixNano: end.toString(),
    attributes: [
      str('openinference.span.kind', 'CHAIN'),
      str('input.value', JSON.stringify(trace.inputs)),
      str('input.mime_type', 'application/json'),
      ...(trace.prediction ? [str('output.value', JSON.stringify(trace.prediction)), str('output.mime_type', 'application/json')] : []),
      str('metadata', JSON.stringify(metadata)),
    ],
    status: trace.error ? { code: STATUS_ERROR, message: `${trace.error.kind}: ${trace.error.message}` } : { code: STATUS_OK },
  };
  return [root, ...children];
}

function llmSpan(call: LMCallRecord, traceId: string, spanId: string, parentSpanId: string): OtlpSpan {
  const request = call.request;
  const parameters: Record<string, unknown> = {};
  if (request) {
    if (request.temperature !== undefined) parameters.temperature = request.temperature;
    if (request.topP !== undefined) parameters.top_p = request.topP;
    if (request.maxTokens !== undefined) parameters.max_tokens = request.maxTokens;
    if (request.stop !== undefined) parameters.stop = request.stop;
    if (request.seed !== undefined) parameters.seed = request.seed;
  }
  const attributes: OtlpAttribute[] = [
    str('openinference.span.kind', 'LLM'),
    str('llm.system', 'openai'),
    str('llm.model_name', call.model),
    str('llm.invocation_parameters', JSON.stringify(parameters)),
    str('input.value', JSON.stringify({ messages: call.messages })),
    str('input.mime_type', 'application/json'),
  ];
  call.messages.forEach((m, i) => attributes.push(str(`llm.input_messages.${i}.message.role`, m.role), str(`llm.input_messages.${i}.message.content`, m.content)));
  if (call.completion !== null) {
    attributes.push(
      str('output.value', call.completion),
      str('output.mime_type', 'text/plain'),
      str('llm.output_messages.0.message.role', 'assistant'),
      str('llm.output_messages.0.message.content', call.completion),
    );
  }
  attributes.push(
    int('llm.token_count.prompt', call.usage.promptTokens),
    int('llm.token_count.completion', call.usage.completionTokens),
    int('llm.token_count.total', call.usage.promptTokens + call.usage.completionTokens),
    str('metadata', JSON.stringify({ predictor: call.predictor, cached: call.cached, attempts: call.attempts, ...(call.outputs ? { outputs: call.outputs } : {}), ...(call.parseFallback ? { parse_fallback: call.parseFallback } : {}) })),
  );
  return {
    traceId,
    spanId,
    parentSpanId,
    name: call.predictor,
    kind: SPAN_KIND_CLIENT,
    startTimeUnixNano: nanos(call.startedAt),
    endTimeUnixNano: nanos(call.startedAt + call.latencyMs),
    attributes,
    status: call.error ? { code: STATUS_ERROR, message: `${call.error.kind}: ${call.error.message}` } : { code: STATUS_OK },
  };
}

function retrieverSpan(r: RetrievalCall, traceId: string, spanId: string, parentSpanId: string): OtlpSpan {
  const attributes: OtlpAttribute[] = [str('openinference.span.kind', 'RETRIEVER'), str('input.value', r.query), str('input.mime_type', 'text/plain')];
  r.passages.forEach((p, i) => {
    attributes.push(
      str(`retrieval.documents.${i}.document.id`, p.id),
      str(`retrieval.documents.${i}.document.content`, p.title ? `${p.title} | ${p.text}` : p.text),
      dbl(`retrieval.documents.${i}.document.score`, p.score),
      str(`retrieval.documents.${i}.document.metadata`, JSON.stringify({ title: p.title })),
    );
  });
  attributes.push(str('metadata', JSON.stringify({ module: r.module, k: r.k, backend: r.backend, retriever: r.retriever, cached: r.cached, attempts: r.attempts })));
  return {
    traceId,
    spanId,
    parentSpanId,
    name: r.module,
    kind: SPAN_KIND_CLIENT,
    startTimeUnixNano: nanos(r.startedAt),
    endTimeUnixNano: nanos(r.startedAt + r.latencyMs),
    attributes,
    status: r.error ? { code: STATUS_ERROR, message: `${r.error.kind}: ${r.error.message}` } : { code: STATUS_OK },
  };
}
