// Which workspace database the app opens: --db <file> (or --db=<file>), else $TANDEM_DB, else
// .tandem/tandem.db under the user's data folder. `tandem start` always passes --db, so the
// desktop app and web mode open the same file for the same command line.

import path from 'node:path';

/** The value of `--flag value` or `--flag=value` in argv, or null. */
export function flagValue(argv: readonly string[], flag: string): string | null {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === flag) return argv[i + 1] ?? null;
    if (arg.startsWith(`${flag}=`)) return arg.slice(flag.length + 1);
  }
  return null;
}

export function resolveWorkspaceDb(options: { argv: readonly string[]; env: Record<string, string | undefined>; userDataDir: string; cwd: string }): string {
  const flag = flagValue(options.argv, '--db');
  if (flag) return path.resolve(options.cwd, flag);
  if (options.env.TANDEM_DB) return path.resolve(options.cwd, options.env.TANDEM_DB);
  return path.join(options.userDataDir, '.tandem', 'tandem.db');
}
