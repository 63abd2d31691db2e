// One ResultPager per query (a new query starts a new pager; the old one stops), and a
// render whenever a page arrives.
import { useEffect, useMemo, useReducer } from 'react';
import { ResultPager, type ResultQuery } from './result-pager.ts';

export function usePager(query: ResultQuery | null): { pager: ResultPager | null; version: number } {
  const [version, bump] = useReducer((n: number) => n + 1, 0);
  const key = query ? JSON.stringify(query) : '';
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the query is keyed by its JSON
  const pager = useMemo(() => (query ? new ResultPager(query, bump) : null), [key]);
  useEffect(() => {
    pager?.start();
    return () => pager?.stop();
  }, [pager]);
  return { pager, version };
}
