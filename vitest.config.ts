import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

/**
 * `gantry` and `gantry/testing` from their sources (what the `@gantry/source` export condition
 * gives tsc and the repository's CLI), not from the package's build.
 */
const gantrySources = {
  alias: [
    { find: /^gantry$/, replacement: fileURLToPath(new URL('packages/gantry/src/index.ts', import.meta.url)) },
    {
      find: /^gantry\/testing$/,
      replacement: fileURLToPath(new URL('packages/gantry/src/testing.ts', import.meta.url)),
    },
  ],
};

export default defineConfig({
  test: {
    projects: [
      {
        resolve: gantrySources,
        test: {
          name: 'unit',
          // each project runs as its own group: they differ in maxWorkers
          sequence: { groupOrder: 0 },
          include: ['packages/*/src/**/*.test.ts'],
          // the type tests (*.test-d.ts) are checked by `npm run typecheck`, which `npm test` runs
          // first over the same tsconfig: checking them here again cost CI a second tsc
        },
      },
      {
        // the dashboard's components in a simulated DOM
        plugins: [react()],
        test: {
          name: 'ui',
          sequence: { groupOrder: 0 },
          include: ['packages/ui/src/**/*.test.tsx'],
          environment: 'happy-dom',
        },
      },
      {
        resolve: gantrySources,
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          include: ['test/**/*.test.ts'],
          // the `gantry` package the tests run as a user would (test/support/gantry-bin.ts)
          globalSetup: ['test/support/build-gantry.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // integration tests start real servers and git processes; keep the 2-core machine responsive
          // (three at once made a slow machine slower, with timeouts)
          maxWorkers: 2,
        },
      },
    ],
  },
});
