// `tandem index build <corpus.jsonl> --name <name>` builds a BM25 passage index in the workspace
// (`indexes/<name>.sqlite` beside the database) from a JSONL corpus of `{id?, title, text}`;
// `tandem index list` lists the workspace's indexes. A bad corpus line is reported by file and
// line before anything is written.

import type { Command } from 'commander';
import path from 'node:path';
import { readPassageCorpus } from '../../datasets/passage-corpus.ts';
import { buildPassageIndex, listPassageIndexes, passageIndexFile } from '../../store/passage-index.ts';
import { table } from '../format.ts';
import { resolveDbPath } from '../options.ts';

export function registerIndexCommand(program: Command): void {
  const index = program.command('index').description('build and list BM25 passage indexes for retrieval');
  index
    .command('build')
    .description('build (or rebuild) a passage index from a JSONL corpus: one {"id"?, "title", "text"} per line')
    .argument('<corpus>', 'the corpus file (.jsonl)')
    .requiredOption('--name <name>', 'the index name, e.g. wiki (letters, digits, _, . and -)')
    .option('--db <file>', 'workspace database (env TANDEM_DB; default ./.tandem/tandem.db)')
    .option('--json', 'print the built index as JSON')
    .action(async (corpus: string, flags: { name: string; db?: string; json?: boolean }) => {
      const file = passageIndexFile(resolveDbPath(flags.db), flags.name);
      const started = Date.now();
      const passages = await readPassageCorpus(corpus);
      const info = buildPassageIndex(file, passages, {
        source: path.resolve(corpus),
        onProgress: (p) => process.stderr.write(`\rindexing ${p.passages}/${p.total} passages`),
      });
      process.stderr.write('\n');
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ name: flags.name, ...info })}\n`);
        return;
      }
      process.stdout.write(`index "${flags.name}": ${info.passages} passages in ${((Date.now() - started) / 1000).toFixed(1)} s → ${info.file}\n`);
    });
  index
    .command('list')
    .description("list the workspace's passage indexes")
    .option('--db <file>', 'workspace database (env TANDEM_DB; default ./.tandem/tandem.db)')
    .option('--json', 'print the indexes as JSON')
    .action((flags: { db?: string; json?: boolean }) => {
      const indexes = listPassageIndexes(resolveDbPath(flags.db));
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ indexes })}\n`);
        return;
      }
      if (indexes.length === 0) {
        process.stdout.write('no passage indexes yet; build one with `tandem index build <corpus.jsonl> --name <name>`\n');
        return;
      }
      const rows = indexes.map((i) => (i.info ? [i.name, String(i.info.passages), new Date(i.info.builtAt).toISOString().replace('T', ' ').slice(0, 19), i.info.source ?? ''] : [i.name, '', '', i.problem]));
      process.stdout.write(`${table(['index', 'passages', 'built', 'source'], rows, ['left', 'right', 'left', 'left'])}\n`);
    });
}
