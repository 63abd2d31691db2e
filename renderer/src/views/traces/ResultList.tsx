// The virtualized list of example results: fixed-height rows absolutely positioned in one tall
// spacer, only the visible ones (plus overscan) mounted; asks the pager for the rows in view.
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef, type RefObject } from 'react';
import type { CheckInfo, ExampleResultRow } from '../../api/types.ts';
import { checkValueText, orderedChecks } from '../../components/check-definitions.ts';
import { fieldsPreview, goldPreview } from './tree/fields.ts';
import type { ResultPager } from './result-pager.ts';

export const ROW_HEIGHT = 30;

interface RowProps {
  index: number;
  row: ExampleResultRow | undefined;
  selected: boolean;
  start: number;
  tag: string;
  checkDefs: readonly CheckInfo[];
  onSelect(index: number): void;
}

/** The row's intermediate checks as compact percentages ("100 · 50"), labelled in the tooltip. */
function Checks({ checks, defs }: { checks: ExampleResultRow['checks']; defs: readonly CheckInfo[] }) {
  if (!checks || Object.keys(checks).length === 0) return null;
  const items = orderedChecks(checks, defs);
  const label = items.map((c) => `${c.label} ${checkValueText(c.value)}`).join(' · ');
  return (
    <span className="tr-checks" title={`intermediate checks: ${label}`} aria-label={label} data-testid="trace-row-checks">
      {items.map((c) => (c.value === null ? 'n/a' : Math.round(c.value * 100))).join(' · ')}
    </span>
  );
}

const Row = memo(function Row({ index, row, selected, start, tag, checkDefs, onSelect }: RowProps) {
  const style = { transform: `translateY(${start}px)`, height: ROW_HEIGHT };
  if (!row) {
    return (
      <div className="tr-row tr-placeholder" style={style} data-testid="trace-row-loading">
        <span className="tr-idx">#{index}</span>
        <span className="subtle">loading…</span>
      </div>
    );
  }
  const gold = goldPreview(row.labels, 60, row.prediction);
  return (
    <div
      className={selected ? 'tr-row selected' : 'tr-row'}
      style={style}
      role="option"
      aria-selected={selected}
      data-testid="trace-row"
      data-index={index}
      data-trace-id={row.traceId ?? undefined}
      onClick={() => onSelect(index)}
    >
      <span className="tr-idx">#{row.exampleIndex}</span>
      <span className="tr-id mono" title={row.exampleId ?? undefined}>
        {row.exampleId ?? '—'}
      </span>
      <span className={row.passed ? 'badge badge-pass' : 'badge badge-fail'}>{row.passed ? 'pass' : 'fail'}</span>
      <span className="tr-score">{row.score.toFixed(2)}</span>
      <Checks checks={row.checks} defs={checkDefs} />
      {row.error ? (
        <span className="badge badge-error" title={row.error.message}>
          {row.error.kind}
        </span>
      ) : null}
      {gold ? (
        <span className="tr-gold mono" title={`expected (gold label): ${fieldsPreview(row.labels, 300)}`} data-testid="trace-row-gold">
          {gold}
        </span>
      ) : null}
      <span className="tr-pred mono">{row.prediction ? fieldsPreview(row.prediction, 160) : <i className="subtle">no prediction</i>}</span>
      <span className="tr-tag">{tag}</span>
    </div>
  );
});

export function ResultList({
  pager,
  total,
  selected,
  tag,
  checkDefs,
  onSelect,
  firstVisible,
}: {
  pager: ResultPager;
  total: number;
  selected: number | null;
  tag: string;
  /** Labels of the run's intermediate checks (empty: the raw names). */
  checkDefs: readonly CheckInfo[];
  onSelect(index: number): void;
  /** Set to the first row in view, where `j` starts when nothing is selected. */
  firstVisible: RefObject<number>;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;

  // Ask for what is on screen and a screenful either side (pages are 200 rows, so this rarely fetches).
  useEffect(() => {
    const top = scrollRef.current?.scrollTop ?? 0;
    firstVisible.current = items.find((i) => i.end > top)?.index ?? first;
    const margin = Math.max(40, last - first);
    pager.want(first - margin, last + margin);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- items follow first/last
  }, [pager, first, last, firstVisible]);

  useEffect(() => {
    if (selected !== null && selected < total) virtualizer.scrollToIndex(selected, { align: 'auto' });
  }, [selected, total, virtualizer]);

  return (
    <div className="tr-scroll" ref={scrollRef} role="listbox" aria-label="Example results" data-testid="trace-list" tabIndex={-1}>
      <div className="tr-spacer" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => (
          <Row key={item.index} index={item.index} row={pager.row(item.index)} selected={item.index === selected} start={item.start} tag={tag} checkDefs={checkDefs} onSelect={onSelect} />
        ))}
      </div>
    </div>
  );
}
