import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestRegistry } from '@gantry/testing';
import { createBareRepo } from '@gantry/testing';

/** The digest the config repository starts with: nothing promoted yet. */
export const ZERO = `sha256:${'0'.repeat(64)}`;

/**
 * A local-mode project in `dir`: an OCI phase on `registry` promoting into a Kubernetes
 * Deployment in a bare config repository, with `gates` (YAML list items, indented for the
 * phase) on staging. Returns the bare repository's path.
 */
export async function gatedStaging(dir: string, registry: TestRegistry, gates: string): Promise<string> {
  const bare = join(dir, 'config.git');
  await createBareRepo(bare, {
    'staging.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: app }\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: ${registry.host}/app@${ZERO}\n`,
  });
  await writeFile(
    join(dir, 'gantry.yaml'),
    `dataDir: .gantry
git:
  author: { name: Gantry, email: gantry@example.com }
repositories:
  config: { url: ./config.git }
registries:
  reg: { url: "${registry.url}", host: "${registry.host}" }
pipelines:
  - name: app
    resource: oci-image
    phases:
      - name: oci
        source: { type: oci, registry: reg, repository: app, select: { by: tag, tag: latest } }
      - name: staging
        promotesFrom: oci
        source: { type: git, repository: config, path: staging.yaml, updater: { type: kubernetes-image, container: app } }
        gates:
${gates}`,
  );
  return bare;
}
