import { cueField, markerLine, terraformModule, terraformVariable } from '@gantry/updaters';
import { describe, expect, it } from 'vitest';
import { crlf, expectLines, fixture, thrown } from './fixtures.js';

const chart = (name: string, version: string) => ({ kind: 'helm-chart', name, version }) as const;

describe('Terraform / OpenTofu (Terraform Registry module block)', () => {
  const tf = fixture('terraform-registry-module-vpc.tf');

  it('GIVEN a registry module WHEN promoted THEN its version line alone changes', () => {
    const vpc = terraformModule({ module: 'vpc' });
    expect(vpc.read(tf, 'main.tf')).toEqual(chart('vpc', '5.1.2'));
    expectLines(vpc, tf, chart('vpc', '5.1.3'), { 3: '  version = "5.1.3"' }, 'main.tf');
    expectLines(vpc, crlf(tf), chart('vpc', '5.1.3'), { 3: '  version = "5.1.3"' }, 'main.tf');
  });

  it('GIVEN a Git module source WHEN promoted THEN only its ?ref= changes', () => {
    const app = terraformModule({ module: 'app', field: 'ref' });
    expect(app.read(tf, 'main.tf')).toEqual(chart('app', 'v1.2.0'));
    expectLines(app, tf, chart('app', 'v1.3.0'), {
      23: '  source = "git::https://example.com/network.git//modules/app?ref=v1.3.0"',
    });
  });

  it('GIVEN a version constraint WHEN read THEN a range error with its line; a module not there lists those there', () => {
    const ranged = tf.replace('"5.1.2"', '"~> 5.1"');
    expect(thrown(() => terraformModule({ module: 'vpc' }).read(ranged, 'main.tf')).message).toContain(
      'main.tf: line 3: "~> 5.1" is a version range',
    );
    const e = thrown(() => terraformModule({ module: 'eks' }).read(tf, 'main.tf'));
    expect(e.message).toContain('no version in module "eks"');
  });

  it('GIVEN a .tfvars variable WHEN promoted THEN that value alone changes, its comment kept', () => {
    const vars = fixture('terraform-docs-production.tfvars');
    const image = terraformVariable({ variable: 'app_image', value: 'image', form: 'tag' });
    expect(image.read(vars, 'production.tfvars')).toEqual({
      kind: 'oci-image',
      repository: 'ghcr.io/example/app',
      tag: '1.4.0',
    });
    expectLines(
      image,
      vars,
      { kind: 'oci-image', repository: 'ghcr.io/example/app', tag: '1.5.0' },
      {
        7: 'app_image = "ghcr.io/example/app:1.5.0" # promoted by Gantry',
      },
    );
    const list = thrown(() =>
      terraformVariable({ variable: 'availability_zone_names', value: 'commit' }).read(vars, 'v.tfvars'),
    );
    expect(list.message).toContain('line 3: availability_zone_names is the expression [');
  });
});

describe('Timoni bundle (Timoni docs)', () => {
  const bundle = fixture('timoni-docs-bundle-podinfo.cue');

  it('GIVEN a module version declared with the label shorthand WHEN promoted THEN that string alone changes', () => {
    const podinfo = cueField({ path: 'bundle.instances.podinfo.module.version', value: 'version', chart: 'podinfo' });
    expect(podinfo.read(bundle, 'bundle.cue')).toEqual(chart('podinfo', '6.14.0'));
    expectLines(podinfo, bundle, chart('podinfo', '6.14.1'), { 15: '\t\t\tmodule: version: "6.14.1"' });
    const redis = cueField({ path: 'bundle.instances.redis.module.version', value: 'version', chart: 'redis' });
    expectLines(redis, bundle, chart('redis', '8.10.2'), { 8: '\t\t\t\tversion: "8.10.2"' });
  });

  it('GIVEN a path that is not there WHEN read THEN the fields there are named', () => {
    const e = thrown(() =>
      cueField({ path: 'bundle.instances.podinfo.values.image.tag', value: 'tag', image: 'podinfo' }).read(
        bundle,
        'bundle.cue',
      ),
    );
    expect(e.message).toContain('no field "image" in bundle.instances.podinfo.values; fields there: caching');
  });
});

describe('a marked line in any text', () => {
  it('GIVEN a Dockerfile with a marker on the FROM line WHEN promoted THEN the tag alone changes', () => {
    const dockerfile = 'FROM node:20.11.0-alpine # gantry: node\nRUN npm ci\n';
    const node = markerLine({ marker: '# gantry: node', pattern: 'FROM [^:]+:(\\S+)', value: 'tag', image: 'node' });
    expect(node.read(dockerfile, 'Dockerfile')).toEqual({
      kind: 'oci-image',
      repository: 'node',
      tag: '20.11.0-alpine',
    });
    expectLines(
      node,
      dockerfile,
      { kind: 'oci-image', repository: 'node', tag: '20.12.0-alpine' },
      {
        1: 'FROM node:20.12.0-alpine # gantry: node',
      },
    );
  });

  it('GIVEN a marker on the line before WHEN promoted THEN the next line is rewritten', () => {
    const md = '# Install\n<!-- gantry:version -->\nhelm install app oci://example.com/charts/app --version 1.2.3\n';
    const v = markerLine({
      marker: '<!-- gantry:version -->',
      line: 'next',
      pattern: '--version (?<value>\\S+)',
      value: 'version',
      chart: 'app',
    });
    expectLines(v, md, chart('app', '1.3.0'), { 3: 'helm install app oci://example.com/charts/app --version 1.3.0' });
  });
});
