// The strategy tree of a run as the Run view draws it: the contract's plan (every prefix the
// strategies need, shared prefixes once) per seed, matched with the stages recorded so far, and an
// ETA from the stages already finished.
import { planStrategyTree, type StrategyTree, type TreeNode as PlannedNode } from '../../../../core/contract/strategy-tree.ts';
import { parentOf, stepsOf, strategyListIssues, strategyOf } from '../../../../core/contract/strategy.ts';
import type { StageSummary } from '../../api/types.ts';

export interface TreeNode {
  seed: number;
  /** '' is the zero-shot baseline. */
  prefix: string;
  kind: string;
  depth: number;
  stage: StageSummary | null;
  children: TreeNode[];
}

/** The strategies of a run summary's list (`p, p -> w`), for runs without a saved spec. */
export function listedStrategies(text: string): string[] {
  return strategyListIssues(text).strategies.map((s) => s.key);
}

/** The plan of a run's strategies (canonical texts, as the spec and the API write them). */
function planOf(strategies: readonly string[]): StrategyTree {
  return planStrategyTree(strategies.map((s) => strategyOf(stepsOf(s))));
}

/** A planned stage's kind: the step its prefix ends with; 'baseline' for the zero-shot program. */
function kindOf(node: PlannedNode): string {
  return node.token ?? 'baseline';
}

/** Every planned stage of one seed, parents first, in the order the runner visits them. */
function plannedStages(strategies: readonly string[]): Array<{ prefix: string; kind: string }> {
  const plan = planOf(strategies);
  return [plan.root, ...plan.nodes].map((n) => ({ prefix: n.key, kind: kindOf(n) }));
}

/** Every prefix of the strategies, parents first, baseline first. */
export function plannedPrefixes(strategies: readonly string[]): string[] {
  return plannedStages(strategies).map((s) => s.prefix);
}

/** One tree per seed: the planned stages plus any recorded stage the plan does not know. */
export function buildTrees(strategies: readonly string[], seeds: readonly number[], stages: readonly StageSummary[]): TreeNode[] {
  const plan = planOf(strategies);
  const allSeeds = [...new Set([...seeds, ...stages.map((s) => s.seed).filter((s): s is number => s !== null)])].sort((a, b) => a - b);
  return allSeeds.map((seed) => {
    const byPrefix = new Map(stages.filter((s) => s.seed === seed).map((s) => [s.prefix, s]));
    const nodes = new Map<string, TreeNode>();
    const nodeOf = (prefix: string, kind: string): TreeNode => {
      const stage = byPrefix.get(prefix) ?? null;
      const node: TreeNode = { seed, prefix, kind: stage?.kind ?? kind, depth: stepsOf(prefix).length, stage, children: [] };
      nodes.set(prefix, node);
      return node;
    };
    const walk = (planned: PlannedNode): TreeNode => {
      const node = nodeOf(planned.key, kindOf(planned));
      node.children = planned.children.map(walk);
      return node;
    };
    const root = walk(plan.root);
    // Recorded stages the plan does not know hang under their parent prefix (else the root).
    const extras = [...byPrefix.values()].filter((s) => !nodes.has(s.prefix)).map((s) => nodeOf(s.prefix, s.kind));
    for (const node of extras) (nodes.get(parentOf(strategyOf(stepsOf(node.prefix))).key) ?? root).children.push(node);
    return root;
  });
}

/** Depth-first rows of a tree (for an indented list), each with whether it is its parent's last child. */
export function flatten(root: TreeNode): Array<{ node: TreeNode; last: boolean[] }> {
  const rows: Array<{ node: TreeNode; last: boolean[] }> = [];
  const walk = (node: TreeNode, last: boolean[]) => {
    rows.push({ node, last });
    node.children.forEach((c, i) => walk(c, [...last, i === node.children.length - 1]));
  };
  walk(root, []);
  return rows;
}

export interface Eta {
  done: number;
  total: number;
  /** Milliseconds left for the stages that can be estimated, or null while none can. */
  remainingMs: number | null;
  /** Stage kinds left that no finished stage has timed yet (the ETA is then a lower bound). */
  untimed: string[];
}

export interface RunningStage {
  stageId: number;
  /** 0–1 from the stage's live progress; null when unknown. */
  fraction: number | null;
}

/**
 * Remaining time: each unfinished planned stage costs the mean duration of finished stages of its
 * kind (or the running stage of that kind extrapolated from its progress); a running stage costs
 * what its progress fraction leaves. A seed's stages run one after another; `lanes` seeds run at
 * once (the run's seed concurrency), so the seeds' remaining times are packed onto that many
 * lanes, running seeds first, the rest in seed order as the runner starts them. Durations of
 * stages that ran beside other seeds' already include their sharing of the machine.
 */
export function estimateEta(strategies: readonly string[], seeds: readonly number[], stages: readonly StageSummary[], running: readonly RunningStage[], now: number, lanes = 1): Eta {
  const planned = plannedStages(strategies);
  const total = Math.max(planned.length * seeds.length, stages.length);
  const finished = stages.filter((s) => s.status === 'finished' && s.finishedAt !== null);
  const byKind = new Map<string, number[]>();
  for (const s of finished) {
    const list = byKind.get(s.kind) ?? [];
    list.push(s.finishedAt! - s.startedAt);
    byKind.set(s.kind, list);
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const live = new Map<number, { stage: StageSummary; elapsed: number; extrapolated: number | null; fraction: number }>();
  for (const r of running) {
    const stage = stages.find((s) => s.id === r.stageId);
    if (!stage) continue;
    const elapsed = now - stage.startedAt;
    live.set(stage.id, { stage, elapsed, extrapolated: r.fraction ? elapsed / Math.max(r.fraction, 0.02) : null, fraction: r.fraction ?? 0 });
  }
  // Kinds differ by orders of magnitude (a w stage trains, a baseline only evaluates), so a
  // kind without a finished stage is not guessed from the others.
  const costOf = (kind: string): number | null => {
    const own = byKind.get(kind);
    if (own?.length) return mean(own);
    for (const l of live.values()) if (l.stage.kind === kind && l.extrapolated !== null) return l.extrapolated;
    return null;
  };

  let known = 0;
  const untimed = new Set<string>();
  const recorded = new Map(stages.map((s) => [`${s.seed}|${s.prefix}`, s]));
  const perSeed: Array<{ remaining: number; running: boolean }> = [];
  for (const seed of seeds) {
    let remaining = 0;
    let runningSeed = false;
    for (const { prefix, kind: plannedKind } of planned) {
      const s = recorded.get(`${seed}|${prefix}`);
      if (s?.status === 'finished') continue;
      const l = s ? live.get(s.id) : undefined;
      if (l) {
        runningSeed = true;
        // Early progress fractions are noisy: prefer the kind's history until a tenth is done.
        const full = l.extrapolated !== null && l.fraction >= 0.1 ? l.extrapolated : (costOf(l.stage.kind) ?? l.extrapolated);
        if (full === null) untimed.add(l.stage.kind);
        else {
          remaining += Math.max(0, full - l.elapsed);
          known++;
        }
        continue;
      }
      const kind = s?.kind ?? plannedKind;
      const c = costOf(kind);
      if (c === null) untimed.add(kind);
      else {
        remaining += c;
        known++;
      }
    }
    perSeed.push({ remaining, running: runningSeed });
  }
  const order = [...perSeed.filter((s) => s.running), ...perSeed.filter((s) => !s.running)];
  const ends = new Array<number>(Math.max(1, Math.min(lanes, seeds.length || 1))).fill(0);
  for (const s of order) {
    const lane = ends.indexOf(Math.min(...ends));
    ends[lane]! += s.remaining;
  }
  const remaining = Math.max(...ends);
  return { done: finished.length, total, remainingMs: known > 0 || untimed.size === 0 ? remaining : null, untimed: [...untimed] };
}
