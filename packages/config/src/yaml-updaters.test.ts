import { ociImage, ociImageByTag } from '@gantry/core';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { configSchema } from './schema.js';
import { buildYamlPipelines } from './yaml-pipelines.js';
import { buildUpdater, updaterKind } from './yaml-updaters.js';
import { updaterSchema } from './updater-schema.js';

/** One updater of each type, as a user writes it in gantry.yaml, with the resource it holds. */
const EXAMPLES: [string, string][] = [
  ['{ type: kubernetes-image, container: app, form: tag, host: source }', 'oci-image'],
  ['{ type: kustomize-image, name: app }', 'oci-image'],
  ['{ type: kustomize-helm-chart, name: minecraft }', 'helm-chart'],
  ['{ type: helm-values, tag: image.tag }', 'oci-image'],
  ['{ type: helm-values, tag: [a.tag, b.tag], digest: a.digest }', 'oci-image'],
  ['{ type: helm-release-chart, chart: podinfo, holdsRanges: true }', 'helm-chart'],
  ['{ type: image-path, path: spec.image, select: { kind: Deployment } }', 'oci-image'],
  ['{ type: chart-version-path, path: "dependencies[name=redis].version", chart: redis }', 'helm-chart'],
  ['{ type: flux-oci-repository }', 'helm-chart'],
  ['{ type: flux-oci-artifact, form: digest }', 'oci-image'],
  ['{ type: flux-git-repository }', 'git-commit'],
  ['{ type: flux-git-repository-tag, chart: app }', 'helm-chart'],
  ['{ type: flux-image-policy, policy: "flux-system:podinfo" }', 'oci-image'],
  ['{ type: argocd-chart, chart: redis }', 'helm-chart'],
  ['{ type: argocd-revision }', 'git-commit'],
  ['{ type: argocd-helm-image, parameters: { tag: image.tag, imageName: app } }', 'oci-image'],
  ['{ type: argocd-helm-image, valuesObject: { tag: image.tag } }', 'oci-image'],
  ['{ type: argocd-kustomize-image, name: my-app }', 'oci-image'],
  ['{ type: argocd-image-updater }', 'oci-image'],
  ['{ type: terraform-module, module: vpc, field: ref }', 'helm-chart'],
  ['{ type: terraform-module-commit, module: app }', 'git-commit'],
  ['{ type: terraform-variable, variable: app_image, value: image }', 'oci-image'],
  ['{ type: cue-field, path: bundle.instances.app.module.version, value: version, chart: app }', 'helm-chart'],
  ['{ type: marker, marker: "# gantry", pattern: "v(\\\\S+)", value: commit }', 'git-commit'],
];

describe('updaters in gantry.yaml', () => {
  it.each(EXAMPLES)('GIVEN %s WHEN parsed and built THEN an updater of %s', (text, kind) => {
    const u = updaterSchema.parse(parseDocument(text).toJS());
    expect(updaterKind(u)).toBe(kind);
    expect(buildUpdater(u).describe()).toMatch(/\w/);
  });

  it('GIVEN value tag without the image it versions WHEN parsed THEN the field is named', () => {
    const r = updaterSchema.safeParse({ type: 'terraform-variable', variable: 'x', value: 'tag' });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(['image']);
  });

  const config = (updater: string) =>
    configSchema.parse(
      parseDocument(`repositories: { config: { url: ./config.git } }
pipelines:
  - name: app
    resource: oci-image
    phases:
      - name: staging
        source: { type: git, repository: config, path: a.yaml, updater: ${updater} }
      - name: production
        promotesFrom: staging
        source: { type: git, repository: config, path: b.yaml, updater: { type: kubernetes-image, container: app } }
`).toJS(),
    );

  it('GIVEN a phase writing tags WHEN the pipeline is built THEN it compares versions by tag; by digest otherwise', () => {
    const byTag = buildYamlPipelines(config('{ type: helm-values, tag: image.tag }'), undefined);
    expect(byTag.issues).toEqual([]);
    expect(byTag.pipelines[0]?.resource).toBe(ociImageByTag);
    const byDigest = buildYamlPipelines(
      config('{ type: helm-values, tag: image.tag, digest: image.digest }'),
      undefined,
    );
    expect(byDigest.pipelines[0]?.resource).toBe(ociImage);
  });

  it('GIVEN options only the updater can check WHEN built THEN an issue on the updater, not a crash', () => {
    const bad = buildYamlPipelines(config('{ type: marker, marker: "#", pattern: "(", value: image }'), undefined);
    expect(bad.issues.map((i) => [i.path, i.message.slice(0, 40)])).toEqual([
      ['pipelines[0].phases[0].source.updater', 'markerLine: the pattern is not a regular'],
    ]);
    const none = buildYamlPipelines(config('{ type: helm-values }'), undefined);
    expect(none.issues[0]?.message).toContain('give the path of the tag, the digest, or a whole image reference');
  });
});
