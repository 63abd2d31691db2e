// The shell: a sidebar with the views, the current view, the command palette and global
// commands (navigation, theme). Views live in views/<name>/ and get the route.
import { useEffect, useMemo, useState } from 'react';
import { getClient } from '../api/client.ts';
import { CandidatesView } from '../views/candidates/CandidatesView.tsx';
import { CompareView } from '../views/compare/CompareView.tsx';
import { ExperimentsView } from '../views/experiments/ExperimentsView.tsx';
import { FinetuneView } from '../views/finetune/FinetuneView.tsx';
import { ModelsView } from '../views/models/ModelsView.tsx';
import { RunView } from '../views/run/RunView.tsx';
import { TasksView } from '../views/tasks/TasksView.tsx';
import { TracesView } from '../views/traces/TracesView.tsx';
import { CommandPalette } from './CommandPalette.tsx';
import { useCommands, useCommandStore, type Command } from './commands.ts';
import { hrefFor, useRouter, type Route } from './router.ts';
import { installShortcuts } from './shortcuts.ts';
import { useTheme } from './theme.ts';

function CurrentView({ route }: { route: Route }) {
  switch (route.view) {
    case 'run':
      return <RunView runId={route.runId!} />;
    case 'candidates':
      return <CandidatesView runId={route.runId!} stageId={route.itemId} />;
    case 'traces':
      return <TracesView runId={route.runId!} params={route.params} />;
    case 'finetune':
      return <FinetuneView runId={route.runId!} jobId={route.itemId} />;
    case 'compare':
      return <CompareView params={route.params} />;
    case 'models':
      return <ModelsView />;
    case 'tasks':
      return <TasksView />;
    default:
      return <ExperimentsView />;
  }
}

function NavLink({ href, label, active, shortcut }: { href: string; label: string; active: boolean; shortcut?: string }) {
  return (
    <a href={href} className={active ? 'nav-link active' : 'nav-link'} aria-current={active ? 'page' : undefined} title={shortcut ? `${label} (${shortcut})` : label}>
      {label}
    </a>
  );
}

export function App() {
  const route = useRouter((s) => s.route);
  const navigate = useRouter((s) => s.navigate);
  const theme = useTheme((s) => s.theme);
  const toggleTheme = useTheme((s) => s.toggle);
  const [connected, setConnected] = useState(true);

  useEffect(() => installShortcuts(), []);
  useEffect(() => getClient().transport.onConnection(setConnected), []);

  const global = useMemo<Command[]>(
    () => [
      { id: 'go.experiments', title: 'Go to Experiments', group: 'Navigate', shortcut: 'g e', run: () => navigate(hrefFor('experiments')) },
      { id: 'go.compare', title: 'Go to Compare', group: 'Navigate', shortcut: 'g c', run: () => navigate(hrefFor('compare')) },
      { id: 'go.tasks', title: 'Go to Tasks', group: 'Navigate', shortcut: 'g d', run: () => navigate(hrefFor('tasks')) },
      { id: 'go.models', title: 'Go to Models and providers', group: 'Navigate', shortcut: 'g m', run: () => navigate(hrefFor('models')) },
      { id: 'theme.toggle', title: 'Toggle light / dark theme', group: 'View', shortcut: 't', run: () => useTheme.getState().toggle() },
      { id: 'help.palette', title: 'Show all commands', group: 'Help', shortcut: '?', run: () => useCommandStore.getState().setPaletteOpen(true) },
    ],
    [navigate],
  );
  useCommands(global);

  const runId = route.runId;
  return (
    <div className="app">
      <nav className="sidebar" aria-label="Views">
        <div className="brand">
          Tandem<span className="brand-sub">prompts × weights</span>
        </div>
        <NavLink href={hrefFor('experiments')} label="Experiments" active={route.view === 'experiments'} shortcut="g e" />
        {runId !== null ? (
          <div className="nav-group">
            <div className="nav-group-title">Run #{runId}</div>
            <NavLink href={hrefFor('run', { runId })} label="Live" active={route.view === 'run'} />
            <NavLink href={hrefFor('candidates', { runId })} label="Candidates" active={route.view === 'candidates'} />
            <NavLink href={hrefFor('traces', { runId })} label="Traces" active={route.view === 'traces'} />
            <NavLink href={hrefFor('finetune', { runId })} label="Fine-tune" active={route.view === 'finetune'} />
          </div>
        ) : null}
        <NavLink href={hrefFor('tasks')} label="Tasks" active={route.view === 'tasks'} shortcut="g d" />
        <NavLink href={hrefFor('compare')} label="Compare" active={route.view === 'compare'} shortcut="g c" />
        <NavLink href={hrefFor('models')} label="Models" active={route.view === 'models'} shortcut="g m" />
        <div className="sidebar-foot">
          <button type="button" className="ghost" onClick={() => useCommandStore.getState().setPaletteOpen(true)} title="Command palette (Ctrl+K)">
            ⌘K Commands
          </button>
          <button type="button" className="ghost" onClick={toggleTheme} aria-label="Toggle theme">
            {theme === 'dark' ? '☀ Light' : '☾ Dark'}
          </button>
          <span className={connected ? 'conn ok' : 'conn down'} title={connected ? 'connected to the backend' : 'reconnecting to the backend…'}>
            {connected ? '● live' : '○ reconnecting'}
          </span>
        </div>
      </nav>
      <main className="content">
        <CurrentView route={route} />
      </main>
      <CommandPalette />
    </div>
  );
}
