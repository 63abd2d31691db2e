// Which repo files a pull takes: glob patterns matched against the whole path in the repo.
// `*` and `?` stay within one folder ("*.safetensors" takes top-level weights only, not a
// repo's original/ or onnx/ copies); `**` crosses folders.

export const DEFAULT_ALLOW_PATTERNS = [
  'config.json',
  'generation_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'chat_template.jinja',
  '*.safetensors',
  'model.safetensors.index.json',
] as const;

export function patternToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*' && pattern[i + 1] === '*') {
      i++;
      if (pattern[i + 1] === '/') {
        source += '(?:.*/)?'; // "**/x" matches "x" and "a/b/x"
        i++;
      } else {
        source += '.*';
      }
    } else if (ch === '*') {
      source += '[^/]*';
    } else if (ch === '?') {
      source += '[^/]';
    } else {
      source += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

/** A predicate true for paths that match any of the patterns. */
export function matchesAny(patterns: readonly string[]): (file: string) => boolean {
  const regexps = patterns.map(patternToRegExp);
  return (file) => regexps.some((r) => r.test(file));
}
