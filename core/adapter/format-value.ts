import type { FieldValue } from '../program/example.ts';

/** How a field value appears in a prompt: lists as numbered lines, everything else as text. */
export function formatValue(value: FieldValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map((item, i) => `[${i + 1}] ${item}`).join('\n');
  return String(value);
}
