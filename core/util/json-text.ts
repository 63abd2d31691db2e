// JSON text of chat messages, exactly as JSON.stringify writes it, with the contents that recur
// from call to call memoized. A predictor's system message (and its demo turns) is re-sent with
// every LM call and stored with every trace; escaping a few KB of prompt costs microseconds each
// time, while a repeat found in a bounded map costs a hash lookup (V8 caches a string's hash).

interface MessageLike {
  role: string;
  content: string;
}

/** Contents shorter than this are cheaper to escape than to look up. */
const MIN_MEMO_LENGTH = 128;
/** At most this many memoized contents; the map starts over when full. */
const MAX_MEMO_ENTRIES = 512;

const memo = new Map<string, string>();

/** JSON.stringify(text), memoized for long texts expected to recur. */
export function recurringStringJson(text: string): string {
  if (text.length < MIN_MEMO_LENGTH) return JSON.stringify(text);
  let json = memo.get(text);
  if (json === undefined) {
    json = JSON.stringify(text);
    if (memo.size >= MAX_MEMO_ENTRIES) memo.clear();
    memo.set(text, json);
  }
  return json;
}

/**
 * `JSON.stringify(messages.map((m) => ({ role: m.role, content: m.content })))`, or undefined when
 * a role or content is not a string (the caller then stringifies the general way). Every message
 * but the last is memoized: the last one carries the new inputs, the others are the predictor's
 * system message and demos, which recur.
 */
export function chatMessagesJson(messages: readonly MessageLike[]): string | undefined {
  let json = '[';
  const last = messages.length - 1;
  for (let i = 0; i <= last; i++) {
    const { role, content } = messages[i]!;
    if (typeof role !== 'string' || typeof content !== 'string') return undefined;
    const contentJson = i < last ? recurringStringJson(content) : JSON.stringify(content);
    json += `${i === 0 ? '' : ','}{"role":${JSON.stringify(role)},"content":${contentJson}}`;
  }
  return `${json}]`;
}

/**
 * `JSON.stringify(messages)` for an array of plain `{ role, content }` objects (exactly those two
 * own keys, in that order, both strings), memoized as in chatMessagesJson; undefined for anything
 * else, which the caller stringifies the general way.
 */
export function plainChatMessagesJson(messages: unknown): string | undefined {
  if (!Array.isArray(messages) || (messages as { toJSON?: unknown }).toJSON !== undefined) return undefined;
  for (let i = 0; i < messages.length; i++) {
    if (!isPlainMessage(messages[i])) return undefined;
  }
  return chatMessagesJson(messages as MessageLike[]);
}

function isPlainMessage(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) return false;
  const message = value as Record<string, unknown>;
  if (typeof message.role !== 'string' || typeof message.content !== 'string' || message.toJSON !== undefined) return false;
  const keys = Object.keys(message);
  return keys.length === 2 && keys[0] === 'role' && keys[1] === 'content';
}
