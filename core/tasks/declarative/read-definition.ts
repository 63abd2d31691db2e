// Reading a no-code task definition from a .json, .yaml or .yml file and checking it against the
// contract's schema. Every problem names the file and, where it can be found, the line: JSON
// syntax errors where JSON.parse stopped (json-error-position), YAML ones where the parser did,
// and schema problems at the field they are about (the text is parsed once more as a YAML
// document, JSON being YAML, to know where each field sits).

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import { formatPath, issuesOf } from '../../contract/input-issues.ts';
import { TaskDefinitionSchema, type TaskDefinition } from '../../contract/task-definition.ts';
import { jsonErrorIndex } from '../../datasets/json-error-position.ts';
import { TaskDefinitionError, type DefinitionIssue } from './errors.ts';
import { DEFINITION_FORMATS } from '../../contract/task-source.ts';

export type DefinitionFormat = 'json' | 'yaml';

/** The definition file formats, by extension (the contract's list, one for every front end). */
export const DEFINITION_EXTENSIONS: Readonly<Record<string, DefinitionFormat>> = DEFINITION_FORMATS;

export interface ReadTaskDefinition {
  definition: TaskDefinition;
  /** The file, resolved. */
  file: string;
  /** The folder its relative paths (dataset, corpus) are resolved against. */
  baseDir: string;
}

/** Whether a path names a definition file (by extension), rather than a built-in task or code. */
export function isDefinitionFile(file: string): boolean {
  return path.extname(file).toLowerCase() in DEFINITION_EXTENSIONS;
}

/** Reads, parses and validates a definition file; problems are TaskDefinitionErrors. */
export async function readTaskDefinition(file: string): Promise<ReadTaskDefinition> {
  const resolved = path.resolve(file);
  const format = formatOf(file);
  let text: string;
  try {
    text = await readFile(resolved, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? 'file not found; check the path' : code === 'EISDIR' ? 'is a folder; expected a .json, .yaml or .yml file' : `cannot read file: ${(error as Error).message}`;
    throw new TaskDefinitionError(file, [{ path: '', message }]);
  }
  return { definition: parseTaskDefinition(text, file, format), file: resolved, baseDir: path.dirname(resolved) };
}

function formatOf(file: string): DefinitionFormat {
  const format = DEFINITION_EXTENSIONS[path.extname(file).toLowerCase()];
  if (!format) throw new TaskDefinitionError(file, [{ path: '', message: 'a task definition is a .json, .yaml or .yml file' }]);
  return format;
}

/** Parses and validates definition text; `file` names it in errors. */
export function parseTaskDefinition(text: string, file: string, format: DefinitionFormat = formatOf(file)): TaskDefinition {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const value = format === 'json' ? parseJson(body, file) : parseYamlText(body, file);
  const expected = 'a task definition (an object with name, dataset, inputs, outputs and metric)';
  if (value === null || value === undefined) throw new TaskDefinitionError(file, [{ path: '', message: `the file is empty; expected ${expected}` }]);
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new TaskDefinitionError(file, [{ path: '', message: `expected ${expected}, found ${Array.isArray(value) ? 'a list' : `a ${typeof value}`}`, line: 1 }]);
  }
  const result = TaskDefinitionSchema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  throw new TaskDefinitionError(file, locateIssues(body, result.error));
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error))
      .replace(/,? *(in JSON )?at position \d+.*$/s, '')
      .replace(/ *\(line \d+ column \d+\)$/, '');
    const { line, column } = lineColumn(text, jsonErrorIndex(text, error));
    throw new TaskDefinitionError(file, [{ path: '', message: `invalid JSON: ${reason.length > 120 ? `${reason.slice(0, 117)}...` : reason}`, line, column }]);
  }
}

function parseYamlText(text: string, file: string): unknown {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const first = doc.errors[0];
  if (first) {
    const at = first.linePos?.[0];
    const message = first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new TaskDefinitionError(file, [{ path: '', message: `invalid YAML: ${message}`, ...(at ? { line: at.line, column: at.col } : {}) }]);
  }
  return doc.toJS({ maxAliasCount: 100 });
}

/** 1-based line and column of a 0-based offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, offset));
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}

/** The schema's problems, each with the line of the field it is about (or its nearest parent). */
function locateIssues(text: string, error: z.ZodError): DefinitionIssue[] {
  const lineCounter = new LineCounter();
  let root: YamlNode | null = null;
  try {
    // JSON is YAML: one document model for both formats gives every field's position.
    root = (parseDocument(text, { lineCounter }).contents as YamlNode | null) ?? null;
  } catch {
    root = null;
  }
  return issuesOf(error).map((issue, i) => {
    const zodIssue = error.issues[i]!;
    const segments = issue.path === formatPath(zodIssue.path) ? [...zodIssue.path] : parsePath(issue.path);
    const unknownKey = zodIssue.code === 'unrecognized_keys' ? zodIssue.keys[0] : undefined;
    const offset = root ? offsetOf(root, segments, unknownKey) : null;
    if (offset === null) return issue;
    const { line, col } = lineCounter.linePos(offset);
    return { ...issue, line, column: col };
  });
}

/** `stages[1].inputs[0]` → ['stages', 1, 'inputs', 0]. */
function parsePath(text: string): PropertyKey[] {
  const out: PropertyKey[] = [];
  for (const match of text.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(match[2] !== undefined ? Number(match[2]) : match[1]!);
  return out;
}

/** Where the node at `segments` starts (or, for an unknown key, that key; or the deepest parent found). */
function offsetOf(root: YamlNode, segments: readonly PropertyKey[], unknownKey: string | undefined): number | null {
  let node: unknown = root;
  for (const segment of segments) {
    const child = childOf(node, segment);
    if (child === undefined) break;
    node = child;
  }
  if (unknownKey !== undefined) {
    const pair = pairOf(node, unknownKey);
    if (pair && isScalar(pair.key) && pair.key.range) return pair.key.range[0];
  }
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? range[0] : null;
}

function pairOf(node: unknown, key: PropertyKey) {
  if (!isMap(node)) return undefined;
  return node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(key));
}

function childOf(node: unknown, segment: PropertyKey): unknown {
  if (isSeq(node) && typeof segment === 'number') return node.items[segment] ?? undefined;
  const pair = pairOf(node, segment);
  if (!pair) return undefined;
  return pair.value ?? pair.key;
}
