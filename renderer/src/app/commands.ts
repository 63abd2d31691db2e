// The command registry behind the palette (Ctrl/Cmd+K) and the keyboard shortcuts. Views add
// their own commands while mounted (useCommands) and remove them when they unmount.
import { useEffect } from 'react';
import { create } from 'zustand';

export interface Command {
  id: string;
  title: string;
  /** e.g. 'g e' (a sequence) or 'mod+k'; shown in the palette and bound globally. */
  shortcut?: string;
  group?: string;
  run(): void;
}

interface CommandState {
  commands: Map<string, Command>;
  paletteOpen: boolean;
  add(commands: Command[]): () => void;
  setPaletteOpen(open: boolean): void;
}

export const useCommandStore = create<CommandState>((set, get) => ({
  commands: new Map(),
  paletteOpen: false,
  add(commands) {
    const next = new Map(get().commands);
    for (const c of commands) next.set(c.id, c);
    set({ commands: next });
    return () => {
      const after = new Map(get().commands);
      for (const c of commands) if (after.get(c.id) === c) after.delete(c.id);
      set({ commands: after });
    };
  },
  setPaletteOpen(open) {
    set({ paletteOpen: open });
  },
}));

/** Registers commands while the calling component is mounted. Pass a stable (memoized) array. */
export function useCommands(commands: Command[]): void {
  useEffect(() => useCommandStore.getState().add(commands), [commands]);
}

/** Whether a key event comes from a text field (shortcuts other than mod+k are ignored there). */
export function isTyping(event: KeyboardEvent): boolean {
  const t = event.target as HTMLElement | null;
  if (!t) return false;
  return t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable;
}
