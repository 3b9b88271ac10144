#!/usr/bin/env node
// `gantry` from the sources, in the Gantry repository (tests, `npm start`, `npx gantry` there):
// TypeScript through tsx, and `gantry` (what a sandbox's gantry.config.ts imports) resolved to
// its sources too, so that the config and the CLI share one copy of every module. The published
// CLI is compiled JavaScript: packages/gantry/bin/gantry.js.
// The one place, with that one, that calls process.exit: everything below returns an exit code.
import { register as registerHooks } from 'node:module';

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  process.stderr.write(`gantry needs Node.js >= 20.19.0; this is Node.js ${process.versions.node}.\n`);
  process.exit(2);
}

const { register } = await import('tsx/esm/api');
register();
registerHooks(new URL('./source-condition.js', import.meta.url));
const { main } = await import('../src/main.ts');
const code = await main(process.argv.slice(2));
// Let stdout drain before exiting: piped output (| jq) must not be cut short.
process.stdout.write('', () => process.exit(code));
