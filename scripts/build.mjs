// `npm run build`: bundles the CLI into dist/tandem.mjs (one file, native modules external) so it
// runs without tsx. The Electron and renderer bundles are built by scripts/build-electron.mjs and Vite
// (`npm run build` runs all three).
import { build } from 'esbuild';

await build({
  entryPoints: ['core/cli/entry.ts'],
  outfile: 'dist/tandem.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external: ['better-sqlite3'],
  banner: { js: "#!/usr/bin/env node\nimport { createRequire as __tandemRequire } from 'node:module'; const require = __tandemRequire(import.meta.url);" },
  logLevel: 'info',
});
