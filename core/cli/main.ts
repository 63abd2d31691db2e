// The `tandem` command. Parses arguments, wires core pieces together and renders their events;
// all real work lives in core/. Returns an exit code instead of exiting, so tests can call it.

import { Command, CommanderError } from 'commander';
import { registerRunCommand } from './commands/run.ts';
import { registerCheckDeterminismCommand } from './commands/check-determinism.ts';
import { registerCompareCommand } from './commands/compare.ts';
import { registerDemoCommand } from './commands/demo.ts';
import { registerExportDspyCommand } from './commands/export-dspy.ts';
import { registerExportTracesCommand } from './commands/export-traces.ts';
import { registerEngineCommand } from './commands/engine.ts';
import { registerExportCommand } from './commands/export.ts';
import { registerImportCommand } from './commands/import.ts';
import { registerIndexCommand } from './commands/index-command.ts';
import { registerModelsCommand } from './commands/models.ts';
import { registerReportCommand } from './commands/report.ts';
import { registerResumeCommand } from './commands/resume.ts';
import { registerRunsCommand } from './commands/runs.ts';
import { registerServeCommand } from './commands/serve.ts';
import { registerStartCommand } from './commands/start.ts';
import { tandemVersion } from '../util/package-root.ts';
import { describeError, isUserError } from './user-error.ts';

export async function main(argv: string[]): Promise<number> {
  const program = new Command('tandem')
    .description('Optimize LM programs by tuning prompts and weights together (BetterTogether).')
    .version(tandemVersion())
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });
  registerStartCommand(program);
  registerRunCommand(program);
  registerResumeCommand(program);
  registerDemoCommand(program);
  registerRunsCommand(program);
  registerReportCommand(program);
  registerExportDspyCommand(program);
  registerExportTracesCommand(program);
  registerCompareCommand(program);
  registerExportCommand(program);
  registerImportCommand(program);
  registerCheckDeterminismCommand(program);
  registerModelsCommand(program);
  registerEngineCommand(program);
  registerIndexCommand(program);
  registerServeCommand(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (isUserError(error)) {
      process.stderr.write(`tandem: ${describeError(error)}\n`);
      return 1;
    }
    process.stderr.write(`tandem: internal error (please report it with the command you ran):\n${error instanceof Error ? error.stack : String(error)}\n`);
    return 70;
  }
}
