// `npm start`'s build step: rebuilds the renderer (Vite) and the Electron bundles only when their
// sources are newer than the output, so a second start costs nothing. `--renderer-only` skips the
// Electron bundles (the browser tests need only the renderer).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(full));
    else latest = Math.max(latest, statSync(full).mtimeMs);
  }
  return latest;
}

function stale(output, sources) {
  if (!existsSync(output)) return true;
  const built = statSync(output).mtimeMs;
  return sources.some((s) => existsSync(s) && (statSync(s).isDirectory() ? newest(s) : statSync(s).mtimeMs) > built);
}

const at = (...p) => path.join(root, ...p);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });

if (stale(at('renderer', 'dist', 'index.html'), [at('renderer', 'src'), at('renderer', 'index.html'), at('renderer', 'vite.config.ts'), at('core', 'api')])) {
  process.stderr.write('[start] building the workbench (renderer)…\n');
  run(process.execPath, [at('node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', at('renderer', 'vite.config.ts'), '--logLevel', 'error']);
}
if (!process.argv.includes('--renderer-only') && stale(at('dist', 'electron', 'main.cjs'), [at('electron'), at('core')])) {
  process.stderr.write('[start] building the desktop shell (Electron bundles)…\n');
  run(process.execPath, [at('scripts', 'build-electron.mjs')]);
}
