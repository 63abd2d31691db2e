// `tandem index build` / `tandem index list` through the real CLI process: an index is built in
// the workspace and listed; a bad corpus gives one line naming the file and line, and writes
// nothing (an existing index of that name stays as it was).

import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PassageIndex } from '../../core/store/passage-index.ts';
import { runCli } from '../helpers/cli.ts';
import { writeLines } from '../helpers/text-file.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-cli-index-'));
const db = path.join(dir, 'ws', 'tandem.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tandem index', () => {
  it('builds an index in the workspace and lists it', async () => {
    const file = writeLines(dir, 'kb.jsonl', [
      JSON.stringify({ id: 'a', title: 'Varnel Oskit', text: 'Varnel Oskit was born in Tromadue.' }),
      JSON.stringify({ id: 'b', title: 'Tromadue', text: 'Tromadue is a town in Elsmark.' }),
    ]);
    const built = await runCli(['index', 'build', file, '--name', 'kb', '--db', db, '--json']);
    expect(built.code, built.stderr).toBe(0);
    expect(built.stderr).toContain('indexing 2/2 passages');
    const info = JSON.parse(built.stdout);
    expect(info).toMatchObject({ name: 'kb', passages: 2, source: file, file: path.join(dir, 'ws', 'indexes', 'kb.sqlite') });
    const index = PassageIndex.open(info.file);
    try {
      expect(index.search('where was Varnel born', 1).map((h) => h.id)).toEqual(['a']);
    } finally {
      index.close();
    }

    const listed = await runCli(['index', 'list', '--db', db]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^index\s+passages\s+built\s+source/);
    expect(listed.stdout).toMatch(/kb\s+2\s/);
  });

  it('refuses a bad corpus in one line naming the line, and writes nothing', async () => {
    const bad = writeLines(dir, 'bad.jsonl', [JSON.stringify({ title: 'ok', text: 'fine' }), JSON.stringify({ title: 'no text here' })]);
    for (const name of ['kb', 'fresh']) {
      const result = await runCli(['index', 'build', bad, '--name', name, '--db', db]);
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split('\n')).toEqual([`tandem: ${bad}, line 2 (field "text"): missing required field "text"`]);
    }
    expect(readdirSync(path.join(dir, 'ws', 'indexes'))).toEqual(['kb.sqlite']);
    const index = PassageIndex.open(path.join(dir, 'ws', 'indexes', 'kb.sqlite'));
    try {
      expect(index.info.passages).toBe(2);
    } finally {
      index.close();
    }
    const badName = await runCli(['index', 'build', bad, '--name', '../up', '--db', db]);
    expect(badName.code).toBe(1);
    expect(badName.stderr).toMatch(/index name "..\/up" must start with a letter or digit/);
    expect(existsSync(path.join(dir, 'up.sqlite'))).toBe(false);
  });
});
