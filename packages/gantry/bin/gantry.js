#!/usr/bin/env node
// The `gantry` command. Plain JavaScript that old Node.js versions still parse (no top-level
// await, nothing imported before the check): the version check comes before anything loads.
import { existsSync } from 'node:fs';
import module from 'node:module';

const MINIMUM = '20.19.0';
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  process.stderr.write(
    `gantry needs Node.js >= ${MINIMUM}; this is Node.js ${process.versions.node} (${process.execPath}).\n` +
      'Install a current Node.js (https://nodejs.org, or your version manager: nvm install 22) and run it again.\n',
  );
  // the exit code of an invalid setup (docs/cli.md)
  process.exit(2);
}

// Node.js >= 22.1 can keep the compiled code of every module between runs (a no-op before)
module.enableCompileCache?.();

// In the Gantry repository the sources are beside this file (they are not published): run
// those, as the repository's own bin does, so that `npx gantry` there is never a stale build.
const sources = new URL('../../cli/bin/gantry.js', import.meta.url);
const inRepository = existsSync(new URL('../src/cli.ts', import.meta.url)) && existsSync(sources);
import(inRepository ? sources.href : new URL('../dist/cli.js', import.meta.url).href).catch((e) => {
  process.stderr.write(`gantry: ${e?.stack ?? e}\n`);
  process.exit(1);
});
