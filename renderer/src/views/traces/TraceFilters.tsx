// The filter bar of the Traces view: stage, split, outcome, predictor, sort and a debounced
// full-text search; every change goes to the URL query (and ?stage= from a link selects the stage).
import { memo, useEffect, useRef, useState } from 'react';
import { SEARCH_MAX_LENGTH } from '../../../../core/contract/schemas.ts';
import type { StageSummary } from '../../api/types.ts';
import { replaceParams } from '../../app/router.ts';
import type { TraceParams } from './trace-params.ts';

export function stageLabel(s: StageSummary): string {
  return `seed ${s.seed ?? '—'} · ${s.prefix || 'zero-shot'}`;
}

/** Filters only change the URL; the view derives its query from it. */
const set = (params: Record<string, string | number | null>) => replaceParams(params);

/** The API's limit on `search`: a longer paste is cut here, not refused there. */
export const SEARCH_MAX = SEARCH_MAX_LENGTH;
/** Typing settles this long before the list is asked again. */
const SEARCH_DEBOUNCE_MS = 60;

// Memoized: the Traces view re-renders on every selection step (holding j), the filters need not.
export const TraceFilters = memo(function TraceFilters({
  p,
  stages,
  stageId,
  predictors,
  searchRef,
}: {
  p: TraceParams;
  stages: StageSummary[];
  stageId: number | null;
  predictors: string[];
  searchRef: React.RefObject<HTMLInputElement | null>;
}) {
  return (
    <div className="row tr-filters">
      {p.evaluationId !== null ? (
        <span className="badge" data-testid="filter-eval">
          evaluation #{p.evaluationId}{' '}
          <button type="button" className="ghost tr-chip-x" aria-label="Show stage results instead" data-testid="filter-eval-clear" onClick={() => set({ eval: null })}>
            ×
          </button>
        </span>
      ) : (
        <>
          <label className="tr-field">
            Stage
            <select data-testid="filter-stage" value={stageId ?? ''} onChange={(e) => set({ stage: e.target.value })}>
              {stageId !== null && !stages.some((s) => s.id === stageId) ? <option value={stageId}>#{stageId}</option> : null}
              {stages.map((s) => (
                <option key={s.id} value={s.id}>
                  #{s.id} {stageLabel(s)}
                  {s.scores?.[p.split] !== undefined ? ` · ${p.split} ${s.scores[p.split]!.toFixed(1)}%` : s.status !== 'finished' ? ` · ${s.status}` : ''}
                </option>
              ))}
            </select>
          </label>
          <label className="tr-field">
            Split
            <select data-testid="filter-split" value={p.split} onChange={(e) => set({ split: e.target.value })}>
              <option value="dev">dev</option>
              <option value="test">test</option>
            </select>
          </label>
        </>
      )}
      <label className="tr-field">
        Outcome
        <select data-testid="filter-outcome" value={p.outcome ?? ''} onChange={(e) => set({ outcome: e.target.value })}>
          <option value="">all</option>
          <option value="pass">pass</option>
          <option value="fail">fail</option>
          <option value="error">program error</option>
        </select>
      </label>
      <label className="tr-field" title="Open only this module in the trace">
        Predictor
        <select data-testid="filter-predictor" value={p.predictor ?? ''} onChange={(e) => set({ predictor: e.target.value })}>
          <option value="">all modules</option>
          {predictors.map((path) => (
            <option key={path} value={path}>
              {path}
            </option>
          ))}
        </select>
      </label>
      <label className="tr-field">
        Sort
        <select data-testid="filter-sort" value={p.sort} onChange={(e) => set({ sort: e.target.value === 'index' ? null : e.target.value })}>
          <option value="index">example ↑</option>
          <option value="index-desc">example ↓</option>
          <option value="score">score ↑</option>
          <option value="score-desc">score ↓</option>
        </select>
      </label>
      <SearchBox value={p.q} inputRef={searchRef} />
    </div>
  );
});

function SearchBox({ value, inputRef }: { value: string; inputRef: React.RefObject<HTMLInputElement | null> }) {
  const [text, setText] = useState(value);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  /** The last text this box put in the URL: its own update must not reset what was typed since. */
  const sent = useRef(value);
  // Follow the URL when it changes from elsewhere (a link, back/forward): that wins over typing
  // still waiting for its debounce.
  useEffect(() => {
    if (value === sent.current) return;
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    sent.current = value;
    setText(value);
  }, [value]);
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);
  const change = (next: string) => {
    setText(next);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      timer.current = null;
      sent.current = next;
      set({ q: next });
    }, SEARCH_DEBOUNCE_MS);
  };
  return (
    <input
      ref={inputRef}
      type="search"
      className="tr-search"
      placeholder="Search id, inputs, prediction  ( / )"
      aria-label="Search example results"
      data-testid="trace-search"
      maxLength={SEARCH_MAX}
      value={text}
      onChange={(e) => change(e.target.value)}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          if (text) change('');
          else e.currentTarget.blur();
        } else if (e.key === 'Enter' || e.key === 'ArrowDown') {
          e.preventDefault();
          e.currentTarget.blur();
        }
      }}
    />
  );
}
