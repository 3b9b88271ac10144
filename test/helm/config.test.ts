import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TempDir } from '@gantry/testing';
import { tempDir } from '@gantry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gantry } from '../cli/run-cli.js';

const REGISTRIES = `registries:
  charts:
    helm: https://charts.example.com/stable
  docker:
    url: https://registry.example.com
`;

/** A gantry.yaml with one pipeline of `resource` whose only phase has `source`; the line of the source. */
function config(resource: string, source: string): { text: string; line: number } {
  const text = `${REGISTRIES}pipelines:
  - name: app
    resource: ${resource}
    phases:
      - name: charts
        source: ${source}
`;
  return { text, line: text.split('\n').findIndex((l) => /^\s+source:/.test(l)) + 1 };
}

describe('helm sources and registries in gantry.yaml, checked by gantry validate', () => {
  let tmp: TempDir;
  beforeAll(async () => {
    tmp = await tempDir('gantry-helm-config-');
  });
  afterAll(() => tmp.remove());

  const validate = async (name: string, text: string) => {
    await writeFile(join(tmp.path, name), text);
    return gantry(['--config', name, 'validate'], tmp.path);
  };

  it('GIVEN a helm source of a helm-chart pipeline WHEN validated THEN it is valid', async () => {
    const { text } = config('helm-chart', '{ type: helm, registry: charts, chart: app, select: { by: newest } }');
    const r = await validate('good.yaml', text);
    expect(r.code, r.stderr).toBe(0);
  });

  it.each([
    [
      'a helm source in an oci-image pipeline',
      'oci-image',
      '{ type: helm, registry: charts, chart: app }',
      '[pipelines[0].phases[0].source.type] a helm source holds a helm-chart, not a oci-image',
    ],
    [
      'a helm source naming an OCI registry',
      'helm-chart',
      '{ type: helm, registry: docker, chart: app }',
      '[pipelines[0].phases[0].source.registry] registry "docker" is an OCI registry; a helm source reads a registry with helm: <url>',
    ],
    [
      'an oci source naming a Helm repository',
      'helm-chart',
      '{ type: oci, registry: charts, repository: app, select: { by: tag, tag: latest } }',
      '[pipelines[0].phases[0].source.registry] registry "charts" is a Helm chart repository; read it with type: helm',
    ],
    [
      'a semver range that does not parse',
      'helm-chart',
      '{ type: helm, registry: charts, chart: app, select: { by: semver, range: "one point two" } }',
      '[pipelines[0].phases[0].source.select] "one point two" is not a semver range',
    ],
    [
      'an unknown registry',
      'helm-chart',
      '{ type: helm, registry: chart, chart: app }',
      '[pipelines[0].phases[0].source.registry] unknown registry "chart"; known: charts, docker',
    ],
  ])('GIVEN %s WHEN validated THEN exit 2 naming the line and field', async (_, resource, source, message) => {
    const { text, line } = config(resource, source);
    const r = await validate('bad.yaml', text);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`bad.yaml:${line}:`);
    expect(r.stderr).toContain(message);
  });

  it('GIVEN a helm registry with credentials in its URL WHEN validated THEN they are refused, pointing at auth', async () => {
    const text = REGISTRIES.replace('https://charts.example.com', 'https://ci:pw@charts.example.com');
    const r = await validate('creds.yaml', text);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[registries.charts.helm] put credentials in "auth", not the URL');
  });
});
