// Keyboard for the Traces view: j/k (palette commands) and ↓/↑ move the selection, Enter focuses
// the trace, / focuses search, Esc steps back (trace → list → no selection). Arrows and Enter
// are left alone while the trace pane has focus (arrows scroll it, Enter opens a <summary>).
import { useEffect, useMemo, useRef, type RefObject } from 'react';
import { isTyping, useCommands, useCommandStore, type Command } from '../../app/commands.ts';

interface Keys {
  total: number;
  selected: number | null;
  /** The first row in view: `j` with nothing selected starts there. */
  firstVisible: RefObject<number>;
  select(index: number | null): void;
  searchRef: RefObject<HTMLInputElement | null>;
  paneRef: RefObject<HTMLDivElement | null>;
}

export function useTraceKeys(keys: Keys): void {
  const ref = useRef(keys);
  ref.current = keys;

  // Stable: everything is read through ref when a key fires.
  const move = useMemo(
    () => (delta: number) => {
      const { total, selected, select, paneRef, firstVisible } = ref.current;
      if (total === 0) return;
      if (paneRef.current?.contains(document.activeElement)) (document.activeElement as HTMLElement).blur();
      select(selected === null ? Math.min(total - 1, firstVisible.current) : Math.min(total - 1, Math.max(0, selected + delta)));
    },
    [],
  );

  const commands = useMemo<Command[]>(
    () => [
      { id: 'traces.next', title: 'Next example (j / ↓)', group: 'Traces', shortcut: 'j', run: () => move(1) },
      { id: 'traces.prev', title: 'Previous example (k / ↑)', group: 'Traces', shortcut: 'k', run: () => move(-1) },
      // Enter is bound below, not here: on a button or a <summary> it must keep its own meaning.
      { id: 'traces.focus', title: 'Focus the trace (Enter)', group: 'Traces', run: () => ref.current.paneRef.current?.focus() },
      { id: 'traces.search', title: 'Search example results', group: 'Traces', shortcut: '/', run: () => ref.current.searchRef.current?.focus() },
      {
        id: 'traces.clear',
        title: 'Clear the selection',
        group: 'Traces',
        shortcut: 'Escape',
        run: () => {
          const pane = ref.current.paneRef.current;
          if (pane && pane.contains(document.activeElement)) pane.blur();
          else ref.current.select(null);
        },
      },
    ],
    [move],
  );
  useCommands(commands);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp' && e.key !== 'Enter') return;
      if (isTyping(e) || e.metaKey || e.ctrlKey || e.altKey || useCommandStore.getState().paletteOpen) return;
      if (ref.current.paneRef.current?.contains(document.activeElement)) return;
      if (e.key === 'Enter') {
        // Only from the page or the list: elsewhere Enter presses what has focus.
        const active = document.activeElement;
        if (active && active !== document.body && !active.closest('[role="listbox"]')) return;
        e.preventDefault();
        ref.current.paneRef.current?.focus();
        return;
      }
      e.preventDefault();
      move(e.key === 'ArrowDown' ? 1 : -1);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [move]);
}
