// Global keyboard handling: mod+k opens the palette anywhere; other shortcuts (single keys or
// two-key sequences such as `g e`) fire outside text fields.
import { isTyping, useCommandStore } from './commands.ts';

export function installShortcuts(): () => void {
  let pending: string | null = null;
  let pendingTimer: ReturnType<typeof setTimeout> | null = null;
  const onKey = (e: KeyboardEvent) => {
    const store = useCommandStore.getState();
    if ((e.metaKey || e.ctrlKey) && e.key.toLowerCase() === 'k') {
      e.preventDefault();
      store.setPaletteOpen(!store.paletteOpen);
      return;
    }
    if (store.paletteOpen || isTyping(e) || e.metaKey || e.ctrlKey || e.altKey) return;
    const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    const seq = pending ? `${pending} ${key}` : key;
    const commands = [...store.commands.values()];
    const exact = commands.find((c) => c.shortcut === seq);
    if (exact) {
      e.preventDefault();
      pending = null;
      exact.run();
      return;
    }
    if (!pending && commands.some((c) => c.shortcut?.startsWith(`${key} `))) {
      pending = key;
      if (pendingTimer) clearTimeout(pendingTimer);
      pendingTimer = setTimeout(() => (pending = null), 1200);
      return;
    }
    pending = null;
  };
  window.addEventListener('keydown', onKey);
  return () => window.removeEventListener('keydown', onKey);
}
