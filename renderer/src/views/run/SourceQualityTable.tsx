// "What each stage learned from": per stage (seed, prefix) the traces its demos (a prompt step)
// or its training rows (a weight step) came from — every one of them passed the metric — and per
// intermediate check their mean and how many scored 1 (right answer for the right reason).
import type { CheckInfo, SourceQuality } from '../../api/types.ts';
import { hrefFor } from '../../app/router.ts';
import { stageKindName, useStepKinds } from '../../app/step-kinds.ts';
import { pct } from '../../components/format.ts';

const SOURCE_LABEL: Record<SourceQuality['source'], string> = { demos: 'Π demos', training: 'Θ training rows' };
const SOURCE_NOUN: Record<SourceQuality['source'], string> = { demos: 'demo traces', training: 'training traces' };

/** Where the source is seen whole: the stage's candidates (their demos) or its fine-tune job (its rows). */
function sourceHref(runId: number, s: SourceQuality): string {
  return s.source === 'demos' ? hrefFor('candidates', { runId, itemId: s.stageId }) : hrefFor('finetune', { runId, params: { stage: s.stageId } });
}

export function SourceQualityTable({ runId, sources, definitions }: { runId: number; sources: SourceQuality[]; definitions: CheckInfo[] }) {
  const kinds = useStepKinds();
  return (
    <div className="table-scroll">
      <table className="data source-table" data-testid="source-quality-table">
        <thead>
          <tr>
            <th className="num">Seed</th>
            <th>Stage</th>
            <th>Learned from</th>
            <th className="num" title="distinct traces measured">
              traces
            </th>
            {definitions.map((d) => (
              <th key={d.name} title={`${d.description} (module ${d.module}): mean, and how many traces scored 100%`}>
                {d.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {sources.map((s) => (
            <tr key={`${s.stageId}-${s.source}`} data-testid={`source-row-${s.stageId}-${s.source}`}>
              <td className="num">{s.seed ?? '—'}</td>
              <td className="mono" title={stageKindName(s.kind, kinds)}>
                {s.prefix}
              </td>
              <td title={s.source === 'demos' ? "the traces the stage's bootstrapped demos were taken from" : "the traces the stage's fine-tuning rows were made from"}>
                <a href={sourceHref(runId, s)}>{SOURCE_LABEL[s.source]}</a>
              </td>
              <td className="num">{s.traces}</td>
              {definitions.map((d) => {
                const c = s.checks[d.name];
                if (!c || c.n === 0) return <td key={d.name} className="subtle">n/a</td>;
                return (
                  <td key={d.name} title={`${d.label}: ${c.full} of ${c.n} ${SOURCE_NOUN[s.source]} at 100% (${d.description})`} data-testid="source-check">
                    <b>{pct(c.mean, 0)}</b>{' '}
                    <span className="subtle">
                      · {c.full} of {c.n} at 100%
                    </span>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
