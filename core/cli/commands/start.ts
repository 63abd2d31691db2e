// `tandem start` (what `npm start` runs). The workbench (Electron, or web mode where Electron
// cannot start) arrives with its own issue; until then `start` shows how to run Tandem headless.

import type { Command } from 'commander';

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('start Tandem (today: shows the headless quick start; the workbench will open here)')
    .action(() => {
      process.stdout.write(
        [
          'Tandem is ready.',
          '',
          'The desktop workbench is not built yet; the optimizer core runs from the command line:',
          '',
          '  npx tandem run iris --strategy p --lm openai:<model> --base-url http://127.0.0.1:8000/v1',
          '  npx tandem run iris --all --seeds 3 --lm local:<model in `tandem models list`>',
          '  npx tandem demo            # the paper\'s eight strategies on the embedded demo model',
          '  npx tandem runs            # and `tandem resume <run>` after an interruption',
          '',
          'Any OpenAI-compatible server works (vLLM, SGLang, Ollama, llama.cpp server, hosted APIs).',
          'See README.md for every option.',
          '',
        ].join('\n'),
      );
    });
}
