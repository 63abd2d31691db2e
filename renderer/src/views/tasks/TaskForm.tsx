// The New task form: a no-code task definition built field by field (dataset and column mapping,
// input and output fields, instructions, stages, metric, optional retriever). Every change
// rewrites the YAML text beside it, which may also be edited by hand; the text is checked live by
// the server (previewTaskDefinition), whose issues show under it with their lines, and a good
// definition shows its first rows and the first prompt. Save writes the text into the
// workspace's tasks folder.
import { useState } from 'react';
import { getClient } from '../../api/client.ts';
import { ApiCallError } from '../../api/transport.ts';
import { DATASET_FORMATS, METRIC_KINDS, STAGE_KINDS, type MetricKind, type StageKind } from '../../../../core/contract/task-definition.ts';
import { DefinitionPreview } from './DefinitionPreview.tsx';
import { DefinitionIssues, DefinitionText } from './DefinitionText.tsx';
import { FieldRows } from './FieldRows.tsx';
import { definitionYaml, initialTaskForm, metricOptions, NEW_STAGE, type StageRow, type TaskFormState } from './task-form-state.ts';
import { useDefinitionCheck } from './use-definition-check.ts';

const STAGE_LABELS: Record<StageKind, string> = { predict: 'Predict', 'chain-of-thought': 'Chain of thought' };

export function TaskForm({ tasksDir, onSaved, onCancel }: { tasksDir: string | null; onSaved(file: string): void; onCancel(): void }) {
  const [form, setForm] = useState<TaskFormState>(initialTaskForm);
  const [text, setText] = useState(() => definitionYaml(initialTaskForm()));
  const [handEdited, setHandEdited] = useState(false);
  // A form nobody has typed in yet shows no problems (it has them all).
  const [touched, setTouched] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<{ message: string; conflict: boolean } | null>(null);
  const [savedFile, setSavedFile] = useState<string | null>(null);
  const { check, checkedText, checking, error } = useDefinitionCheck(text);
  const current = touched && checkedText === text ? check : null;

  const update = (patch: Partial<TaskFormState>) => {
    const next = { ...form, ...patch };
    setForm(next);
    setText(definitionYaml(next));
    setHandEdited(false);
    setTouched(true);
    setSavedFile(null);
  };
  const setStage = (i: number, patch: Partial<StageRow>) => update({ stages: form.stages.map((s, j) => (j === i ? { ...s, ...patch } : s)) });
  const outputNames = form.outputs.map((o) => o.name.trim()).filter(Boolean);
  const inputNames = form.inputs.map((o) => o.name.trim()).filter(Boolean);
  const options = metricOptions(form.metricKind);
  const metricInfo = METRIC_KINDS.find((m) => m.kind === form.metricKind);
  // The file is named after the task; a hand-edited name in the text wins once it checks.
  const fileName = (current?.ok ? current.definition.name : form.name.trim()) || '';

  const save = async (overwrite: boolean) => {
    setSaving(true);
    setSaveError(null);
    try {
      const result = await getClient().saveTaskDefinition({ name: fileName, text, format: 'yaml', overwrite });
      if (result.ok) {
        setSavedFile(result.file);
        onSaved(result.file);
      } else {
        setSaveError({ message: `Not saved: ${result.issues.length} problem${result.issues.length === 1 ? '' : 's'} in the definition (listed under the text).`, conflict: false });
      }
    } catch (e) {
      const err = e instanceof ApiCallError ? e : new ApiCallError({ message: String(e) });
      const issues = err.issues?.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
      setSaveError({ message: issues || err.message, conflict: err.code === 'conflict' });
    } finally {
      setSaving(false);
    }
  };

  return (
    <section className="panel task-form" data-testid="task-form" aria-label="New task">
      <h2>New task</h2>
      <div className="task-columns">
        <div className="form-grid task-grid">
          <label htmlFor="tf-name">Name</label>
          <div>
            <input id="tf-name" className="mono" value={form.name} onChange={(e) => update({ name: e.target.value })} placeholder="product-sentiment" data-testid="task-name" />
            <span className="subtle hint">A lowercase slug; the task is saved as tasks/&lt;name&gt;.yaml in the workspace.</span>
          </div>
          <label htmlFor="tf-description">Description</label>
          <input id="tf-description" className="wide" value={form.description} onChange={(e) => update({ description: e.target.value })} placeholder="What the task is about" data-testid="task-description" />

          <label htmlFor="tf-dataset">Dataset file</label>
          <div>
            <div className="row">
              <input id="tf-dataset" className="mono wide" value={form.datasetFile} onChange={(e) => update({ datasetFile: e.target.value })} placeholder="/path/to/data.csv" data-testid="task-dataset-file" />
              <select value={form.datasetFormat} onChange={(e) => update({ datasetFormat: e.target.value as TaskFormState['datasetFormat'] })} aria-label="Dataset format" data-testid="task-dataset-format">
                <option value="">format from the extension</option>
                {DATASET_FORMATS.map((f) => (
                  <option key={f} value={f}>
                    {f.toUpperCase()}
                  </option>
                ))}
              </select>
              <input className="mono" value={form.idColumn} onChange={(e) => update({ idColumn: e.target.value })} placeholder="id column (optional)" aria-label="Id column" data-testid="task-id-column" />
            </div>
            <span className="subtle hint" data-testid="task-dataset-hint">
              A CSV (with a header row) or JSONL file on the machine running Tandem: an absolute path, or one relative to the workspace&apos;s tasks folder
              {tasksDir ? <code> {tasksDir}</code> : null}, where the task is saved.
            </span>
          </div>

          <span className="label">Inputs</span>
          <div>
            <FieldRows role="input" rows={form.inputs} onChange={(inputs) => update({ inputs })} />
            <span className="subtle hint">An empty column reads the column of the field&apos;s own name.</span>
          </div>
          <span className="label">Outputs</span>
          <div>
            <FieldRows role="output" rows={form.outputs} onChange={(outputs) => update({ outputs })} />
            <span className="subtle hint">The gold values the metric compares against come from these columns.</span>
          </div>

          <label htmlFor="tf-instructions">Instructions</label>
          <textarea id="tf-instructions" className="wide" rows={3} value={form.instructions} onChange={(e) => update({ instructions: e.target.value })} placeholder="What the LM should do (the optimizer keeps them and adds demos)" data-testid="task-instructions" />

          <span className="label">Module</span>
          <div className="task-stage-list" data-testid="task-stages">
            {form.stages.map((stage, i) => (
              <div key={i} className={form.stages.length > 1 ? 'task-stage-multi' : 'row'}>
                {form.stages.length > 1 ? <span className="subtle mono">{i + 1}.</span> : null}
                <select value={stage.kind} onChange={(e) => setStage(i, { kind: e.target.value as StageKind })} aria-label={`stage ${i + 1} module`} data-testid={`task-stage-${i}-kind`}>
                  {STAGE_KINDS.map((k) => (
                    <option key={k} value={k}>
                      {STAGE_LABELS[k]}
                    </option>
                  ))}
                </select>
                {form.stages.length > 1 ? (
                  <>
                    <input className="mono" value={stage.name} onChange={(e) => setStage(i, { name: e.target.value })} placeholder="stage name" aria-label={`stage ${i + 1} name`} />
                    {i < form.stages.length - 1 ? (
                      <input className="mono" value={stage.outputs} onChange={(e) => setStage(i, { outputs: e.target.value })} placeholder="writes: new_field, …" aria-label={`stage ${i + 1} outputs`} data-testid={`task-stage-${i}-outputs`} />
                    ) : (
                      <span className="subtle">writes the outputs</span>
                    )}
                    <input value={stage.instructions} onChange={(e) => setStage(i, { instructions: e.target.value })} placeholder="own instructions (optional)" aria-label={`stage ${i + 1} instructions`} />
                    <button type="button" className="ghost" onClick={() => update({ stages: form.stages.filter((_, j) => j !== i) })} aria-label={`remove stage ${i + 1}`}>
                      ✕
                    </button>
                  </>
                ) : null}
              </div>
            ))}
            <button type="button" className="ghost" onClick={() => update({ stages: [...form.stages, { ...NEW_STAGE }] })} data-testid="task-add-stage">
              + stage
            </button>
            <span className="subtle hint">Stages run in order; each reads the inputs and earlier stages&apos; fields, the last writes the outputs. Chain of thought writes its reasoning first.</span>
          </div>

          <label htmlFor="tf-metric">Metric</label>
          <div>
            <div className="row">
              <select id="tf-metric" value={form.metricKind} onChange={(e) => update({ metricKind: e.target.value as MetricKind })} data-testid="task-metric">
                {METRIC_KINDS.map((m) => (
                  <option key={m.kind} value={m.kind}>
                    {m.label}
                  </option>
                ))}
              </select>
              <span className="subtle">on</span>
              <select value={form.metricField} onChange={(e) => update({ metricField: e.target.value })} aria-label="Metric field" data-testid="task-metric-field">
                <option value="">{outputNames[0] ?? '(first output)'}</option>
                {outputNames.slice(1).map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
              {options.includes('threshold') ? <input className="num-input" value={form.threshold} onChange={(e) => update({ threshold: e.target.value })} aria-label="F1 threshold" placeholder="0.5" data-testid="task-metric-threshold" /> : null}
              {options.includes('tolerance') ? <input className="num-input" value={form.tolerance} onChange={(e) => update({ tolerance: e.target.value })} aria-label="Tolerance" placeholder="0" data-testid="task-metric-tolerance" /> : null}
              {options.includes('labels') ? <input className="mono" value={form.labels} onChange={(e) => update({ labels: e.target.value })} aria-label="Labels" placeholder="positive, negative, neutral" data-testid="task-metric-labels" /> : null}
              {options.includes('pattern') ? <input className="mono" value={form.pattern} onChange={(e) => update({ pattern: e.target.value })} aria-label="Pattern" placeholder="regular expression" data-testid="task-metric-pattern" /> : null}
              {options.includes('flags') ? <input className="mono num-input" value={form.flags} onChange={(e) => update({ flags: e.target.value })} aria-label="Flags" placeholder="flags: i" /> : null}
            </div>
            <span className="subtle hint">{metricInfo?.description}</span>
          </div>

          <span className="label">Retriever</span>
          <div>
            <label className="row radio">
              <input type="checkbox" checked={form.retrieves} onChange={(e) => update({ retrieves: e.target.checked })} data-testid="task-retrieves" />
              retrieve passages first (into the <code>context</code> input)
            </label>
            {form.retrieves ? (
              <div className="row">
                <select value={form.retrieverSource} onChange={(e) => update({ retrieverSource: e.target.value as 'corpus' | 'index' })} aria-label="Retriever source">
                  <option value="corpus">corpus file (JSONL)</option>
                  <option value="index">workspace index</option>
                </select>
                <input className="mono" value={form.retrieverValue} onChange={(e) => update({ retrieverValue: e.target.value })} placeholder={form.retrieverSource === 'corpus' ? '/path/to/passages.jsonl' : 'index name'} aria-label="Retriever corpus or index" />
                <span className="subtle">k</span>
                <input className="num-input" value={form.retrieverK} onChange={(e) => update({ retrieverK: e.target.value })} aria-label="Passages per query" />
                <span className="subtle">query</span>
                <select value={form.retrieverQuery} onChange={(e) => update({ retrieverQuery: e.target.value })} aria-label="Query field">
                  <option value="">{inputNames[0] ?? '(first input)'}</option>
                  {inputNames.slice(1).map((n) => (
                    <option key={n} value={n}>
                      {n}
                    </option>
                  ))}
                </select>
              </div>
            ) : null}
          </div>
        </div>

        <div className="task-definition">
          <div className="row">
            <h3>Definition (YAML)</h3>
            <span className="spacer" />
            <span className={`badge ${!touched ? '' : checking ? 'badge-running' : current?.ok ? 'badge-finished' : current ? 'badge-error' : ''}`} data-testid="task-check-state">
              {!touched ? 'not filled in yet' : checking ? 'checking…' : current?.ok ? 'valid' : current ? `${current.issues.length} problem${current.issues.length === 1 ? '' : 's'}` : error ? 'not checked' : ''}
            </span>
          </div>
          <DefinitionText
            text={text}
            onChange={(t) => {
              setText(t);
              setHandEdited(true);
              setTouched(true);
              setSavedFile(null);
            }}
            issues={current && !current.ok ? current.issues : []}
          />
          <span className="subtle hint">{handEdited ? 'Edited by hand: a change in the form on the left writes the text anew.' : 'Written by the form; you may edit it here too (the form does not read it back).'}</span>
          {current && !current.ok ? <DefinitionIssues issues={current.issues} /> : null}
          {error ? <div className="task-call-error">The definition could not be checked: {error}</div> : null}
        </div>
      </div>

      {current?.ok ? <DefinitionPreview preview={current.preview} /> : null}

      {saveError ? (
        <div className="task-call-error" role="alert" data-testid="task-save-error">
          {saveError.message}
          {saveError.conflict ? (
            <button type="button" className="danger" onClick={() => void save(true)} disabled={saving} data-testid="task-overwrite">
              Replace it
            </button>
          ) : null}
        </div>
      ) : null}
      <div className="row form-actions">
        {savedFile ? (
          <span className="task-saved" data-testid="task-saved">
            Saved to <code>{savedFile}</code>
          </span>
        ) : (
          <span className="subtle">{fileName ? `Saves as tasks/${fileName}.yaml` : 'Name the task to save it.'}</span>
        )}
        <span className="spacer" />
        <button type="button" onClick={onCancel} disabled={saving}>
          Close
        </button>
        <button type="button" className="primary" onClick={() => void save(false)} disabled={saving || !fileName || !current?.ok} data-testid="task-save">
          {saving ? 'Saving…' : 'Save task'}
        </button>
      </div>
    </section>
  );
}
