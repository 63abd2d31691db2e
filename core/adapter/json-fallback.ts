// A counted fallback for near-miss completions: some models answer with a JSON object (possibly
// inside a ```json fence) instead of field headers. Accept it when it has every wanted field.

export function parseJsonFallback(completion: string, wanted: readonly string[]): Record<string, string> | null {
  const candidate = extractJsonObject(completion);
  if (candidate === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(candidate);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const record = parsed as Record<string, unknown>;
  const fields: Record<string, string> = {};
  for (const name of wanted) {
    if (!(name in record)) return null;
    const value = record[name];
    fields[name] = typeof value === 'string' ? value.trim() : JSON.stringify(value);
  }
  return fields;
}

function extractJsonObject(text: string): string | null {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text);
  const body = fenced ? fenced[1]! : text;
  const start = body.indexOf('{');
  const end = body.lastIndexOf('}');
  return start >= 0 && end > start ? body.slice(start, end + 1) : null;
}
