// A job's hyperparameters. The local engine trains with them as shown. An external trainer
// command ('command' finetuner) sets its own flags: the preset values are only offered to it as
// {placeholders} (core/finetune/command-finetuner.ts), so they are shown as such, beside the
// command template from the run's spec and whether the template uses each one.
import { getClient } from '../../api/client.ts';
import type { FinetuneJobRecord } from '../../api/types.ts';
import { useApi } from '../../app/use-api.ts';

/** The command finetuner's placeholder for each hyperparameter (targetModules has none). */
const PLACEHOLDERS: Record<string, string> = {
  rank: 'rank',
  alpha: 'alpha',
  dropout: 'dropout',
  learningRate: 'lr',
  epochs: 'epochs',
  batchSize: 'batch_size',
  gradientAccumulation: 'grad_accum',
  maxSeqLen: 'max_seq_len',
  seed: 'seed',
};

export function hyperValue(v: unknown): string {
  if (v === null || v === undefined) return 'default';
  if (typeof v === 'number') return Math.abs(v) > 0 && Math.abs(v) < 1e-3 ? v.toExponential() : String(v);
  if (Array.isArray(v)) return v.join(', ');
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function PresetTable({ hyperparams }: { hyperparams: Record<string, unknown> }) {
  return (
    <table className="data facts" data-testid="ft-hyperparams">
      <tbody>
        {Object.entries(hyperparams).map(([k, v]) => (
          <tr key={k}>
            <th scope="row" className="mono">
              {k}
            </th>
            <td className="num mono">{hyperValue(v)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function CommandHyperparams({ runId, hyperparams }: { runId: number; hyperparams: Record<string, unknown> }) {
  const run = useApi(() => getClient().getRun({ runId }), [runId]);
  const finetune = run.data?.spec?.finetune;
  const template = finetune && finetune.kind === 'command' ? finetune.template : null;
  return (
    <div data-testid="ft-command-hyperparams">
      <p className="ft-command-note">
        Trained by an external command: <b>the command's own flags apply</b>. The values below are only placeholders offered to it; a value it does not use has no effect.
      </p>
      <div className="ft-label">Command template</div>
      {template ? (
        <pre className="ft-command" data-testid="ft-command-template">
          {template}
        </pre>
      ) : (
        <p className="subtle">{run.data ? 'Not recorded with this run.' : run.error ? `Could not load the run: ${run.error.message}` : 'Loading…'}</p>
      )}
      <div className="ft-label">Placeholders offered to the command</div>
      <table className="data facts ft-placeholders" data-testid="ft-hyperparams">
        <tbody>
          {Object.entries(hyperparams).map(([k, v]) => {
            const name = PLACEHOLDERS[k];
            const used = name !== undefined && template !== null && template.includes(`{${name}}`);
            return (
              <tr key={k} className={used ? undefined : 'ft-unused'}>
                <th scope="row" className="mono" title={k}>
                  {name ? `{${name}}` : k}
                </th>
                <td className="num mono">{hyperValue(v)}</td>
                <td className="ft-use subtle">{name === undefined ? 'no placeholder' : template === null ? '' : used ? 'used by the command' : 'not in the command'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function Hyperparams({ runId, job }: { runId: number; job: FinetuneJobRecord }) {
  if (job.finetuner === 'command') return <CommandHyperparams runId={runId} hyperparams={job.hyperparams} />;
  return <PresetTable hyperparams={job.hyperparams} />;
}
