// How each strategy's curve is drawn. Strategies often reach the same score at the same step, so
// colour alone leaves one line hidden under another: each series also gets its own dash pattern
// and marker shape, earlier series are drawn wider with larger markers (they show as a band and
// an outline around a later one on top), and x stays exact.
import { Symbols } from 'recharts';
import { SERIES_COLORS } from '../../app/theme.ts';

export type MarkerShape = 'circle' | 'square' | 'triangle' | 'diamond' | 'cross' | 'star' | 'wye';

const SHAPES: readonly MarkerShape[] = ['circle', 'square', 'triangle', 'diamond', 'cross', 'star', 'wye'];
/** Solid first, then patterns that stay apart when overlaid. */
const DASHES: readonly string[] = ['', '7 4', '2 3', '10 3 2 3', '4 2', '12 4', '1 4'];

export interface SeriesStyle {
  color: string;
  dash: string;
  shape: MarkerShape;
  width: number;
  /** Marker radius (recharts sizes symbols to the diameter of a circle of this radius). */
  r: number;
}

export function seriesStyle(i: number, n: number): SeriesStyle {
  const below = Math.max(0, n - 1 - i); // series drawn after (on top of) this one
  return {
    color: SERIES_COLORS[i % SERIES_COLORS.length]!,
    dash: DASHES[i % DASHES.length]!,
    shape: SHAPES[i % SHAPES.length]!,
    width: 2 + Math.min(2, 4 / Math.max(1, n - 1)) * below,
    r: 3.5 + Math.min(2, 6 / Math.max(1, n - 1)) * below,
  };
}

/** A legend key: a short stretch of the line with its dash pattern and marker. */
export function SeriesKey({ style }: { style: SeriesStyle }) {
  return (
    <svg width={30} height={12} viewBox="0 0 30 12" aria-hidden="true" className="series-key">
      <line x1={1} y1={6} x2={29} y2={6} stroke={style.color} strokeWidth={Math.min(style.width, 3)} strokeDasharray={style.dash || undefined} />
      <Symbols cx={15} cy={6} type={style.shape} size={9} sizeType="diameter" fill={style.color} stroke="var(--panel)" strokeWidth={1} />
    </svg>
  );
}
