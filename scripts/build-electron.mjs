// Bundles the Electron app into dist/electron/ (run by `npm run build`, or on its own:
// `node scripts/build-electron.mjs`):
//   main.cjs      the main process       (Node, CJS; electron and better-sqlite3 external)
//   api-host.cjs  the utilityProcess that hosts core/api (same)
//   preload.cjs   the sandboxed preload  (browser platform, CJS, only `electron` external: a
//                 sandboxed preload can require nothing else, and the browser platform makes a
//                 stray Node import a build error instead of a broken window)
// Electron runs CJS here; `import.meta.url` (used by core to find its resources) is defined
// from __filename so the bundled core still finds them.
import { build } from 'esbuild';
import { statSync } from 'node:fs';

const common = {
  bundle: true,
  format: 'cjs',
  sourcemap: true,
  logLevel: 'info',
  legalComments: 'none',
};

const nodeBundle = {
  ...common,
  platform: 'node',
  target: 'node22',
  external: ['electron', 'better-sqlite3'],
  define: { 'import.meta.url': '__tandemImportMetaUrl' },
  banner: { js: "const __tandemImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
};

await Promise.all([
  build({ ...nodeBundle, entryPoints: ['electron/main.ts'], outfile: 'dist/electron/main.cjs' }),
  build({ ...nodeBundle, entryPoints: ['electron/api-host.ts'], outfile: 'dist/electron/api-host.cjs' }),
  build({ ...common, entryPoints: ['electron/preload.ts'], outfile: 'dist/electron/preload.cjs', platform: 'browser', target: 'chrome140', external: ['electron'] }),
]);

// The preload runs in every page load; it should stay a few KB (a large one means core leaked in).
const preloadBytes = statSync('dist/electron/preload.cjs').size;
if (preloadBytes > 32 * 1024) {
  console.error(`dist/electron/preload.cjs is ${preloadBytes} bytes: something heavy (zod, core/api) was bundled into the preload`);
  process.exit(1);
}
