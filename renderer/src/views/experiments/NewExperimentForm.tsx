// Creates an experiment and (by default) starts its first run. The input is checked with the
// contract's schema before it is sent (the same check, and the same messages, as the API's); what
// only the server knows (tasks, step kinds) it checks, and its issues are shown next to the field
// they name too. The fine-tuner rule is the contract's, applied to the step kinds the API lists, so
// the trainer field says it is needed exactly when the server would refuse without it. Defaults
// are the contract's. The LM is the embedded demo model (local engine) or any OpenAI-compatible
// endpoint; API keys never pass through the form. A task that retrieves may be given a retriever
// (`bm25:<index>` or `colbert:<url>`, checked by the contract's grammar).
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { getClient } from '../../api/client.ts';
import type { ApiIssue, TaskInfo } from '../../api/types.ts';
import { ApiCallError } from '../../api/transport.ts';
import { EXPERIMENT_DEFAULTS, NEW_EXPERIMENT_FORM_DEFAULTS } from '../../../../core/contract/defaults.ts';
import { CreateExperimentInput } from '../../../../core/contract/experiment-input.ts';
import { issuesOf } from '../../../../core/contract/input-issues.ts';
import { FieldIssues } from './FieldIssues.tsx';
import { DEMO_MODEL, type DemoModelState } from './demo-model.ts';
import { useStepKinds } from '../../app/step-kinds.ts';
import { finetunerIssue, finetuningTokens } from '../../../../core/contract/finetuner-rule.ts';
import { PAPER_STRATEGIES, parseStrategies, toggle } from './strategies.ts';

/** The task select's choice for a task file (not a task name: names are lower case letters, digits, . _ -). */
const OWN_TASK = ':file';

type Field = 'name' | 'task' | 'strategies' | 'seeds' | 'candidates' | 'lm' | 'model' | 'baseUrl' | 'apiKeyEnv' | 'command' | 'retriever' | 'general';

/** Which form field a server issue path belongs to. */
function fieldOf(path: string): Field {
  const root = path.replace(/\[\d+\]/g, '');
  if (root === 'strategies' || root === 'name' || root === 'task' || root === 'seeds' || root === 'retriever') return root;
  if (root === 'optimizer.candidates') return 'candidates';
  if (root === 'lm.model') return 'model';
  if (root === 'lm.baseUrl') return 'baseUrl';
  if (root === 'lm.apiKeyEnv') return 'apiKeyEnv';
  if (root.startsWith('lm')) return 'lm';
  if (root.startsWith('finetune')) return 'command';
  return 'general';
}

export function NewExperimentForm({ tasks, demo, taskFile: presetFile, onDone, onCancel }: { tasks: TaskInfo[]; demo: DemoModelState; taskFile?: string | null; onDone(result: { experimentId: number; runId: number | null }): void; onCancel(): void }) {
  const [name, setName] = useState('');
  const [task, setTask] = useState(presetFile ? OWN_TASK : (tasks.find((t) => t.name === NEW_EXPERIMENT_FORM_DEFAULTS.task)?.name ?? tasks[0]?.name ?? ''));
  // A researcher's own task: the path of a task file on the machine running Tandem (preset by a saved task's New experiment).
  const [taskFile, setTaskFile] = useState(presetFile ?? '');
  const ownTask = task === OWN_TASK;
  const [strategies, setStrategies] = useState<string>(NEW_EXPERIMENT_FORM_DEFAULTS.strategies);
  const [seeds, setSeeds] = useState<number>(EXPERIMENT_DEFAULTS.seeds);
  const [candidates, setCandidates] = useState<number>(EXPERIMENT_DEFAULTS.optimizer.candidates);
  // Seeds run at once by default (the engine batches their calls); one at a time is the choice
  // for an LM server that should see one seed's load, or to watch one seed's tree fill in order.
  const [oneSeedAtATime, setOneSeedAtATime] = useState(false);
  const [lmKind, setLmKind] = useState<'demo' | 'openai'>(demo === 'installed' ? 'demo' : 'openai');
  const [model, setModel] = useState('');
  const [baseUrl, setBaseUrl] = useState('');
  const [apiKeyEnv, setApiKeyEnv] = useState('');
  const [command, setCommand] = useState('');
  const [retriever, setRetriever] = useState('');
  // Θ pools every module's rows per LM into one adapter (the paper); this trains one per module.
  const [perModule, setPerModule] = useState(false);
  const [start, setStart] = useState(true);
  const [busy, setBusy] = useState(false);
  const [issues, setIssues] = useState<Partial<Record<Field, string[]>>>({});
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);

  const stepKinds = useStepKinds();
  // Until the backend listed its step kinds, any token the grammar accepts counts.
  const known = stepKinds.length > 0 ? stepKinds.map((k) => k.token) : undefined;
  const parsed = parseStrategies(strategies, known);
  const selected = parsed.map((s) => s.key);
  const taskInfo = tasks.find((t) => t.name === task);
  // The server's rule, asked as if no trainer command were given: does a step need one?
  const needsTrainer = lmKind === 'openai' && finetunerIssue(parsed, stepKinds, 'openai', false) !== null;
  const trainingTokens = finetuningTokens(stepKinds);
  const neededBy = trainingTokens.filter((t) => parsed.some((s) => s.steps.includes(t)));

  /** Shows each issue under the field it names (after a created experiment, all in one place). */
  const show = (list: readonly ApiIssue[], experimentId: number | null) => {
    const next: Partial<Record<Field, string[]>> = {};
    for (const i of list) {
      const f = experimentId !== null ? 'general' : fieldOf(i.path);
      const text = f === 'general' && i.path ? `${i.path}: ${i.message}` : i.message;
      (next[f] ??= []).push(experimentId !== null ? `Experiment #${experimentId} was created but its run could not start: ${text}` : text);
    }
    setIssues(next);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setIssues({});
    const input: CreateExperimentInput = {
      ...(name.trim() ? { name: name.trim() } : {}),
      task: ownTask ? taskFile.trim() : task,
      strategies,
      seeds,
      ...(oneSeedAtATime ? { seedConcurrency: 1 } : {}),
      optimizer: { candidates },
      lm:
        lmKind === 'demo'
          ? { provider: 'local', model: DEMO_MODEL }
          : { provider: 'openai', model: model.trim(), ...(baseUrl.trim() ? { baseUrl: baseUrl.trim() } : {}), ...(apiKeyEnv.trim() ? { apiKeyEnv: apiKeyEnv.trim() } : {}) },
      ...(lmKind === 'openai' && command.trim() ? { finetune: { command: command.trim(), ...(perModule && neededBy.length > 0 ? { perModule: true } : {}) } } : perModule && neededBy.length > 0 ? { finetune: { perModule: true } } : {}),
      ...(retriever.trim() && taskInfo?.defaultRetriever ? { retriever: retriever.trim() } : {}),
    };
    const checked = CreateExperimentInput.safeParse(input, { reportInput: true });
    if (!checked.success) {
      show(issuesOf(checked.error), null);
      return;
    }
    setBusy(true);
    let experimentId: number | null = null;
    try {
      const detail = await getClient().createExperiment(input);
      experimentId = detail.id;
      const run = start ? await getClient().startRun({ experimentId }) : null;
      onDone({ experimentId, runId: run?.runId ?? null });
    } catch (error) {
      const err = error instanceof ApiCallError ? error : new ApiCallError({ message: String(error) });
      show(err.issues?.length ? err.issues : [{ path: '', message: err.message }], experimentId);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="panel new-exp" onSubmit={(e) => void submit(e)} data-testid="new-experiment-form" aria-label="New experiment">
      <h2>New experiment</h2>
      <div className="form-grid">
        <label htmlFor="nx-task">Task</label>
        <div>
          <select id="nx-task" value={task} onChange={(e) => setTask(e.target.value)} data-testid="nx-task">
            {tasks.map((t) => (
              <option key={t.name} value={t.name}>
                {t.name}
              </option>
            ))}
            <option value={OWN_TASK}>your own task file…</option>
          </select>
          {ownTask ? (
            <>
              <input className="mono wide" value={taskFile} onChange={(e) => setTaskFile(e.target.value)} placeholder="/path/to/my-task.ts" aria-label="Task file" data-testid="nx-task-file" />
              <span className="subtle hint">
                A TypeScript or JavaScript file on the machine running Tandem whose default export is <code>defineTask(…)</code> from &apos;tandem&apos;, or a no-code definition (.yaml, .json; see Tasks) (see docs/TASKS.md).
              </span>
            </>
          ) : null}
          {taskInfo ? (
            <span className="subtle hint">
              {taskInfo.description} · Π subsample {taskInfo.protocol.train} train / {taskInfo.protocol.val} val
            </span>
          ) : null}
          <FieldIssues issues={issues.task} />
        </div>

        <label htmlFor="nx-strategies">Strategies</label>
        <div>
          <input ref={first} id="nx-strategies" className="mono wide" value={strategies} onChange={(e) => setStrategies(e.target.value)} placeholder="p, p -> w, all" data-testid="nx-strategies" aria-invalid={!!issues.strategies} />
          <div className="chips" role="group" aria-label="Paper strategies">
            {PAPER_STRATEGIES.map((s) => (
              <button key={s} type="button" className={`chip-btn ${selected.includes(s) ? 'on' : ''}`} aria-pressed={selected.includes(s)} onClick={() => setStrategies(toggle(strategies, s, known))} data-testid={`nx-chip-${s.replaceAll(' ', '')}`}>
                {s}
              </button>
            ))}
            <button type="button" className="chip-btn" onClick={() => setStrategies('all')} data-testid="nx-chip-all" title="the paper's seven strategies; with the zero-shot baseline, its eight rows">
              all eight
            </button>
          </div>
          <span className="subtle hint">Comma-separated; steps joined by -&gt;. p: prompt optimization (bootstrap few-shot, random search), w: LoRA fine-tuning. The zero-shot baseline always runs.</span>
          <FieldIssues issues={issues.strategies} testid="nx-strategies-issues" />
        </div>

        <label htmlFor="nx-seeds">Seeds</label>
        <div className="row">
          <input id="nx-seeds" type="number" min={1} max={100} value={seeds} onChange={(e) => setSeeds(Number(e.target.value))} className="num-input" data-testid="nx-seeds" />
          <label htmlFor="nx-candidates" className="subtle">
            candidates
          </label>
          <input id="nx-candidates" type="number" min={0} max={1000} value={candidates} onChange={(e) => setCandidates(Number(e.target.value))} className="num-input" data-testid="nx-candidates" title="shuffled random-search candidates per p step (paper: 6)" />
          <span className="subtle">per p step (paper: 6), plus zero-shot, labeled and bootstrap</span>
          <label className="row radio subtle" title="Seeds run at once by default, so the LM batches their calls; tick to run them one after another">
            <input type="checkbox" checked={oneSeedAtATime} onChange={(e) => setOneSeedAtATime(e.target.checked)} data-testid="nx-one-seed-at-a-time" />
            one seed at a time
          </label>
          {neededBy.length > 0 ? (
            <label className="row radio subtle" title="Fine-tuning steps pool every module's training rows per model into one adapter, as the paper does; tick to train one adapter per module">
              <input type="checkbox" checked={perModule} onChange={(e) => setPerModule(e.target.checked)} data-testid="nx-per-module" />
              one adapter per module
            </label>
          ) : null}
          <FieldIssues issues={[...(issues.seeds ?? []), ...(issues.candidates ?? [])]} />
        </div>

        <span className="label">Language model</span>
        <div>
          <label className="row radio">
            <input type="radio" name="nx-lm" checked={lmKind === 'demo'} onChange={() => setLmKind('demo')} data-testid="nx-lm-demo" />
            Embedded demo model <code>{DEMO_MODEL}</code> on the local engine
            {demo === 'missing' ? <span className="badge badge-cancelled">not installed</span> : demo === 'installed' ? <span className="badge badge-finished">installed</span> : null}
          </label>
          {lmKind === 'demo' && demo === 'missing' ? (
            <span className="hint warn-text">
              The demo model is not built: run <code>npm run train:demo-model</code>, or use an OpenAI-compatible endpoint.
            </span>
          ) : null}
          <label className="row radio">
            <input type="radio" name="nx-lm" checked={lmKind === 'openai'} onChange={() => setLmKind('openai')} data-testid="nx-lm-openai" />
            OpenAI-compatible endpoint
          </label>
          {lmKind === 'openai' ? (
            <div className="form-grid nested">
              <label htmlFor="nx-base">Base URL</label>
              <div>
                <input id="nx-base" className="mono wide" value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} placeholder="http://127.0.0.1:8000/v1 (default $TANDEM_BASE_URL, else OpenAI)" data-testid="nx-base-url" />
                <FieldIssues issues={issues.baseUrl} />
              </div>
              <label htmlFor="nx-model">Model</label>
              <div>
                <input id="nx-model" className="mono wide" value={model} onChange={(e) => setModel(e.target.value)} placeholder="e.g. meta-llama/Llama-3.2-1B-Instruct" data-testid="nx-model" />
                <FieldIssues issues={issues.model} />
              </div>
              <label htmlFor="nx-key">API key variable</label>
              <div>
                <input id="nx-key" className="mono" value={apiKeyEnv} onChange={(e) => setApiKeyEnv(e.target.value)} placeholder="OPENAI_API_KEY" data-testid="nx-api-key-env" />
                <span className="subtle hint">The name of an environment variable of the Tandem server process (in web mode: where `tandem serve` runs), never the key itself.</span>
                <FieldIssues issues={issues.apiKeyEnv} />
              </div>
              <label htmlFor="nx-cmd">Trainer command</label>
              <div>
                <input id="nx-cmd" className="mono wide" value={command} onChange={(e) => setCommand(e.target.value)} placeholder="accelerate launch train.py --model {base} --data {train} --out {out}" data-testid="nx-finetune-command" />
                <span className={`hint ${needsTrainer && !command.trim() ? 'warn-text' : 'subtle'}`}>
                  {needsTrainer && !command.trim()
                    ? `Needed: these strategies have a ${neededBy.join(' or ')} step and a remote model is fine-tuned by an external trainer. `
                    : `Optional: only ${trainingTokens.length > 0 ? trainingTokens.join(' and ') : 'fine-tuning'} steps use it. `}
                  Placeholders {'{base} {train} {out} {seed}'}.
                </span>
                <FieldIssues issues={issues.command} />
              </div>
            </div>
          ) : null}
          <FieldIssues issues={issues.lm} />
        </div>

        {taskInfo?.defaultRetriever ? (
          <>
            <label htmlFor="nx-retriever">Retriever</label>
            <div>
              <input id="nx-retriever" className="mono wide" value={retriever} onChange={(e) => setRetriever(e.target.value)} placeholder={taskInfo.defaultRetriever} data-testid="nx-retriever" aria-invalid={!!issues.retriever} />
              <span className="subtle hint">
                What this task's program retrieves from: bm25:&lt;index&gt; (a workspace index, see Models → Retrievers) or colbert:&lt;url&gt; (a ColBERTv2 server, the paper's setting). Empty: {taskInfo.defaultRetriever}, built on first use.
              </span>
              <FieldIssues issues={issues.retriever} testid="nx-retriever-issues" />
            </div>
          </>
        ) : null}

        <label htmlFor="nx-name">Name</label>
        <div>
          <input id="nx-name" className="wide" value={name} onChange={(e) => setName(e.target.value)} placeholder={`${ownTask ? taskFile.split(/[\\/]/).pop() || 'my task' : task}: ${selected.join(', ')}`} data-testid="nx-name" />
          <FieldIssues issues={issues.name} />
        </div>
      </div>
      <FieldIssues issues={issues.general} testid="nx-general-issues" />
      <div className="row form-actions">
        <label className="row subtle">
          <input type="checkbox" checked={start} onChange={(e) => setStart(e.target.checked)} data-testid="nx-start" /> start a run now
        </label>
        <span className="spacer" />
        <button type="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={busy || !task || (ownTask && !taskFile.trim())} data-testid="nx-submit">
          {busy ? 'Creating…' : start ? 'Create and run' : 'Create'}
        </button>
      </div>
    </form>
  );
}
