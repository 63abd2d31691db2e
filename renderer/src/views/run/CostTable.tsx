// What each stage cost: LM calls (cached), tokens, wall time and fine-tune time, with totals.
import { duration } from '../../components/format.ts';
import type { StageCost } from '../../api/types.ts';
import { compact } from './fmt.ts';

export function CostTable({ costs }: { costs: StageCost[] }) {
  const total = costs.reduce(
    (t, c) => ({ lmCalls: t.lmCalls + c.lmCalls, cachedCalls: t.cachedCalls + c.cachedCalls, tokens: t.tokens + c.tokens, seconds: t.seconds + (c.seconds ?? 0), finetuneSeconds: t.finetuneSeconds + c.finetuneSeconds }),
    { lmCalls: 0, cachedCalls: 0, tokens: 0, seconds: 0, finetuneSeconds: 0 },
  );
  return (
    <table className="data cost-table" data-testid="cost-table">
      <thead>
        <tr>
          <th className="num">Seed</th>
          <th>Stage</th>
          <th className="num">LM calls</th>
          <th className="num">cached</th>
          <th className="num">tokens</th>
          <th className="num">time</th>
          <th className="num">fine-tune</th>
        </tr>
      </thead>
      <tbody>
        {costs.map((c) => (
          <tr key={c.stageId}>
            <td className="num">{c.seed ?? '—'}</td>
            <td className="mono">
              {c.prefix || 'zero-shot'} {c.status !== 'finished' ? <span className="subtle">({c.status})</span> : null}
            </td>
            <td className="num">{c.lmCalls.toLocaleString()}</td>
            <td className="num">{c.cachedCalls.toLocaleString()}</td>
            <td className="num" title={`${c.tokens.toLocaleString()} tokens`}>{compact(c.tokens)}</td>
            <td className="num">{c.seconds === null ? '—' : duration(c.seconds * 1000)}</td>
            <td className="num">{c.finetuneSeconds ? duration(c.finetuneSeconds * 1000) : ''}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr className="total">
          <td />
          <td>total</td>
          <td className="num">{total.lmCalls.toLocaleString()}</td>
          <td className="num">{total.cachedCalls.toLocaleString()}</td>
          <td className="num" title={`${total.tokens.toLocaleString()} tokens`}>{compact(total.tokens)}</td>
          <td className="num">{duration(total.seconds * 1000)}</td>
          <td className="num">{total.finetuneSeconds ? duration(total.finetuneSeconds * 1000) : ''}</td>
        </tr>
      </tfoot>
    </table>
  );
}
