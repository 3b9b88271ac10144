import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GantryError } from '@gantry/core';
import { requireGit } from '@gantry/git';
import { kubernetesImage } from '@gantry/updaters';
import { git } from './git.js';
import { EXAMPLE_DIR, SANDBOX_IMAGE, SDK_PACKAGE_DIR } from './paths.js';
import { pushSandboxImage } from './push.js';

export interface SandboxInfo {
  readonly dir: string;
  readonly configRepository: string;
  readonly registry: string;
  readonly digest: string;
  readonly files: readonly string[];
}

const ENVIRONMENTS = ['staging', 'production'] as const;

/**
 * A ready-to-run sandbox: a bare config repository laid out like the GitOps example
 * (`env/<environment>/deployment.yaml`), an OCI image-layout registry with an `app`
 * image, and the example's gantry.yaml and gantry.config.ts (or its YAML twin).
 */
export async function initSandbox(dir: string, options: { yaml?: boolean; now?: Date } = {}): Promise<SandboxInfo> {
  if (existsSync(dir) && (await readdir(dir)).length > 0) {
    throw new GantryError('sandbox_exists', `${dir} is not empty; choose a new directory`, { dir });
  }
  // before anything is written: a sandbox half made for want of git could not be made again in place
  requireGit();
  await mkdir(dir, { recursive: true });
  const digest = await pushSandboxImage(dir, options.now);
  const configRepository = join(dir, 'config.git');
  await createConfigRepository(configRepository, digest);

  const files = options.yaml ? ['gantry.yaml'] : ['gantry.yaml', 'gantry.config.ts'];
  for (const f of files) {
    const from = options.yaml ? join(EXAMPLE_DIR, 'yaml', f) : join(EXAMPLE_DIR, f);
    const text = (await readFile(from, 'utf8')).replace(/^# yaml-language-server: .*\n/, '');
    await writeFile(join(dir, f), text);
  }
  if (!options.yaml) {
    // gantry.config.ts imports `gantry`; link it as `npm install gantry` would, in an ESM package.
    const pkg = { name: 'gantry-sandbox', private: true, type: 'module', dependencies: { gantry: '*' } };
    await writeFile(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
    await mkdir(join(dir, 'node_modules', '.bin'), { recursive: true });
    await symlink(SDK_PACKAGE_DIR, join(dir, 'node_modules', 'gantry'), 'dir');
    // and its command, as npm links it: `npx gantry` in the sandbox runs this Gantry (and never
    // goes looking for a package of that name in the registry)
    await symlink(join('..', 'gantry', 'bin', 'gantry.js'), join(dir, 'node_modules', '.bin', 'gantry'));
  }
  return { dir, configRepository, registry: join(dir, 'registry'), digest, files };
}

async function createConfigRepository(bare: string, digest: string): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'gantry-sandbox-'));
  try {
    await cp(join(EXAMPLE_DIR, 'config'), work, { recursive: true });
    const updater = kubernetesImage({ container: 'app', envVar: 'APP_IMAGE_DIGEST' });
    for (const env of ENVIRONMENTS) {
      const file = join(work, 'env', env, 'deployment.yaml');
      const text = await readFile(file, 'utf8');
      await writeFile(file, updater.write(text, { kind: 'oci-image', repository: SANDBOX_IMAGE, digest }, file));
    }
    await git(['init', '-q', '-b', 'main'], work);
    await git(['add', '-A'], work);
    await git(['commit', '-q', '-m', 'example config repository: staging and production'], work);
    await git(['clone', '-q', '--bare', work, bare], work);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
