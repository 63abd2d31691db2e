// The strategy tree per seed as an indented table: each prefix once (strategies share prefixes),
// with its kind, status, scores and, while it runs, live progress. A stage with candidates opens
// them, a fine-tuning step its job, any other its traces (stage-links.ts); planned stages not
// started yet are shown greyed. A finished stage's program downloads as DSPy JSON.
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { duration, pct } from '../../components/format.ts';
import { useRouter } from '../../app/router.ts';
import { stageKindName, useStepKinds } from '../../app/step-kinds.ts';
import type { StageCost } from '../../api/types.ts';
import { stageFraction, type RunLive } from './live-store.ts';
import { flatten, type TreeNode } from './plan.ts';
import { ExportDspy } from './ExportDspy.tsx';
import { pp } from './fmt.ts';
import { stageHref } from './stage-links.ts';

function Guides({ last }: { last: boolean[] }) {
  // One column per ancestor: a vertical line while that ancestor has siblings below, then the elbow.
  return (
    <span className="tree-guides" aria-hidden="true">
      {last.map((isLast, i) => (
        <span key={i} className="tree-guide">
          {i === last.length - 1 ? (isLast ? '└─' : '├─') : isLast ? '  ' : '│ '}
        </span>
      ))}
    </span>
  );
}

function LiveCell({ node, live, now }: { node: TreeNode; live: RunLive | null; now: number }) {
  const stage = node.stage;
  if (!stage) return <span className="subtle">planned</span>;
  const l = live?.stages.get(stage.id);
  if (stage.status === 'running' && l && !l.ended) {
    const f = stageFraction(l);
    return (
      <div className="stage-live" data-testid={`stage-live-${stage.id}`}>
        <div className={`progress ${f === null ? 'indeterminate' : ''}`} title={f === null ? 'progress unknown (no step count yet)' : `${Math.round(f * 100)}%`}>
          <span style={{ width: f === null ? undefined : `${Math.round(f * 100)}%` }} />
        </div>
        <span className="subtle mono">
          {l.activity}
          {l.bestScore !== null ? ` · best val ${pct(l.bestScore)}` : ''}
          {Object.entries(l.evals).map(([split, e]) => ` · ${split} ${pct(e.score)}`).join('')}
        </span>
        <span className="subtle">{duration(now - l.startedAt)}</span>
      </div>
    );
  }
  if (stage.status === 'running') return <span className="subtle">running {duration(now - stage.startedAt)}</span>;
  if (stage.status === 'cancelled') return null;
  if (stage.error) return <span className="stage-error mono" title={stage.error}>{stage.error}</span>;
  if (stage.outcome === 'no-passing-traces') return <span className="badge badge-skipped" title="the weight step had no passing traces to train on: the program is unchanged (the paper's —)">no passing traces</span>;
  return null;
}

/** Whether a row's last cell shows anything: live progress, "planned", an error or a skipped w step. */
function hasLiveCell(node: TreeNode): boolean {
  const stage = node.stage;
  if (!stage) return true;
  if (stage.status === 'running') return true;
  if (stage.status === 'cancelled') return false;
  return !!stage.error || stage.outcome === 'no-passing-traces';
}

export function StageTree({ runId, trees, splits, live, costs, withCandidates, now }: { runId: number; trees: TreeNode[]; splits: string[]; live: RunLive | null; costs: Map<number, StageCost>; withCandidates: ReadonlySet<number>; now: number }) {
  const navigate = useRouter((s) => s.navigate);
  const stepKinds = useStepKinds();
  // A finished run has no progress to show: the column is there only while a row has something in it.
  const rows = trees.map((root) => flatten(root));
  const running = rows.some((r) => r.some(({ node }) => node.stage?.status === 'running' || !node.stage));
  const showLive = rows.some((r) => r.some(({ node }) => hasLiveCell(node)));
  return (
    <table className="data stage-tree" data-testid="stage-tree">
      <thead>
        <tr>
          <th>Stage</th>
          <th>Status</th>
          {splits.map((s) => (
            <th key={s} className="num">
              {s}
            </th>
          ))}
          <th className="num" title="wall time of the stage">Time</th>
          {showLive ? <th>{running ? 'Progress' : 'Notes'}</th> : null}
        </tr>
      </thead>
      {trees.map((root, t) => (
        <tbody key={root.seed} data-testid={`stage-tree-seed-${root.seed}`}>
          <tr className="tree-seed">
            <td colSpan={(showLive ? 4 : 3) + splits.length}>seed {root.seed}</td>
          </tr>
          {rows[t]!.map(({ node, last }) => {
            const href = node.stage ? stageHref(runId, node.stage, withCandidates, stepKinds) : null;
            const stage = node.stage;
            const cost = stage ? costs.get(stage.id) : undefined;
            return (
              <tr
                key={`${node.seed}|${node.prefix}`}
                className={`${href ? 'clickable' : ''} ${stage ? '' : 'planned'}`}
                data-testid={stage ? `stage-row-${stage.id}` : undefined}
                data-kind={node.kind}
                data-status={stage?.status ?? 'planned'}
                onClick={href ? () => navigate(href) : undefined}
              >
                <td className="tree-cell">
                  <Guides last={last} />
                  <span className={`kind kind-${node.kind}`} title={stageKindName(node.kind, stepKinds)}>
                    {node.kind === 'baseline' ? '∅' : node.kind}
                  </span>
                  {href ? (
                    <a href={href} className="mono" onClick={(e) => e.stopPropagation()}>
                      {node.prefix || 'zero-shot'}
                    </a>
                  ) : (
                    <span className="mono">{node.prefix || 'zero-shot'}</span>
                  )}
                  {stage?.status === 'finished' ? <ExportDspy stageId={stage.id} /> : null}
                </td>
                <td>{stage ? <StatusBadge status={stage.status} /> : <span className="badge">planned</span>}</td>
                {splits.map((split) => (
                  <td key={split} className="num">
                    {stage?.outcome === 'no-passing-traces' ? '—' : pp(stage?.scores?.[split])}
                  </td>
                ))}
                <td className="num">{cost?.seconds != null ? duration(cost.seconds * 1000) : stage?.status === 'running' ? '' : '—'}</td>
                {showLive ? (
                  <td>
                    <LiveCell node={node} live={live} now={now} />
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      ))}
    </table>
  );
}
