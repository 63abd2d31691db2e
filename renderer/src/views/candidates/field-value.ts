// How a demo's field value is laid out: a list (HotPotQA's `context`, "Title | text" passages)
// as numbered items with the title split off, a long text clamped to a few lines with a toggle.

/** Texts longer than this start clamped (as a trace's passages do). */
export const CLAMP_CHARS = 240;

export function isLongText(text: string): boolean {
  return text.length > CLAMP_CHARS || text.split('\n').length > 3;
}

export interface ListItem {
  /** The passage's title when the item reads `Title | text`; null otherwise. */
  title: string | null;
  text: string;
}

/** One list item: a `Title | text` passage split at its first ` | `, anything else kept whole. */
export function listItem(item: string): ListItem {
  const at = item.indexOf(' | ');
  if (at <= 0) return { title: null, text: item };
  const title = item.slice(0, at).trim();
  return title ? { title, text: item.slice(at + 3) } : { title: null, text: item };
}
