import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PipelineStatus } from '@gantry/core';
import { createBareRepo, runGit, tempDir } from '@gantry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gantry, json } from './run-cli.js';

/** A fixture of test/fixtures/layouts, written the way its project documents it. */
const fixture = (name: string): string => readFileSync(new URL(`../fixtures/layouts/${name}`, import.meta.url), 'utf8');
const crlf = (text: string): string => text.replaceAll('\n', '\r\n');

/** `text` with the given 1-based lines replaced: the whole expected file after a promotion. */
function withLines(text: string, changes: Readonly<Record<number, string>>): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return text
    .split(eol)
    .map((line, i) => changes[i + 1] ?? line)
    .join(eol);
}

const helm = fixture('helm-create-values.yaml');
const release = fixture('flux-api-helmrelease.yaml');
const markers = fixture('flux-image-update-guide-markers.yaml');
const argo = fixture('argocd-docs-application-helm.yaml');
const tf = fixture('terraform-registry-module-vpc.tf');
const bundle = fixture('timoni-docs-bundle-podinfo.cue');
const overlay = fixture('kustomize-docs-overlay-kustomization.yaml');

/** Each layout as staging (the version to promote) and production (the file as the project documents it). */
const FILES: Record<string, string> = {
  'helm/values-staging.yaml': helm.replace('tag: ""', 'tag: "1.27.0"'),
  'helm/values-production.yaml': crlf(helm.replace('tag: ""', 'tag: "1.26.0"')),
  'kustomize/staging/kustomization.yaml': `${overlay}images:\n- name: my-app\n  newTag: 1.2.3\n`,
  'kustomize/production/kustomization.yaml': overlay,
  'flux/staging/podinfo.yaml': release.replace("'6.5.*'", "'6.5.4'"),
  'flux/production/podinfo.yaml': release,
  'flux/staging/markers.yaml': markers.replaceAll('5.0.0', '5.0.1'),
  'flux/production/markers.yaml': markers,
  'argocd/staging/app.yaml': argo.replace('targetRevision: 0.9.2', 'targetRevision: 0.9.3'),
  'argocd/production/app.yaml': argo,
  'terraform/staging/main.tf': tf.replace('"5.1.2"', '"5.1.3"'),
  'terraform/production/main.tf': tf,
  'timoni/staging/bundle.cue': bundle.replace('"6.14.0"', '"6.14.1"'),
  'timoni/production/bundle.cue': bundle,
};

const pipeline = (name: string, resource: string, dir: string, updater: string, production = updater) => `
  - name: ${name}
    resource: ${resource}
    phases:
      - name: staging
        source: { type: git, repository: config, path: ${dir.replace('ENV', 'staging')}, updater: ${updater} }
      - name: production
        promotesFrom: staging
        source: { type: git, repository: config, path: ${dir.replace('ENV', 'production')}, updater: ${production} }`;

const CONFIG = `dataDir: .gantry
git:
  author: { name: Gantry, email: gantry@example.com }
repositories:
  config: { url: ./config.git, branch: main }
pipelines:${[
  pipeline('helm', 'oci-image', 'helm/values-ENV.yaml', '{ type: helm-values, tag: image.tag }'),
  pipeline(
    'kustomize',
    'oci-image',
    'kustomize/ENV/kustomization.yaml',
    '{ type: kustomize-image, name: my-app, form: tag }',
  ),
  pipeline(
    'flux',
    'helm-chart',
    'flux/ENV/podinfo.yaml',
    '{ type: helm-release-chart }',
    '{ type: helm-release-chart, holdsRanges: true }',
  ),
  pipeline(
    'markers',
    'oci-image',
    'flux/ENV/markers.yaml',
    '{ type: flux-image-policy, policy: "flux-system:podinfo" }',
  ),
  pipeline('argocd', 'helm-chart', 'argocd/ENV/app.yaml', '{ type: argocd-chart }'),
  pipeline('terraform', 'helm-chart', 'terraform/ENV/main.tf', '{ type: terraform-module, module: vpc }'),
  pipeline(
    'timoni',
    'helm-chart',
    'timoni/ENV/bundle.cue',
    '{ type: cue-field, path: bundle.instances.podinfo.module.version, value: version, chart: podinfo }',
  ),
].join('')}
`;

/** Each pipeline's production file after its promotion: exactly its version lines changed. */
const EXPECTED: Record<string, { path: string; after: string }> = {
  helm: {
    path: 'helm/values-production.yaml',
    after: withLines(FILES['helm/values-production.yaml'] as string, { 14: '  tag: "1.27.0"' }),
  },
  kustomize: {
    path: 'kustomize/production/kustomization.yaml',
    after: `${overlay}images:\n- name: my-app\n  newTag: 1.2.3\n`,
  },
  flux: { path: 'flux/production/podinfo.yaml', after: withLines(release, { 22: "      version: '6.5.4'" }) },
  markers: {
    path: 'flux/production/markers.yaml',
    after: withLines(markers, {
      17: '        image: ghcr.io/stefanprodan/podinfo:5.0.1 # {"$imagepolicy": "flux-system:podinfo"}',
      28: '      tag: 5.0.1  # {"$imagepolicy": "flux-system:podinfo:tag"}',
    }),
  },
  argocd: { path: 'argocd/production/app.yaml', after: withLines(argo, { 11: '    targetRevision: 0.9.3' }) },
  terraform: { path: 'terraform/production/main.tf', after: withLines(tf, { 3: '  version = "5.1.3"' }) },
  timoni: { path: 'timoni/production/bundle.cue', after: withLines(bundle, { 15: '\t\t\tmodule: version: "6.14.1"' }) },
};

describe('promotion into the layouts projects document, through the real gantry command and real Git', () => {
  let root: Awaited<ReturnType<typeof tempDir>>;
  let bare: string;

  beforeAll(async () => {
    root = await tempDir('gantry-layouts-');
    bare = join(root.path, 'config.git');
    await createBareRepo(bare, FILES);
    await writeFile(join(root.path, 'gantry.yaml'), CONFIG);
  });
  afterAll(() => root.remove());

  it('GIVEN every layout WHEN status THEN versions are read as their projects write them, and a range is an error naming file, line and value', async () => {
    const r = await gantry(['status', '--json'], root.path);
    const status = json<PipelineStatus[]>(r);
    const phase = (p: string, ph: string) => status.find((s) => s.pipeline === p)?.phases.find((x) => x.phase === ph);
    expect(phase('helm', 'staging')?.version).toBe('nginx:1.27.0');
    expect(phase('helm', 'production')).toMatchObject({ state: 'behind', version: 'nginx:1.26.0' });
    expect(phase('markers', 'production')?.version).toBe('podinfo:5.0.0');
    expect(phase('terraform', 'production')?.version).toBe('vpc@5.1.2');
    // the HelmRelease example's '6.5.*' is held as a range by production, which says so: no version, no error
    expect(phase('flux', 'production')?.state).toBe('empty');
    // AND a phase that does not say so shows the error, with file, line and value
    const strict = CONFIG.replace('{ type: helm-release-chart, holdsRanges: true }', '{ type: helm-release-chart }');
    await writeFile(join(root.path, 'strict.yaml'), strict);
    const s = json<PipelineStatus[]>(await gantry(['--config', 'strict.yaml', 'status', '--json'], root.path));
    const flux = s.find((p) => p.pipeline === 'flux')?.phases.find((x) => x.phase === 'production');
    expect(flux?.state).toBe('error');
    expect(flux?.error?.message).toContain('flux/production/podinfo.yaml: line 22: "6.5.*" is a version range');
    // AND promotion there is refused, nothing written
    const refused = await gantry(['--config', 'strict.yaml', 'promote', 'flux', 'production'], root.path);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('"6.5.*" is a version range');
  });

  it('GIVEN each layout WHEN diffed and promoted THEN the commit changes exactly the version lines, every other byte kept (comments, quoting, CRLF, trailing newline)', async () => {
    for (const [name, { path, after }] of Object.entries(EXPECTED)) {
      const diff = await gantry(['diff', name, 'production'], root.path);
      expect(diff.code, `${name}: ${diff.stderr}`).toBe(0);
      expect(diff.stdout).toContain(`b/${path}`);
      const promoted = await gantry(['promote', name, 'production', '--json'], root.path);
      expect(promoted.code, `${name}: ${promoted.stderr}`).toBe(0);
      const text = await runGit(['show', `main:${path}`], bare);
      expect(text, name).toBe(after);
      // AND the commit touched that one file
      const files = (await runGit(['show', '--name-only', '--format=', 'main'], bare)).trim();
      expect(files).toBe(path);
    }
    // THEN every pipeline is in sync
    const status = json<PipelineStatus[]>(await gantry(['status', '--json'], root.path));
    for (const p of status)
      expect(
        p.phases.map((x) => x.state),
        p.pipeline,
      ).toEqual(['source', 'in-sync']);
  });
});
