import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Set (true) by the `gantry` package's build: the code runs from its dist/ directory. */
declare const __GANTRY_BUNDLE__: boolean | undefined;
const bundled = typeof __GANTRY_BUNDLE__ !== 'undefined' && __GANTRY_BUNDLE__;

const here = dirname(fileURLToPath(import.meta.url));

/**
 * The example pipeline in this repository is the sandbox's template, so the two never drift;
 * the published package carries a copy in dist/examples.
 */
export const EXAMPLE_DIR = bundled
  ? join(here, 'examples', 'gitops')
  : join(here, '..', '..', '..', '..', 'examples', 'gitops');

/** The `gantry` package that a sandbox's gantry.config.ts imports: the one this CLI is part of. */
export const SDK_PACKAGE_DIR = bundled ? join(here, '..') : join(here, '..', '..', '..', 'gantry');

/** The sandbox registry's image reference prefix (gantry.yaml `registries.sandbox.host`). */
export const SANDBOX_IMAGE = 'localhost:5000/app';
