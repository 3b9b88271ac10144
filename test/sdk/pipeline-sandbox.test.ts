// Written the way a user tests their own pipeline: only `gantry` and `gantry/testing` imports.
import {
  customUpdater,
  defineConfig,
  definePipeline,
  gitFile,
  kustomizeImage,
  ociImage,
  ociImageSource,
  pipeline,
} from 'gantry';
import { createPipelineSandbox } from 'gantry/testing';
import { describe, expect, it } from 'vitest';

const kustomization = (digest: string) => `# overlay for staging
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../../base
images:
  - name: app
    newName: localhost:5000/app
    digest: ${digest}
`;

function myPipelines() {
  const app = pipeline({ name: 'app', resource: ociImage });
  const oci = app.phase('oci', {
    source: ociImageSource({ registry: 'sandbox', repository: 'app', select: { by: 'tag', tag: 'latest' } }),
  });
  app.phase('staging', {
    promotesFrom: oci,
    source: gitFile({
      repository: 'config',
      path: 'overlays/staging/kustomization.yaml',
      updater: kustomizeImage({ name: 'app' }),
    }),
  });
  return defineConfig({ pipelines: [app] });
}

describe('gantry/testing: a user tests their own pipeline', () => {
  it('GIVEN my kustomize pipeline in a sandbox WHEN an image is pushed and staging promoted THEN the overlay holds the digest, with trailers', async () => {
    await using sb = await createPipelineSandbox(myPipelines(), {
      files: { 'overlays/staging/kustomization.yaml': kustomization(`sha256:${'0'.repeat(64)}`) },
    });
    const digest = await sb.pushImage('app');
    const [status] = await sb.engine.status('app');
    expect(status?.phases.map((p) => p.state)).toEqual(['source', 'behind']);

    const outcome = await sb.engine.promote('app', 'staging');
    expect(outcome.kind).toBe('promoted');
    expect(await sb.readFile('overlays/staging/kustomization.yaml')).toBe(kustomization(digest));
    const [last] = await sb.log();
    expect(last?.trailers).toMatchObject({
      'Gantry-Pipeline': 'app',
      'Gantry-Phase': 'staging',
      'Gantry-Digest': digest,
    });
  });

  it('GIVEN someone edits the file by hand meanwhile WHEN promoted THEN both changes survive', async () => {
    await using sb = await createPipelineSandbox(myPipelines(), {
      files: { 'overlays/staging/kustomization.yaml': kustomization(`sha256:${'0'.repeat(64)}`) },
    });
    const digest = await sb.pushImage('app');
    await sb.engine.status();
    await sb.commit({
      'overlays/staging/kustomization.yaml': kustomization(`sha256:${'0'.repeat(64)}`).replace(
        '# overlay',
        '# the overlay',
      ),
    });
    await sb.engine.promote('app', 'staging');
    const text = await sb.readFile('overlays/staging/kustomization.yaml');
    expect(text).toContain('# the overlay for staging');
    expect(text).toContain(`digest: ${digest}`);
  });

  it('GIVEN a pipeline with a mistake WHEN the sandbox is made THEN the validation issues are thrown, not hidden', async () => {
    // the plain-data form compiles with any name; validation catches the unknown upstream
    const broken = definePipeline({
      name: 'app',
      resource: ociImage,
      phases: [
        {
          name: 'staging',
          promotesFrom: ['nope'],
          source: gitFile({
            repository: 'config',
            path: 'x.yaml',
            updater: customUpdater({ describe: 'x', read: () => undefined, write: (t) => t }),
          }),
        },
      ],
    });
    await expect(
      createPipelineSandbox(defineConfig({ pipelines: [broken] }), { files: { 'x.yaml': '' } }),
    ).rejects.toThrow(/unknown phase "nope"; known: staging/);
  });
});
