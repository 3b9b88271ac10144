/**
 * The published CLI's entry (dist/cli.js): `bin/gantry.js` imports it once the Node.js
 * version is known to be enough. The one place, with the repository's own bin, that exits
 * the process: everything below returns an exit code.
 */
import { main } from '@gantry/cli/main';

const code = await main(process.argv.slice(2));
// Let stdout drain before exiting: piped output (| jq) must not be cut short.
process.stdout.write('', () => process.exit(code));
