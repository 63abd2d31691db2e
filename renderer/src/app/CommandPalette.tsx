// Ctrl/Cmd+K: every registered command, filtered as you type, run with Enter.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useCommandStore } from './commands.ts';

export function CommandPalette() {
  const open = useCommandStore((s) => s.paletteOpen);
  const commands = useCommandStore((s) => s.commands);
  const setOpen = useCommandStore((s) => s.setPaletteOpen);
  const [query, setQuery] = useState('');
  const [index, setIndex] = useState(0);
  const input = useRef<HTMLInputElement>(null);

  const matches = useMemo(() => {
    const q = query.trim().toLowerCase();
    const all = [...commands.values()].sort((a, b) => (a.group ?? '').localeCompare(b.group ?? '') || a.title.localeCompare(b.title));
    if (!q) return all;
    return all.filter((c) => q.split(/\s+/).every((w) => `${c.group ?? ''} ${c.title}`.toLowerCase().includes(w)));
  }, [commands, query]);

  useEffect(() => {
    if (open) {
      setQuery('');
      setIndex(0);
      setTimeout(() => input.current?.focus(), 0);
    }
  }, [open]);

  if (!open) return null;
  const run = (i: number) => {
    const c = matches[i];
    if (!c) return;
    setOpen(false);
    c.run();
  };
  return (
    <div className="palette-backdrop" onMouseDown={() => setOpen(false)}>
      <div className="palette" role="dialog" aria-label="Command palette" onMouseDown={(e) => e.stopPropagation()}>
        <input
          ref={input}
          className="palette-input"
          placeholder="Type a command…"
          value={query}
          aria-label="Command"
          onChange={(e) => {
            setQuery(e.target.value);
            setIndex(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              setIndex((i) => Math.min(matches.length - 1, i + 1));
            } else if (e.key === 'ArrowUp') {
              e.preventDefault();
              setIndex((i) => Math.max(0, i - 1));
            } else if (e.key === 'Enter') {
              e.preventDefault();
              run(index);
            } else if (e.key === 'Escape') {
              setOpen(false);
            }
          }}
        />
        <ul className="palette-list" role="listbox">
          {matches.length === 0 ? <li className="palette-empty">No command matches “{query}”</li> : null}
          {matches.map((c, i) => (
            <li
              key={c.id}
              role="option"
              aria-selected={i === index}
              className={i === index ? 'active' : ''}
              onMouseEnter={() => setIndex(i)}
              onClick={() => run(i)}
            >
              <span className="palette-group">{c.group}</span>
              <span className="palette-title">{c.title}</span>
              {c.shortcut ? <kbd>{c.shortcut}</kbd> : null}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
