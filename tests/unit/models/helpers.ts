// Tiny Hugging Face checkpoints built in memory: config.json, safetensors weights with the tensor
// names and shapes a Llama-family model has (so parameter estimates can be checked against an
// exact count), a tokenizer.json and optionally a chat template. Used as files on disk and as the
// content of fake hub repos.

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type Files = Record<string, Buffer | string>;

export function tinyConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    vocab_size: 64,
    hidden_size: 16,
    intermediate_size: 32,
    num_hidden_layers: 2,
    num_attention_heads: 4,
    num_key_value_heads: 2,
    tie_word_embeddings: false,
    torch_dtype: 'float32',
    rms_norm_eps: 1e-5,
    ...overrides,
  };
}

/** The tensors a Llama/Qwen2-style model of this config stores, in HF's names. */
export function llamaTensorShapes(config: Record<string, unknown>): Record<string, number[]> {
  const n = (key: string) => config[key] as number;
  const hidden = n('hidden_size');
  const heads = n('num_attention_heads');
  const kv = (config.num_key_value_heads as number | undefined) ?? heads;
  const headDim = (config.head_dim as number | undefined) ?? hidden / heads;
  const inter = n('intermediate_size');
  const shapes: Record<string, number[]> = { 'model.embed_tokens.weight': [n('vocab_size'), hidden] };
  for (let i = 0; i < n('num_hidden_layers'); i++) {
    const p = `model.layers.${i}`;
    shapes[`${p}.self_attn.q_proj.weight`] = [heads * headDim, hidden];
    shapes[`${p}.self_attn.k_proj.weight`] = [kv * headDim, hidden];
    shapes[`${p}.self_attn.v_proj.weight`] = [kv * headDim, hidden];
    shapes[`${p}.self_attn.o_proj.weight`] = [hidden, heads * headDim];
    if (config.model_type === 'qwen2') {
      shapes[`${p}.self_attn.q_proj.bias`] = [heads * headDim];
      shapes[`${p}.self_attn.k_proj.bias`] = [kv * headDim];
      shapes[`${p}.self_attn.v_proj.bias`] = [kv * headDim];
    }
    shapes[`${p}.mlp.gate_proj.weight`] = [inter, hidden];
    shapes[`${p}.mlp.up_proj.weight`] = [inter, hidden];
    shapes[`${p}.mlp.down_proj.weight`] = [hidden, inter];
    shapes[`${p}.input_layernorm.weight`] = [hidden];
    shapes[`${p}.post_attention_layernorm.weight`] = [hidden];
  }
  shapes['model.norm.weight'] = [hidden];
  if (config.tie_word_embeddings !== true) shapes['lm_head.weight'] = [n('vocab_size'), hidden];
  return shapes;
}

/** A safetensors file (F32) holding these tensors, filled with deterministic bytes. */
export function safetensorsBytes(shapes: Record<string, number[]>, seed = 1): Buffer {
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let offset = 0;
  for (const [name, shape] of Object.entries(shapes)) {
    const bytes = shape.reduce((a, b) => a * b, 1) * 4;
    header[name] = { dtype: 'F32', shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  const data = Buffer.alloc(offset);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < data.length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    data[i] = state >>> 24;
  }
  return Buffer.concat([prefix, Buffer.from(json), data]);
}

export const TOKENIZER_JSON = JSON.stringify({ version: '1.0', model: { type: 'BPE', vocab: { a: 0, b: 1 }, merges: [] }, added_tokens: [] });
export const CHAT_TEMPLATE = "{% for m in messages %}<|{{ m['role'] }}|>{{ m['content'] }}\n{% endfor %}";

export interface CheckpointOptions {
  config?: Record<string, unknown>;
  /** Split the weights into two shards with a model.safetensors.index.json. */
  sharded?: boolean;
  chatTemplate?: boolean;
  seed?: number;
}

/** The files of a tiny checkpoint. */
export function checkpointFiles(options: CheckpointOptions = {}): Files {
  const config = options.config ?? tinyConfig();
  const shapes = llamaTensorShapes(config);
  const files: Files = {
    'config.json': JSON.stringify(config, null, 2),
    'generation_config.json': JSON.stringify({ bos_token_id: 0, eos_token_id: 1 }),
    'tokenizer.json': TOKENIZER_JSON,
    'tokenizer_config.json': JSON.stringify(options.chatTemplate === false ? { model_max_length: 512 } : { model_max_length: 512, chat_template: CHAT_TEMPLATE }),
  };
  if (options.sharded) {
    const names = Object.keys(shapes);
    const half = Math.ceil(names.length / 2);
    const shards = [names.slice(0, half), names.slice(half)];
    const weightMap: Record<string, string> = {};
    let totalSize = 0;
    shards.forEach((group, i) => {
      const file = `model-0000${i + 1}-of-00002.safetensors`;
      const part = Object.fromEntries(group.map((n) => [n, shapes[n]!]));
      files[file] = safetensorsBytes(part, (options.seed ?? 1) + i);
      for (const n of group) {
        weightMap[n] = file;
        totalSize += shapes[n]!.reduce((a, b) => a * b, 1) * 4;
      }
    });
    files['model.safetensors.index.json'] = JSON.stringify({ metadata: { total_size: totalSize }, weight_map: weightMap }, null, 2);
  } else {
    files['model.safetensors'] = safetensorsBytes(shapes, options.seed ?? 1);
  }
  return files;
}

export function writeFiles(dir: string, files: Files): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

export function tempDir(prefix = 'tandem-models-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}
