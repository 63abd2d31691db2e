import { describe, expect, it } from 'vitest';
import { hrefFor, parseHash } from '../../../renderer/src/app/router.ts';

describe('renderer routes', () => {
  it('parses run sub-views with ids and query', () => {
    const r = parseHash('#/runs/12/candidates/7?sort=score');
    expect(r).toMatchObject({ view: 'candidates', runId: 12, itemId: 7 });
    expect(r.params.get('sort')).toBe('score');
    expect(parseHash('#/runs/3')).toMatchObject({ view: 'run', runId: 3, itemId: null });
    expect(parseHash('#/runs/3/traces?q=setosa').params.get('q')).toBe('setosa');
  });

  it('falls back to the experiments list for unknown or malformed routes', () => {
    for (const hash of ['', '#', '#/nowhere', '#/runs/abc', '#/runs/']) expect(parseHash(hash).view).toBe('experiments');
  });

  it('round-trips hrefFor through parseHash', () => {
    const href = hrefFor('traces', { runId: 5, params: { split: 'test', q: 'a b', empty: '' } });
    expect(href).toBe('#/runs/5/traces?split=test&q=a+b');
    const r = parseHash(href);
    expect(r).toMatchObject({ view: 'traces', runId: 5 });
    expect(r.params.get('q')).toBe('a b');
    expect(hrefFor('compare', { params: { runs: '1,2' } })).toBe('#/compare?runs=1%2C2');
  });
});
