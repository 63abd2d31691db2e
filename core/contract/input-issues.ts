// One readable line per problem of a zod parse: the field path (`lm.model`, `strategies[1]`) and
// what is wrong (`must be ≥ 1, got 0`). The API's errors, the CLI's messages (with the flag in
// place of the path) and the workbench's form all word a problem this way.

import type { z } from 'zod';
import type { ApiIssue } from './errors.ts';

/** `lm.model`, `strategies[1]`, '' for the root. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' && Number.isNaN(value)) return 'NaN';
  if (typeof value === 'string') return value.length > 40 ? `a string` : `"${value}"`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value === 'undefined' ? 'nothing' : `a${typeof value === 'object' ? 'n' : ''} ${typeof value}`;
}

const EXPECTED: Record<string, string> = { int: 'an integer', number: 'a number', string: 'a string', boolean: 'true or false', object: 'an object', array: 'an array' };

/** One readable problem per zod issue. */
export function issueMessage(issue: z.core.$ZodIssue): string {
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'invalid_type': {
      if (input === undefined && issue.path.length > 0) return 'is required';
      if (issue.expected === 'int' && typeof input === 'number') return `must be an integer, got ${describe(input)}`;
      return `must be ${EXPECTED[issue.expected] ?? issue.expected}, got ${describe(input)}`;
    }
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') return min <= 1 ? 'must not be empty' : `must be at least ${min} characters`;
      if (issue.origin === 'array' || issue.origin === 'set') return `must have at least ${min} item${min === 1 ? '' : 's'}`;
      return `must be ${issue.inclusive ? '≥' : '>'} ${min}${input !== undefined ? `, got ${describe(input)}` : ''}`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return `must be at most ${max} characters`;
      if (issue.origin === 'array' || issue.origin === 'set') return `must have at most ${max} item${max === 1 ? '' : 's'}`;
      return `must be ${issue.inclusive ? '≤' : '<'} ${max}${input !== undefined ? `, got ${describe(input)}` : ''}`;
    }
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}${input !== undefined ? `, got ${describe(input)}` : ''}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'invalid_format':
      return issue.format === 'url' ? `must be a URL, got ${describe(input)}` : issue.format === 'regex' ? issue.message : `must be a valid ${issue.format}`;
    case 'invalid_union': {
      // Report the branch that got furthest: its first issue, or a generic line.
      const branches = (issue as { errors?: z.core.$ZodIssue[][] }).errors ?? [];
      const deep = branches.flat().find((i) => i.path.length > 0);
      if (deep) return `${formatPath(deep.path)}: ${issueMessage(deep)}`;
      const expected = branches.map((b) => b[0]).filter((i) => i?.code === 'invalid_type' && i.path.length === 0).map((i) => (i as { expected: string }).expected);
      if (expected.length === branches.length && expected.length > 0) {
        return `must be ${expected.map((e) => EXPECTED[e] ?? e).join(' or ')}, got ${describe(input)}`;
      }
      return issue.message && issue.message !== 'Invalid input' ? issue.message : `has the wrong shape (got ${describe(input)})`;
    }
    default:
      return issue.message;
  }
}

export function issuesOf(error: z.ZodError): ApiIssue[] {
  return error.issues.map((issue) => {
    const path = formatPath(issue.path);
    const message = issueMessage(issue);
    // A union's deep issue comes back as "sub.path: problem"; fold it into the path.
    const nested = issue.code === 'invalid_union' ? /^([\w.[\]]+): (.*)$/s.exec(message) : null;
    if (nested) {
      return { path: path === '' ? nested[1]! : `${path}${nested[1]!.startsWith('[') ? '' : '.'}${nested[1]!}`, message: nested[2]! };
    }
    return { path, message };
  });
}

/** A message naming the problems: the first few, then how many more. `label` names a path. */
export function describeIssues(issues: readonly ApiIssue[], label: (path: string) => string = (p) => p): string {
  const lines = issues.map((i) => {
    const name = label(i.path);
    return name === '' ? i.message : `${name}: ${i.message}`;
  });
  return lines.slice(0, 3).join('; ') + (lines.length > 3 ? `; and ${lines.length - 3} more` : '');
}
