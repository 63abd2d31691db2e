// Programs are trees of modules whose leaves are predictors. A predictor's path is the chain of
// property names leading to it (`hop.generate_query[0]`), so paths are stable across clones and
// saved states.

import type { FieldValue, Prediction } from './example.ts';
import type { CallContext } from './context.ts';
import { Predict } from './predict.ts';
import { Retrieve } from './retrieve.ts';

export abstract class Module {
  abstract forward(inputs: Record<string, FieldValue>, ctx: CallContext): Promise<Prediction>;

  /** Every predictor in the program with its stable path, in declaration order. */
  namedPredictors(): Array<[string, Predict]> {
    const found: Array<[string, Predict]> = [];
    collect(this, '', found, new Set());
    return found;
  }

  predictors(): Predict[] {
    return this.namedPredictors().map(([, p]) => p);
  }

  /** Deep copy: predictors and submodules are copied, everything else is shared. */
  clone(): this {
    return cloneValue(this) as this;
  }
}

function collect(value: unknown, path: string, out: Array<[string, Predict]>, seen: Set<unknown>): void {
  if (value instanceof Predict) {
    if (!seen.has(value)) {
      seen.add(value);
      value.path = path || 'self';
      out.push([value.path, value]);
    }
    return;
  }
  if (value instanceof Retrieve) {
    // Retrieval modules are named like predictors (for traces) but hold nothing to optimize.
    value.path = path || 'retrieve';
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => collect(item, `${path}[${i}]`, out, seen));
    return;
  }
  if (value instanceof Module) {
    if (seen.has(value)) return;
    seen.add(value);
    for (const [key, child] of Object.entries(value)) {
      if (child instanceof Predict || child instanceof Retrieve || child instanceof Module || Array.isArray(child)) {
        collect(child, path ? `${path}.${key}` : key, out, seen);
      }
    }
  }
}

function cloneValue(value: unknown): unknown {
  if (value instanceof Predict) return value.clone();
  if (Array.isArray(value)) return value.map(cloneValue);
  if (value instanceof Module) {
    const copy = Object.create(Object.getPrototypeOf(value)) as Record<string, unknown>;
    for (const [key, child] of Object.entries(value)) copy[key] = cloneValue(child);
    return copy;
  }
  return value;
}
