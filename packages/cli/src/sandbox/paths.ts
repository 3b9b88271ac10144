import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The example pipeline in this repository is the sandbox's template, so the two never drift. */
export const EXAMPLE_DIR = join(here, '..', '..', '..', '..', 'examples', 'gitops');

/** The `gantry` package that a sandbox's gantry.config.ts imports. */
export const SDK_PACKAGE_DIR = join(here, '..', '..', '..', 'gantry');

/** The sandbox registry's image reference prefix (gantry.yaml `registries.sandbox.host`). */
export const SANDBOX_IMAGE = 'localhost:5000/app';
