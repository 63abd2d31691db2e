import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';
import { layerRules } from './eslint.layers.js';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', 'bench/results/', 'renderer/dist/', '.tandem/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', fetch: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', AbortController: 'readonly', Buffer: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // Library code emits events; only the CLI, scripts, benches and test fixtures print.
      'no-console': 'error',
    },
  },
  {
    // The workbench: hooks rules (the classic two; the React Compiler rules do not apply here).
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  // The layer graph (eslint.layers.js): lower layers never import upper ones.
  ...layerRules(),
  {
    files: ['core/cli/**', 'bench/**', 'scripts/**', 'tests/**', 'bin/**', 'electron/**'],
    rules: { 'no-console': 'off' },
  },
);
