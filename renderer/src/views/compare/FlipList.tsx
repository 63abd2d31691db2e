// The flipped examples: filter by kind and strategy, sort (regressions first by default), page
// through 40 at a time; j/k move the focus, o (or Enter on the focused row) opens its traces.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useCommands, type Command } from '../../app/commands.ts';
import { replaceParams } from '../../app/router.ts';
import { EmptyState } from '../../components/states.tsx';
import { FLIP_SORTS, strategyLabel, strategyToParam, type FlipKindFilter, type FlipSort } from './compare-params.ts';
import { filterFlips, sortFlips, type FlipItem } from './flip-items.ts';
import { FlipRow } from './FlipRow.tsx';

const PAGE = 40;

interface Props {
  items: FlipItem[];
  baseline: string;
  strategies: string[];
  sort: FlipSort;
  kind: FlipKindFilter;
  flipStrategy: string | null;
  expandedKey: string | null;
  showRun: boolean;
}

const SORT_LABELS: Record<FlipSort, string> = { regressions: 'regressions first', improvements: 'improvements first', index: 'example index', strategy: 'strategy' };

export function FlipList({ items, baseline, strategies, sort, kind, flipStrategy, expandedKey, showRun }: Props) {
  const shown = useMemo(() => sortFlips(filterFlips(items, kind, flipStrategy), sort), [items, kind, flipStrategy, sort]);
  const [limit, setLimit] = useState(PAGE);
  const [focus, setFocus] = useState(0);
  const rows = useRef(new Map<string, HTMLLIElement>());
  const visible = shown.slice(0, limit);
  const regressions = items.filter((i) => i.kind === 'regression').length;

  useEffect(() => setFocus(0), [kind, flipStrategy, sort]);
  // Open the example named in the URL when it is further down than the first page.
  useEffect(() => {
    if (!expandedKey) return;
    const at = shown.findIndex((i) => i.key === expandedKey);
    if (at >= limit) setLimit(at + 1);
    if (at >= 0) setFocus(at);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [expandedKey, shown]);

  const toggle = (item: FlipItem) => replaceParams({ flip: expandedKey === item.key ? null : item.key });
  const move = (delta: number) => {
    const next = Math.max(0, Math.min(visible.length - 1, focus + delta));
    setFocus(next);
    const key = visible[next]?.key;
    // DOM focus follows, so Enter (the row's button) opens it too.
    if (key) rows.current.get(key)?.querySelector<HTMLButtonElement>('.cmp-flip-head')?.focus({ preventScroll: false });
  };
  const commands = useMemo<Command[]>(
    () => [
      { id: 'compare.next', title: 'Next flipped example', group: 'Compare', shortcut: 'j', run: () => move(1) },
      { id: 'compare.prev', title: 'Previous flipped example', group: 'Compare', shortcut: 'k', run: () => move(-1) },
      { id: 'compare.open', title: 'Open / close the traces of the focused example', group: 'Compare', shortcut: 'o', run: () => visible[focus] && toggle(visible[focus]) },
    ],
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [focus, visible.length, shown, expandedKey],
  );
  useCommands(commands);

  return (
    <section className="panel" data-testid="compare-flips">
      <div className="row cmp-section-head">
        <h2>Flipped examples</h2>
        <span className="subtle">
          {items.length} flips · {regressions} regressions (R→W) · {items.length - regressions} improvements (W→R)
        </span>
        <span className="spacer" />
        <label className="row">
          show
          <select value={kind} onChange={(e) => replaceParams({ kind: e.target.value === 'all' ? null : e.target.value, flip: null })} data-testid="compare-flip-kind">
            <option value="all">all flips</option>
            <option value="regressions">regressions (R→W)</option>
            <option value="improvements">improvements (W→R)</option>
          </select>
        </label>
        <label className="row">
          of
          <select
            value={flipStrategy === null ? '*' : strategyToParam(flipStrategy)}
            onChange={(e) => replaceParams({ of: e.target.value === '*' ? null : e.target.value, flip: null })}
            data-testid="compare-flip-strategy"
          >
            <option value="*">every strategy</option>
            {strategies.map((s) => (
              <option key={s} value={strategyToParam(s)}>
                {strategyLabel(s)}
              </option>
            ))}
          </select>
        </label>
        <label className="row">
          sort
          <select value={sort} onChange={(e) => replaceParams({ sort: e.target.value === 'regressions' ? null : e.target.value })} data-testid="compare-flip-sort">
            {FLIP_SORTS.map((s) => (
              <option key={s} value={s}>
                {SORT_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
      </div>
      {shown.length === 0 ? (
        <EmptyState title={items.length === 0 ? 'No flips' : 'No flips match the filter'}>
          {items.length === 0 ? 'Every example has the same correctness under the baseline and the selected strategies on this split.' : 'Change the kind or strategy filter.'}
        </EmptyState>
      ) : (
        <>
          <p className="subtle cmp-keys">
            <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>o</kbd> or <kbd>Enter</kbd> open traces · showing {visible.length} of {shown.length}
          </p>
          <ul className="cmp-flip-list">
            {visible.map((item, i) => (
              <FlipRow
                key={item.key}
                ref={(el) => {
                  if (el) rows.current.set(item.key, el);
                  else rows.current.delete(item.key);
                }}
                item={item}
                baseline={baseline}
                showRun={showRun}
                focused={i === focus}
                expanded={item.key === expandedKey}
                onToggle={() => {
                  setFocus(i);
                  toggle(item);
                }}
                onFocus={() => setFocus(i)}
              />
            ))}
          </ul>
          {shown.length > limit ? (
            <button type="button" onClick={() => setLimit((l) => l + PAGE)} data-testid="compare-flip-more">
              Show {Math.min(PAGE, shown.length - limit)} more
            </button>
          ) : null}
        </>
      )}
    </section>
  );
}
