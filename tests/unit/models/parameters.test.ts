import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { countSafetensorsParameters, estimateParameters, readSafetensorsHeader } from '../../../core/models/parameters.ts';
import { checkpointFiles, llamaTensorShapes, tempDir, tinyConfig, writeFiles } from './helpers.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function exactCount(config: Record<string, unknown>): number {
  return Object.values(llamaTensorShapes(config)).reduce((sum, shape) => sum + shape.reduce((a, b) => a * b, 1), 0);
}

describe('estimateParameters', () => {
  it.each([
    ['untied, grouped-query attention', tinyConfig()],
    ['tied embeddings', tinyConfig({ tie_word_embeddings: true })],
    ['explicit head_dim', tinyConfig({ head_dim: 8 })],
    ['no num_key_value_heads (multi-head)', tinyConfig({ num_key_value_heads: undefined })],
    ['qwen2 q/k/v biases', tinyConfig({ model_type: 'qwen2', architectures: ['Qwen2ForCausalLM'] })],
  ])('matches the exact tensor count: %s', (_label, config) => {
    expect(estimateParameters(config)).toBe(exactCount(config));
  });

  it('matches the safetensors headers of a written checkpoint, sharded or not', () => {
    for (const sharded of [false, true]) {
      const dir = tempDir();
      dirs.push(dir);
      const files = checkpointFiles({ sharded });
      writeFiles(dir, files);
      const weights = Object.keys(files).filter((f) => f.endsWith('.safetensors')).map((f) => path.join(dir, f));
      expect(weights).toHaveLength(sharded ? 2 : 1);
      expect(countSafetensorsParameters(weights)).toBe(estimateParameters(tinyConfig()));
    }
  });

  it.each([
    // Published parameter counts of real checkpoints, from their config.json values.
    ['SmolLM2-135M', { vocab_size: 49152, hidden_size: 576, num_hidden_layers: 30, intermediate_size: 1536, num_attention_heads: 9, num_key_value_heads: 3, tie_word_embeddings: true, model_type: 'llama' }, 134_515_008],
    ['Llama-3.2-1B', { vocab_size: 128256, hidden_size: 2048, num_hidden_layers: 16, intermediate_size: 8192, num_attention_heads: 32, num_key_value_heads: 8, head_dim: 64, tie_word_embeddings: true, model_type: 'llama' }, 1_235_814_400],
    ['Qwen2.5-0.5B', { vocab_size: 151936, hidden_size: 896, num_hidden_layers: 24, intermediate_size: 4864, num_attention_heads: 14, num_key_value_heads: 2, tie_word_embeddings: true, model_type: 'qwen2' }, 494_032_768],
    ['Mistral-7B-v0.1', { vocab_size: 32000, hidden_size: 4096, num_hidden_layers: 32, intermediate_size: 14336, num_attention_heads: 32, num_key_value_heads: 8, tie_word_embeddings: false, model_type: 'mistral' }, 7_241_732_096],
  ])('%s', (_name, config, expected) => {
    expect(estimateParameters(config)).toBe(expected);
  });

  it('is null when the config lacks a needed field', () => {
    expect(estimateParameters({ vocab_size: 10, hidden_size: 4 })).toBeNull();
    expect(estimateParameters(tinyConfig({ intermediate_size: 'big' }))).toBeNull();
  });
});

describe('readSafetensorsHeader', () => {
  it('reads tensor shapes and rejects a file that is not safetensors', () => {
    const dir = tempDir();
    dirs.push(dir);
    writeFiles(dir, { ...checkpointFiles(), 'bad.safetensors': Buffer.from('hello world, not a header') });
    const header = readSafetensorsHeader(path.join(dir, 'model.safetensors'));
    expect(header.tensors['model.embed_tokens.weight']).toMatchObject({ dtype: 'F32', shape: [64, 16] });
    expect(() => readSafetensorsHeader(path.join(dir, 'bad.safetensors'))).toThrow(/bad header length/);
  });
});
