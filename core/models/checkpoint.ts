// What is in a Hugging Face checkpoint folder: config.json, safetensors weights (one file or
// shards listed by model.safetensors.index.json), tokenizer.json, an optional chat template.
// `inspectCheckpoint` either describes a usable folder or throws one error naming every problem.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { jsonErrorIndex } from '../datasets/json-error-position.ts';
import { ModelLibraryError } from './errors.ts';
import { countSafetensorsParameters, estimateParameters, readSafetensorsHeader, torchDtypeName } from './parameters.ts';

export const CONFIG_FILE = 'config.json';
export const TOKENIZER_FILE = 'tokenizer.json';
export const TOKENIZER_CONFIG_FILE = 'tokenizer_config.json';
export const SAFETENSORS_INDEX_FILE = 'model.safetensors.index.json';

export interface CheckpointInfo {
  dir: string;
  config: Record<string, unknown>;
  /** config.json `architectures[0]`, e.g. "LlamaForCausalLM". */
  architecture: string | null;
  modelType: string | null;
  /** config.json `torch_dtype` (or `dtype`), else the first tensor's dtype. */
  dtype: string | null;
  /** Weight files relative to `dir`: the index's shards when there is an index, else every top-level *.safetensors. */
  weightFiles: string[];
  /** Sum of the weight files' sizes. */
  sizeBytes: number;
  /** Estimated from config.json; counted from the safetensors headers when the config lacks a field. */
  parameters: number | null;
  hasChatTemplate: boolean;
}

/** Where a JSON text first goes wrong, as 1-based line and column. */
export function jsonErrorLocation(text: string, error: unknown): { line: number; column: number } {
  const index = jsonErrorIndex(text, error);
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  const column = index - (before.lastIndexOf('\n') + 1) + 1;
  return { line, column };
}

/** Parses a JSON file; on a syntax error the message names the file, line and column. */
export function readJsonFile(file: string, label = path.basename(file)): unknown {
  const text = readFileSync(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    const { line, column } = jsonErrorLocation(text, error);
    const reason = error instanceof Error ? error.message.replace(/\s*\(line \d+ column \d+\)|\s*in JSON at position \d+.*$/g, '') : String(error);
    throw new Error(`${label} is not valid JSON: line ${line}, column ${column}: ${reason}`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readShardNames(dir: string, problems: string[]): string[] | null {
  let index: unknown;
  try {
    index = readJsonFile(path.join(dir, SAFETENSORS_INDEX_FILE));
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
    return null;
  }
  const weightMap = isObject(index) ? index.weight_map : undefined;
  if (!isObject(weightMap) || !Object.values(weightMap).every((v) => typeof v === 'string')) {
    problems.push(`${SAFETENSORS_INDEX_FILE} has no "weight_map" of tensor names to shard files`);
    return null;
  }
  return [...new Set(Object.values(weightMap) as string[])].sort();
}

/** Shard files named by a model.safetensors.index.json text (for the hub downloader). */
export function shardsOfIndex(text: string): string[] {
  const index: unknown = JSON.parse(text);
  const weightMap = isObject(index) ? index.weight_map : undefined;
  if (!isObject(weightMap)) throw new Error(`${SAFETENSORS_INDEX_FILE} has no "weight_map"`);
  return [...new Set(Object.values(weightMap).filter((v): v is string => typeof v === 'string'))].sort();
}

/** True when the folder carries a chat template: in tokenizer_config.json, chat_template.jinja or chat_template.json. */
function findChatTemplate(dir: string, tokenizerConfig: Record<string, unknown> | null): boolean {
  const template = tokenizerConfig?.chat_template;
  if (typeof template === 'string' && template.trim() !== '') return true;
  if (Array.isArray(template) && template.length > 0) return true;
  return existsSync(path.join(dir, 'chat_template.jinja')) || existsSync(path.join(dir, 'chat_template.json'));
}

/**
 * Describes a checkpoint folder, or throws a ModelLibraryError ('invalid-model') whose message
 * lists everything missing or broken, so one attempt tells the user all there is to fix.
 */
export function inspectCheckpoint(dir: string): CheckpointInfo {
  const abs = path.resolve(dir);
  if (!existsSync(abs)) throw new ModelLibraryError('invalid-model', `no such folder: ${abs}`);
  if (!statSync(abs).isDirectory()) throw new ModelLibraryError('invalid-model', `${abs} is a file; a model is a folder holding config.json, *.safetensors and tokenizer.json`);
  const names = new Set(readdirSync(abs));
  const problems: string[] = [];

  let config: Record<string, unknown> | null = null;
  if (!names.has(CONFIG_FILE)) {
    problems.push('no config.json');
  } else {
    try {
      const parsed = readJsonFile(path.join(abs, CONFIG_FILE));
      if (isObject(parsed)) config = parsed;
      else problems.push('config.json is not a JSON object');
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }

  let weightFiles: string[] = [];
  if (names.has(SAFETENSORS_INDEX_FILE)) {
    const shards = readShardNames(abs, problems);
    if (shards) {
      const missing = shards.filter((s) => !existsSync(path.join(abs, s)));
      if (missing.length > 0) problems.push(`${SAFETENSORS_INDEX_FILE} names shards that are missing: ${missing.join(', ')}`);
      else weightFiles = shards;
    }
  } else {
    weightFiles = [...names].filter((n) => n.endsWith('.safetensors')).sort();
    if (weightFiles.length === 0) {
      const other = [...names].filter((n) => /\.(bin|pt|pth|gguf|ckpt)$/.test(n));
      problems.push(
        other.length > 0
          ? `no *.safetensors weights (found ${other.slice(0, 3).join(', ')}; Tandem reads safetensors only, convert the weights first)`
          : 'no *.safetensors weights',
      );
    }
  }

  if (!names.has(TOKENIZER_FILE)) {
    problems.push(names.has('tokenizer.model') ? 'no tokenizer.json (found only tokenizer.model; Tandem needs the fast-tokenizer tokenizer.json)' : 'no tokenizer.json');
  }

  let tokenizerConfig: Record<string, unknown> | null = null;
  if (names.has(TOKENIZER_CONFIG_FILE)) {
    try {
      const parsed = readJsonFile(path.join(abs, TOKENIZER_CONFIG_FILE));
      if (isObject(parsed)) tokenizerConfig = parsed;
      else problems.push('tokenizer_config.json is not a JSON object');
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }

  if (problems.length > 0 || config === null) {
    throw new ModelLibraryError('invalid-model', `${abs} is not a usable model folder: ${problems.join('; ')}`);
  }

  const weightPaths = weightFiles.map((f) => path.join(abs, f));
  const sizeBytes = weightPaths.reduce((sum, f) => sum + statSync(f).size, 0);
  const architectures = config.architectures;
  const architecture = Array.isArray(architectures) && typeof architectures[0] === 'string' ? architectures[0] : null;
  let dtype = typeof config.torch_dtype === 'string' ? config.torch_dtype : typeof config.dtype === 'string' ? config.dtype : null;
  let parameters = estimateParameters(config);
  if (dtype === null || parameters === null) {
    try {
      if (dtype === null && weightPaths[0]) {
        const first = Object.values(readSafetensorsHeader(weightPaths[0]).tensors)[0];
        if (first) dtype = torchDtypeName(first.dtype);
      }
      if (parameters === null) parameters = countSafetensorsParameters(weightPaths);
    } catch {
      // A corrupt header is the engine's to report when it loads the weights; listing goes on.
    }
  }
  return {
    dir: abs,
    config,
    architecture,
    modelType: typeof config.model_type === 'string' ? config.model_type : null,
    dtype,
    weightFiles,
    sizeBytes,
    parameters,
    hasChatTemplate: findChatTemplate(abs, tokenizerConfig),
  };
}
