import { fileURLToPath } from 'node:url';

/**
 * The `gantry` package as the integration tests run it: built from the sources by the package's
 * own build, declarations included, into node_modules/.cache (the integration project's global
 * setup, build-gantry.ts), laid out as npm would install it. Running the bundle instead of the
 * TypeScript sources through tsx costs a command a third of the CPU: a few hundred commands make
 * the difference between CI in time and CI too late.
 */
export const GANTRY_PACKAGE_DIR = fileURLToPath(
  new URL('../../node_modules/.cache/gantry-test/gantry/', import.meta.url),
);

/** The package's command, `node_modules/.bin/gantry` of a project that installed it. */
export const GANTRY_BIN = `${GANTRY_PACKAGE_DIR}bin/gantry.js`;

/** The repository's own command, the TypeScript sources through tsx: what `npm start` runs. */
export const SOURCE_BIN = fileURLToPath(new URL('../../packages/cli/bin/gantry.js', import.meta.url));
