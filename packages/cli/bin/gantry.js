#!/usr/bin/env node
// The one place that calls process.exit: everything below returns an exit code.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
const code = await main(process.argv.slice(2));
// Let stdout drain before exiting: piped output (| jq) must not be cut short.
process.stdout.write('', () => process.exit(code));
