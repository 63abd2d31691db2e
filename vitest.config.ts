import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Task files import Tandem's public API as 'tandem'. Under Node (the CLI, `tandem serve`) a module
  // hook in core/runner/task-file.ts resolves it; vitest loads modules itself, so it gets the same
  // mapping here.
  resolve: { alias: { tandem: fileURLToPath(new URL('./core/public/index.ts', import.meta.url)) } },
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
