// Hash routes (they work from Electron's file:// URL and from web mode alike):
//   #/experiments                         list + create
//   #/runs/<runId>                        the run, live
//   #/runs/<runId>/candidates[/<stageId>] random-search candidates of a Π stage
//   #/runs/<runId>/traces[?query]         example results and traces
//   #/runs/<runId>/finetune[/<jobId>]     fine-tune jobs
//   #/compare?runs=1,2&baseline=p         strategies / runs against a baseline
//   #/models                              models and providers
//   #/tasks[?new=1]                       saved no-code task definitions, the New task form
import { create } from 'zustand';

export type ViewName = 'experiments' | 'run' | 'candidates' | 'traces' | 'finetune' | 'compare' | 'models' | 'tasks';

export interface Route {
  view: ViewName;
  runId: number | null;
  /** The path segment after the view (a stage id, a job id), if any. */
  itemId: number | null;
  params: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const [pathPart = '', query = ''] = hash.replace(/^#/, '').split('?');
  const parts = pathPart.split('/').filter(Boolean);
  const params = new URLSearchParams(query);
  const num = (s: string | undefined) => (s !== undefined && /^\d+$/.test(s) ? Number(s) : null);
  if (parts[0] === 'runs' && num(parts[1]) !== null) {
    const sub = parts[2];
    const view: ViewName = sub === 'candidates' || sub === 'traces' || sub === 'finetune' ? sub : 'run';
    return { view, runId: num(parts[1]), itemId: num(parts[3]), params };
  }
  if (parts[0] === 'compare') return { view: 'compare', runId: null, itemId: null, params };
  if (parts[0] === 'models') return { view: 'models', runId: null, itemId: null, params };
  if (parts[0] === 'tasks') return { view: 'tasks', runId: null, itemId: null, params };
  return { view: 'experiments', runId: null, itemId: null, params };
}

export function hrefFor(view: ViewName, opts: { runId?: number | null; itemId?: number | null; params?: Record<string, string | number | undefined> } = {}): string {
  let path: string;
  if (view === 'experiments' || view === 'compare' || view === 'models' || view === 'tasks') path = `/${view}`;
  else {
    path = `/runs/${opts.runId ?? ''}`;
    if (view !== 'run') path += `/${view}`;
    if (opts.itemId != null) path += `/${opts.itemId}`;
  }
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(opts.params ?? {})) if (v !== undefined && v !== '') q.set(k, String(v));
  const qs = q.toString();
  return `#${path}${qs ? `?${qs}` : ''}`;
}

interface RouterState {
  route: Route;
  navigate(href: string): void;
}

export const useRouter = create<RouterState>((set) => ({
  route: parseHash(typeof window === 'undefined' ? '' : window.location.hash),
  navigate(href) {
    if (window.location.hash === href) return;
    window.location.hash = href;
    set({ route: parseHash(href) });
  },
}));

if (typeof window !== 'undefined') {
  window.addEventListener('hashchange', () => useRouter.setState({ route: parseHash(window.location.hash) }));
}

/** Replaces the current route's query (e.g. filters) without adding a history entry. */
export function replaceParams(params: Record<string, string | number | undefined | null>): void {
  const route = useRouter.getState().route;
  const next = new URLSearchParams(route.params);
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') next.delete(k);
    else next.set(k, String(v));
  }
  const [path] = window.location.hash.split('?');
  const qs = next.toString();
  const href = `${path}${qs ? `?${qs}` : ''}`;
  window.history.replaceState(window.history.state, '', href);
  useRouter.setState({ route: parseHash(href) });
}
