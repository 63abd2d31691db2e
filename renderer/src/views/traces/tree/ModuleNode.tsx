// A module (predictor path) of the program with its LM calls; a module's only call starts open
// unless `openCalls` says otherwise (a pipeline's tree starts as its flow of steps).
import { count } from '../../../components/format.ts';
import { LMCallNode } from './LMCallNode.tsx';
import { ms, type ModuleGroup } from './tree-model.ts';

export function ModuleNode({ group, open, dim, openCalls = group.calls.length === 1 }: { group: ModuleGroup; open: boolean; dim: boolean; openCalls?: boolean }) {
  return (
    <details className={dim ? 'tt-node tt-module tt-dim' : 'tt-node tt-module'} open={open} data-testid="trace-module">
      <summary>
        <span className="tt-kind">module</span>
        <span className="mono tt-path">{group.path}</span>
        <span className="tt-metric">
          {group.calls.length} call{group.calls.length === 1 ? '' : 's'}
        </span>
        <span className="tt-metric">
          {count(group.promptTokens)} → {count(group.completionTokens)} tok
        </span>
        <span className="tt-metric">{ms(group.latencyMs)}</span>
        {group.cachedCalls ? <span className="badge badge-cache">{group.cachedCalls} cached</span> : null}
        {group.errors ? <span className="badge badge-error">{group.errors} failed</span> : null}
      </summary>
      <div className="tt-children">
        {group.calls.map((call) => (
          <LMCallNode key={call.id} call={call} open={openCalls} />
        ))}
      </div>
    </details>
  );
}
