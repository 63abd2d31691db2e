// Process entry for the bundled CLI (dist/tandem.mjs); bin/tandem.mjs does the same through tsx.
import { main } from './main.ts';

process.exitCode = await main(process.argv.slice(2));
