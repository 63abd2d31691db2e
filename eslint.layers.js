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
  ['lm', 'datasets', 'engine', 'retrieve'],
  ['program'],
  ['adapter'],
  ['evaluate'],
  ['tasks', 'finetune'],
  ['models', 'optimize', 'store', 'public'],
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
const PLATFORM = `^(node:|(${alternatives(builtinModules)})(/|$)|better-sqlite3(/|$)|react(-dom)?(/|$)|electron(/|$))`;

/**
 * A restriction as both rules: `no-restricted-imports` for import and export declarations, and
 * `no-restricted-syntax` for what that rule does not see (`import()` and `typeof import()`).
 */
function restrict(files, restrictions) {
  const slashed = (regex) => regex.replace(/\//g, '\\/');
  const syntax = restrictions.flatMap(({ regex, message }) => [
    { selector: `ImportExpression[source.value=/${slashed(regex)}/]`, message },
    { selector: `TSImportType[argument.literal.value=/${slashed(regex)}/]`, message },
  ]);
  return { files, rules: { 'no-restricted-imports': ['error', { patterns: restrictions }], 'no-restricted-syntax': ['error', ...syntax] } };
}

const NOT_IN_CORE = { regex: '(^|/)(electron|renderer|tests|bench|scripts)(/|$)', message: 'nothing in core imports electron, renderer/, tests/, bench/ or scripts/ (eslint.layers.js)' };

/** ESLint flat-config entries that enforce the graph. */
export function layerRules() {
  const entries = [];
  for (const folder of CORE_FOLDERS) {
    const allowed = new Set([folder, ...allowedFor(folder)]);
    const forbidden = CORE_FOLDERS.filter((f) => !allowed.has(f));
    const restrictions = [
      { regex: `(^|/)(${alternatives(forbidden)})/`, message: `core/${folder} may import only ${[...allowed].filter((f) => f !== folder).map((f) => `core/${f}`).join(', ') || 'nothing else in core'} (eslint.layers.js)` },
      NOT_IN_CORE,
    ];
    if (folder === 'contract') restrictions.push({ regex: PLATFORM, message: 'core/contract is shared by every front end: no Node, SQLite, React or Electron (eslint.layers.js)' });
    entries.push(restrict([`core/${folder}/**/*.{ts,tsx}`], restrictions));
  }
  for (const [front, allowed] of Object.entries(FRONT_ENDS)) {
    const forbidden = CORE_FOLDERS.filter((f) => !allowed.includes(f));
    const restrictions = [{ regex: `(^|/)core/(${alternatives(forbidden)})/`, message: `${front}/ may import only ${allowed.map((f) => `core/${f}`).join(', ')} from core (eslint.layers.js)` }];
    if (front === 'renderer/src') restrictions.push({ regex: '(^|/)electron(/|$)', message: 'renderer/ reaches the backend through core/contract and its transport, never electron (eslint.layers.js)' });
    entries.push(restrict([`${front}/**/*.{ts,tsx}`], restrictions));
  }
  return entries;
}
