// Parameter counts of decoder-only checkpoints, two ways: estimated from config.json (the shapes a
// Llama-family model builds from its hyperparameters) and counted exactly from safetensors headers.

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const TIED_BY_DEFAULT = new Set(['gemma', 'gemma2', 'gemma3_text']);

function positiveInt(config: Record<string, unknown>, ...keys: string[]): number | null {
  for (const key of keys) {
    const value = config[key];
    if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  }
  return null;
}

/**
 * Parameters of a Llama-family model (Llama, Mistral, Mixtral, Qwen2/3, SmolLM, Gemma) from its
 * config: embeddings, per layer q/k/v/o projections (grouped-query attention via
 * num_key_value_heads, explicit head_dim), a gated MLP (three matrices, times the experts of a
 * mixture-of-experts model plus its router), RMSNorm weights, biases where the family has them,
 * and an output head unless tie_word_embeddings. Null when a needed field is missing.
 */
export function estimateParameters(config: Record<string, unknown>): number | null {
  const vocab = positiveInt(config, 'vocab_size');
  const hidden = positiveInt(config, 'hidden_size', 'n_embd', 'd_model');
  const layers = positiveInt(config, 'num_hidden_layers', 'n_layer', 'num_layers');
  const heads = positiveInt(config, 'num_attention_heads', 'n_head');
  const intermediate = positiveInt(config, 'intermediate_size');
  if (vocab === null || hidden === null || layers === null || heads === null || intermediate === null) return null;
  const kvHeads = positiveInt(config, 'num_key_value_heads') ?? heads;
  const headDim = positiveInt(config, 'head_dim') ?? Math.floor(hidden / heads);
  const modelType = typeof config.model_type === 'string' ? config.model_type : '';
  const tied = typeof config.tie_word_embeddings === 'boolean' ? config.tie_word_embeddings : TIED_BY_DEFAULT.has(modelType);
  const experts = positiveInt(config, 'num_local_experts', 'num_experts') ?? 1;

  const qSize = heads * headDim;
  const kvSize = kvHeads * headDim;
  let attention = hidden * qSize + 2 * hidden * kvSize + qSize * hidden;
  const qkvBias = modelType === 'qwen2' || modelType === 'qwen2_moe' || config.attention_bias === true;
  if (qkvBias) attention += qSize + 2 * kvSize;
  if (config.attention_bias === true) attention += hidden; // o_proj bias too (Llama's attention_bias)
  if (modelType === 'qwen3' || modelType === 'qwen3_moe') attention += 2 * headDim; // q_norm, k_norm

  let mlp = 3 * hidden * intermediate;
  if (config.mlp_bias === true) mlp += 2 * intermediate + hidden;
  if (experts > 1) mlp = experts * mlp + hidden * experts; // experts plus the router

  const norms = 2 * hidden;
  const perLayer = attention + mlp + norms;
  const embeddings = vocab * hidden;
  const head = tied ? 0 : vocab * hidden;
  return embeddings + layers * perLayer + hidden + head;
}

export interface SafetensorsTensor {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

export interface SafetensorsHeader {
  tensors: Record<string, SafetensorsTensor>;
  metadata: Record<string, string>;
}

/** The largest header this reader accepts (the format's own limit is 100 MB). */
const MAX_HEADER_BYTES = 100 * 1024 * 1024;

/** Reads the JSON header of a .safetensors file; throws an Error saying what is wrong with it. */
export function readSafetensorsHeader(file: string): SafetensorsHeader {
  const fd = openSync(file, 'r');
  try {
    const fileSize = fstatSync(fd).size;
    const prefix = Buffer.alloc(8);
    if (fileSize < 8 || readSync(fd, prefix, 0, 8, 0) !== 8) throw new Error('too short to be a safetensors file');
    const headerSize = Number(prefix.readBigUInt64LE(0));
    if (headerSize > MAX_HEADER_BYTES || 8 + headerSize > fileSize) throw new Error(`bad header length ${headerSize} for a ${fileSize}-byte file`);
    const raw = Buffer.alloc(headerSize);
    readSync(fd, raw, 0, headerSize, 8);
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch (error) {
      throw new Error(`header is not JSON (${error instanceof Error ? error.message : String(error)})`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('header is not a JSON object');
    const tensors: Record<string, SafetensorsTensor> = {};
    let metadata: Record<string, string> = {};
    for (const [name, value] of Object.entries(parsed as Record<string, unknown>)) {
      if (name === '__metadata__') {
        metadata = (value ?? {}) as Record<string, string>;
        continue;
      }
      const tensor = value as Partial<SafetensorsTensor> | null;
      if (!tensor || typeof tensor.dtype !== 'string' || !Array.isArray(tensor.shape) || !tensor.shape.every((d) => Number.isInteger(d) && d >= 0)) {
        throw new Error(`tensor "${name}" has no valid dtype/shape`);
      }
      tensors[name] = tensor as SafetensorsTensor;
    }
    return { tensors, metadata };
  } finally {
    closeSync(fd);
  }
}

/** The exact number of parameters stored in these safetensors files. */
export function countSafetensorsParameters(files: string[]): number {
  let total = 0;
  for (const file of files) {
    for (const tensor of Object.values(readSafetensorsHeader(file).tensors)) total += tensor.shape.reduce((a, b) => a * b, 1);
  }
  return total;
}

const SAFETENSORS_DTYPES: Record<string, string> = { F32: 'float32', F16: 'float16', BF16: 'bfloat16', F64: 'float64', F8_E4M3: 'float8_e4m3fn', F8_E5M2: 'float8_e5m2' };

/** The torch dtype name of a safetensors dtype tag (BF16 → bfloat16), or the tag lower-cased. */
export function torchDtypeName(tag: string): string {
  return SAFETENSORS_DTYPES[tag] ?? tag.toLowerCase();
}
