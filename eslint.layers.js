// The layer graph, in one place: eslint.config.js turns it into import restrictions, and
// tests/unit/architecture checks that docs/ARCHITECTURE.md draws the same graph.
//
// Core folders sit on levels, lowest first; a folder may import folders on lower levels only
// (never a sibling on its own level, never one above). Front ends name what they may import.

import { builtinModules } from 'node:module';

/** core/<folder> levels, lowest first. */
export const CORE_LEVELS = [
  ['contract'],
  ['util'],
  ['lm', 'datasets', 'engine'],
  ['program'],
  ['adapter'],
  ['evaluate'],
  ['tasks', 'finetune'],
  ['models', 'optimize', 'store'],
  ['report'],
  ['runner'],
  ['api'],
  ['web', 'host'],
  ['cli'],
];

/** What each front end's folder may import from core (besides its own files and npm packages). */
export const FRONT_ENDS = {
  'renderer/src': ['contract'],
  electron: ['contract', 'api', 'host'],
};

export const CORE_FOLDERS = CORE_LEVELS.flat();

/** The core folders a core folder may import. */
export function allowedFor(folder) {
  const level = CORE_LEVELS.findIndex((names) => names.includes(folder));
  if (level < 0) throw new Error(`core/${folder} is on no level of eslint.layers.js`);
  return CORE_LEVELS.slice(0, level).flat();
}

const alternatives = (names) => names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');

/** Node built-ins and native or UI packages the contract must not depend on. */
const PLATFORM = `^(node:|(${alternatives(builtinModules)})(/|$)|better-sqlite3$|react(-dom)?(/|$)|electron(/|$))`;

/** ESLint flat-config entries that enforce the graph with no-restricted-imports. */
export function layerRules() {
  const entries = [];
  for (const folder of CORE_FOLDERS) {
    const allowed = new Set([folder, ...allowedFor(folder)]);
    const forbidden = CORE_FOLDERS.filter((f) => !allowed.has(f));
    const patterns = [
      { regex: `(^|/)(${alternatives(forbidden)})/`, message: `core/${folder} may import only ${[...allowed].filter((f) => f !== folder).map((f) => `core/${f}`).join(', ') || 'nothing else in core'} (eslint.layers.js)` },
      { regex: '(^|/)(electron|renderer)/', message: 'nothing in core imports electron/ or renderer/ (eslint.layers.js)' },
    ];
    if (folder === 'contract') patterns.push({ regex: PLATFORM, message: 'core/contract is shared by every front end: no Node, SQLite, React or Electron (eslint.layers.js)' });
    entries.push({ files: [`core/${folder}/**/*.{ts,tsx}`], rules: { 'no-restricted-imports': ['error', { patterns }] } });
  }
  for (const [front, allowed] of Object.entries(FRONT_ENDS)) {
    const forbidden = CORE_FOLDERS.filter((f) => !allowed.includes(f));
    const patterns = [{ regex: `(^|/)core/(${alternatives(forbidden)})/`, message: `${front}/ may import only ${allowed.map((f) => `core/${f}`).join(', ')} from core (eslint.layers.js)` }];
    if (front === 'renderer/src') patterns.push({ regex: '(^|/)electron/', message: 'renderer/ reaches the backend through core/contract and its transport, never electron/ (eslint.layers.js)' });
    entries.push({ files: [`${front}/**/*.{ts,tsx}`], rules: { 'no-restricted-imports': ['error', { patterns }] } });
  }
  return entries;
}
