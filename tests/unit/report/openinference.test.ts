// Traces as OTLP/JSON with OpenInference attributes, checked against the fixture written from the
// OpenTelemetry protocol's JSON encoding and OpenInference's semantic conventions
// (tests/fixtures/interop/README.md): the same attribute names, value types and span shape.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { LMCallRecord } from '../../../core/contract/views/lm-calls.ts';
import type { StoredTrace } from '../../../core/contract/views/traces.ts';
import { tracesToOtlp, type OtlpSpan, type OtlpTraces } from '../../../core/report/openinference.ts';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/interop');
const documented = JSON.parse(readFileSync(path.join(fixtures, 'openinference-otlp.json'), 'utf8')) as OtlpTraces;

const call: LMCallRecord = {
  id: 11,
  traceId: 7,
  runId: 3,
  stageId: 5,
  index: 0,
  predictor: 'generate_answer',
  inputs: { question: 'Who wrote Hamlet?' },
  messages: [
    { role: 'system', content: 'Answer briefly.' },
    { role: 'user', content: '[[ ## question ## ]]\nWho wrote Hamlet?' },
  ],
  request: { model: 'stub-model', temperature: 0, maxTokens: 256, seed: 42 },
  completion: '[[ ## answer ## ]]\nShakespeare\n\n[[ ## completed ## ]]',
  outputs: { answer: 'Shakespeare' },
  parseFallback: null,
  model: 'stub-model',
  usage: { promptTokens: 18, completionTokens: 2 },
  latencyMs: 1300,
  cached: false,
  attempts: 1,
  error: null,
  startedAt: 1_700_000_000_200,
};

const trace: StoredTrace = {
  id: 7,
  runId: 3,
  stageId: 5,
  purpose: 'eval',
  createdAt: 1_700_000_002_000,
  exampleId: 'q1',
  inputs: { question: 'Who wrote Hamlet?' },
  prediction: { answer: 'Shakespeare' },
  error: null,
  calls: [call],
  retrievals: [
    {
      module: 'retrieve',
      query: 'Who wrote Hamlet?',
      k: 1,
      backend: 'bm25',
      retriever: 'bm25:plays',
      passages: [{ id: 'doc-7', title: 'Hamlet', text: 'Hamlet is a tragedy by William Shakespeare.', score: 12.5 }],
      latencyMs: 200,
      cached: false,
      attempts: 1,
      error: null,
      startedAt: 1_700_000_000_000,
      afterCalls: 0,
    },
  ],
};

const info = { runId: 3, task: 'qa', stage: { id: 5, prefix: 'p', seed: 0 }, tandemVersion: '1.2.3' };
const kindOf = (span: OtlpSpan) => (span.attributes.find((a) => a.key === 'openinference.span.kind')!.value as { stringValue: string }).stringValue;
/** Attribute names with list indices as <i>, each with its value's type. */
const shape = (span: OtlpSpan) => span.attributes.map((a) => `${a.key.replace(/\.\d+\./g, '.<i>.')}:${Object.keys(a.value)[0]}`).sort();
const spansOf = (doc: OtlpTraces) => doc.resourceSpans[0]!.scopeSpans[0]!.spans;

describe('OpenInference export', () => {
  const exported = tracesToOtlp([{ trace, result: { split: 'test', exampleIndex: 0, score: 1, passed: true } }], info);
  const spans = spansOf(exported);

  it('has the documented OTLP/JSON layout and span fields', () => {
    expect(Object.keys(exported)).toEqual(Object.keys(documented));
    expect(Object.keys(exported.resourceSpans[0]!).sort()).toEqual(Object.keys(documented.resourceSpans[0]!).sort());
    const attrs = exported.resourceSpans[0]!.resource.attributes.map((a) => a.key);
    expect(attrs).toContain('service.name');
    expect(attrs).toContain('openinference.project.name');
    for (const span of spans) {
      const like = spansOf(documented).find((s) => kindOf(s) === kindOf(span))!;
      expect(Object.keys(span).sort()).toEqual(Object.keys(like).sort());
      expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(span.startTimeUnixNano).toMatch(/^\d+$/);
      expect(span.endTimeUnixNano).toMatch(/^\d+$/);
    }
    expect(spans.map(kindOf)).toEqual(['CHAIN', 'LLM', 'RETRIEVER']);
    const [root, llm, retriever] = spans;
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
    expect(llm!.parentSpanId).toBe(root!.spanId);
    expect(retriever!.parentSpanId).toBe(root!.spanId);
    expect(root!.startTimeUnixNano).toBe('1700000000000000000');
    expect(root!.endTimeUnixNano).toBe('1700000001500000000');
    expect(llm!.startTimeUnixNano).toBe('1700000000200000000');
  });

  it('names every attribute as OpenInference documents it, per span kind, with the documented value types', () => {
    for (const kind of ['CHAIN', 'LLM', 'RETRIEVER']) {
      const ours = spans.find((s) => kindOf(s) === kind)!;
      const theirs = spansOf(documented).find((s) => kindOf(s) === kind)!;
      expect([...new Set(shape(ours))], kind).toEqual([...new Set(shape(theirs))]);
    }
  });

  it('carries the messages, tokens, model and parameters of the LM call', () => {
    const llm = spans[1]!;
    const get = (key: string) => llm.attributes.find((a) => a.key === key)?.value;
    expect(get('llm.input_messages.1.message.role')).toEqual({ stringValue: 'user' });
    expect(get('llm.input_messages.1.message.content')).toEqual({ stringValue: '[[ ## question ## ]]\nWho wrote Hamlet?' });
    expect(get('llm.output_messages.0.message.content')).toEqual({ stringValue: call.completion });
    expect(get('llm.token_count.total')).toEqual({ intValue: '20' });
    expect(get('llm.model_name')).toEqual({ stringValue: 'stub-model' });
    expect(JSON.parse((get('llm.invocation_parameters') as { stringValue: string }).stringValue)).toEqual({ temperature: 0, max_tokens: 256, seed: 42 });
    const rootMeta = JSON.parse((spans[0]!.attributes.find((a) => a.key === 'metadata')!.value as { stringValue: string }).stringValue);
    expect(rootMeta).toMatchObject({ run_id: 3, stage: 'p', seed: 0, split: 'test', score: 1, passed: true, example_id: 'q1' });
  });

  it('marks failed calls as errors and gives the same ids for the same traces', () => {
    const failed = { ...trace, calls: [{ ...call, completion: null, outputs: null, error: { kind: 'lm:timeout', message: 'no answer in 30 s' } }], prediction: null, error: { kind: 'lm:timeout', message: 'no answer in 30 s' } };
    const [root, llm] = spansOf(tracesToOtlp([{ trace: failed }], info));
    expect(root!.status).toEqual({ code: 2, message: 'lm:timeout: no answer in 30 s' });
    expect(llm!.status.code).toBe(2);
    expect(llm!.attributes.some((a) => a.key.startsWith('llm.output_messages'))).toBe(false);
    expect(spansOf(tracesToOtlp([{ trace }], info))[0]!.traceId).toBe(spans[0]!.traceId);
  });
});
