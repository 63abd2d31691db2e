// Word-level diff (longest common subsequence over words and whitespace runs): what Compare
// shows between two outputs and Candidates between an instruction and its baseline.

export interface DiffPart {
  kind: 'same' | 'add' | 'del';
  text: string;
}

/** Splits into words and the whitespace between them, so the joined parts give the text back. */
export function tokenize(text: string): string[] {
  return text.match(/\s+|[^\s]+/g) ?? [];
}

/**
 * The diff from `before` to `after`. Long inputs (more than `limit` tokens on a side) fall back to
 * one deletion and one insertion, so a huge completion never blocks the UI.
 */
export function wordDiff(before: string, after: string, limit = 2000): DiffPart[] {
  if (before === after) return before ? [{ kind: 'same', text: before }] : [];
  const a = tokenize(before);
  const b = tokenize(after);
  if (a.length > limit || b.length > limit) {
    return [
      ...(before ? [{ kind: 'del' as const, text: before }] : []),
      ...(after ? [{ kind: 'add' as const, text: after }] : []),
    ];
  }
  // lcs[i][j]: length of the LCS of a[i:] and b[j:]
  const n = a.length;
  const m = b.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const parts: DiffPart[] = [];
  const push = (kind: DiffPart['kind'], text: string) => {
    const last = parts[parts.length - 1];
    if (last && last.kind === kind) last.text += text;
    else parts.push({ kind, text });
  };
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      push('same', a[i]!);
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) push('del', a[i++]!);
    else push('add', b[j++]!);
  }
  while (i < n) push('del', a[i++]!);
  while (j < m) push('add', b[j++]!);
  return parts;
}
