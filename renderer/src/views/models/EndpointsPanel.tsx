// OpenAI-compatible endpoints: how an experiment uses one (LM = base URL + model), the usual
// servers and their base URLs, where defaults come from, and how API keys are handled. The API
// reports nothing about endpoints or keys (no method for it), so this panel only explains; the
// desktop app's stored keys are managed in KeysPanel.

const SERVERS: Array<{ name: string; start: string; baseUrl: string }> = [
  { name: 'vLLM', start: 'vllm serve Qwen/Qwen2.5-0.5B-Instruct --port 8000', baseUrl: 'http://127.0.0.1:8000/v1' },
  { name: 'SGLang', start: 'python -m sglang.launch_server --model-path <model> --port 30000', baseUrl: 'http://127.0.0.1:30000/v1' },
  { name: 'Ollama', start: 'ollama serve   (model: e.g. llama3.2)', baseUrl: 'http://127.0.0.1:11434/v1' },
  { name: 'llama.cpp', start: 'llama-server -m model.gguf --port 8080', baseUrl: 'http://127.0.0.1:8080/v1' },
  { name: 'hosted API', start: 'e.g. OpenAI; needs an API key', baseUrl: 'https://api.openai.com/v1 (the default)' },
];

export function EndpointsPanel() {
  const desktop = typeof window !== 'undefined' && window.tandem?.transport === 'ipc';
  const keyStore = desktop && window.tandem?.secrets !== undefined;
  return (
    <section className="panel" data-testid="models-endpoints">
      <h2>OpenAI-compatible endpoints</h2>
      <p>
        An experiment's LM is either a library model on the local engine (provider <code>local</code>) or any server that speaks the OpenAI chat completions API (provider <code>openai</code>): give its{' '}
        <strong>base URL</strong> and the <strong>model</strong> name the server knows. Every call is logged with its prompt, completion, tokens and latency, and answered from the response cache when repeated (unless the experiment turns the cache off).
      </p>
      <table className="data mdl-servers">
        <thead>
          <tr>
            <th>server</th>
            <th>start it with</th>
            <th>base URL</th>
          </tr>
        </thead>
        <tbody>
          {SERVERS.map((s) => (
            <tr key={s.name}>
              <td>{s.name}</td>
              <td className="mono">{s.start}</td>
              <td className="mono">{s.baseUrl}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ul className="mdl-notes">
        <li>
          Defaults when an experiment names no LM: model <code>TANDEM_MODEL</code>; base URL <code>TANDEM_BASE_URL</code>, else <code>OPENAI_BASE_URL</code>, else OpenAI's.
        </li>
        <li>
          <code>w</code> (fine-tuning) steps on an endpoint need an external trainer command in the experiment (<code>{'{base} {train} {out}'}</code> are filled in); the local engine trains its own LoRA adapters.
        </li>
      </ul>
      <h3>API keys</h3>
      <ul className="mdl-notes" data-testid="models-keys">
        <li>
          An experiment stores only the <em>name</em> of the environment variable that holds its key (default <code>OPENAI_API_KEY</code>, or the name set in the experiment's LM settings) — never the key itself. Keys are never
          written to the workspace database.
        </li>
        <li className={desktop ? undefined : 'mdl-current'}>
          <strong>Web mode</strong> (<code>tandem serve</code>): the key is read from that environment variable of the server process, e.g. <code>OPENAI_API_KEY=… npx tandem serve</code>.
          {desktop ? null : <span className="badge badge-running mdl-here">this window</span>}
        </li>
        <li className={desktop ? 'mdl-current' : undefined}>
          <strong>Desktop app</strong>: keys are kept in the OS keychain, encrypted with Electron's <code>safeStorage</code>, and handed to the backend as that variable{keyStore ? ' when it starts; store them under API keys (this app) below' : ''}.
          {desktop ? <span className="badge badge-running mdl-here">this window</span> : null}
        </li>
        <li className="subtle">The backend does not report which key variables are set; a missing or refused key shows up as a 401 error naming the variable on the run's first LM call.</li>
      </ul>
    </section>
  );
}
