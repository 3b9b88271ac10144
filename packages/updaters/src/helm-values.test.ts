import { UpdaterError, ValidationError } from '@gantry/core';
import { describe, expect, it } from 'vitest';
import { helmValues } from './helm-values.js';
import { digestOf, lineChanges, thrown } from './test-support.js';

const OLD = digestOf('a');
const NEW = digestOf('d');
const FILE = 'charts/app/values-staging.yaml';

const values = `# Values for staging.
replicaCount: 2

image:
   repository: ghcr.io/example/app   # three-space indent on purpose
   tag: "1.4.0"
   digest: ${OLD}
   pullPolicy: IfNotPresent

worker:
  image: 'ghcr.io/example/worker:2.1'
  legacyTag: 1.10

ingress: {enabled: false, hosts: ["app.example.com"]}
`;

const separate = helmValues({ repository: 'image.repository', tag: 'image.tag', digest: 'image.digest' });

describe('helmValues', () => {
  it('GIVEN separate repository, tag and digest WHEN read THEN they make the image', () => {
    expect(separate.read(values, FILE)).toEqual({
      kind: 'oci-image',
      repository: 'ghcr.io/example/app',
      digest: OLD,
      tag: '1.4.0',
    });
  });

  it('GIVEN a tagged image WHEN written THEN exactly the tag and digest lines change, quoting kept', () => {
    const image = { kind: 'oci-image', repository: 'ghcr.io/example/app', digest: NEW, tag: '1.5.0' } as const;
    const after = separate.write(values, image, FILE);
    expect(lineChanges(values, after)).toEqual([
      { line: 6, before: '   tag: "1.4.0"', after: '   tag: "1.5.0"' },
      { line: 7, before: `   digest: ${OLD}`, after: `   digest: ${NEW}` },
    ]);
    expect(separate.read(after, FILE)).toEqual(image);
  });

  it('GIVEN an image without tag WHEN written THEN the tag stays and only the digest changes', () => {
    const after = separate.write(values, { kind: 'oci-image', repository: 'ghcr.io/example/app', digest: NEW }, FILE);
    expect(lineChanges(values, after).map((c) => c.line)).toEqual([7]);
  });

  it('GIVEN the same image WHEN written THEN the very same string comes back', () => {
    const same = { kind: 'oci-image', repository: 'ghcr.io/example/app', digest: OLD, tag: '1.4.0' } as const;
    expect(separate.write(values, same, FILE)).toBe(values);
  });

  it('GIVEN an empty digest WHEN read THEN not pinned; WHEN written THEN the empty value is filled in', () => {
    const text = 'image:\n  repository: app\n  digest: ""\n  other:\n';
    const updater = helmValues({ repository: 'image.repository', digest: 'image.digest' });
    expect(updater.read(text, FILE)).toBeUndefined();
    expect(updater.write(text, { kind: 'oci-image', repository: 'app', digest: NEW }, FILE)).toBe(
      `image:\n  repository: app\n  digest: "${NEW}"\n  other:\n`,
    );
    const bare = helmValues({ repository: 'image.repository', digest: 'image.other' });
    expect(bare.write(text, { kind: 'oci-image', repository: 'app', digest: NEW }, FILE)).toBe(
      `image:\n  repository: app\n  digest: ""\n  other: ${NEW}\n`,
    );
  });

  it('GIVEN a full reference path WHEN written THEN that one value changes, single quotes kept', () => {
    const worker = helmValues({ image: 'worker.image' });
    expect(worker.read(values, FILE)).toBeUndefined();
    const image = { kind: 'oci-image', repository: 'ghcr.io/example/worker', digest: NEW, tag: '2.2' } as const;
    const after = worker.write(values, image, FILE);
    expect(lineChanges(values, after).map((c) => c.after)).toEqual([`  image: 'ghcr.io/example/worker@${NEW}'`]);
    expect(worker.read(after, FILE)).toEqual({ kind: 'oci-image', repository: 'ghcr.io/example/worker', digest: NEW });
  });

  it('GIVEN a plain number-looking tag WHEN written THEN it stays plain', () => {
    const updater = helmValues({ repository: 'image.repository', tag: 'worker.legacyTag', digest: 'image.digest' });
    const image = { kind: 'oci-image', repository: 'ghcr.io/example/app', digest: OLD, tag: '1.11' } as const;
    expect(lineChanges(values, updater.write(values, image, FILE)).map((c) => c.after)).toEqual(['  legacyTag: 1.11']);
    expect(updater.read(values, FILE)?.tag).toBe('1.10');
  });

  it('GIVEN a path that is not there WHEN read THEN the error names it and the keys there', () => {
    const e = thrown(() => helmValues({ repository: 'image.repository', digest: 'image.sha' }).read(values, FILE));
    expect(e).toBeInstanceOf(UpdaterError);
    expect(e.message).toContain('no key "sha" in image; keys there: repository, tag, digest, pullPolicy');
    expect(e.context).toMatchObject({ file: FILE, path: 'image.sha' });
  });

  it('GIVEN options that mix both forms or name no version WHEN built THEN a validation error', () => {
    expect(() => helmValues({ image: 'a', digest: 'b' })).toThrow(ValidationError);
    expect(() => helmValues({ repository: 'image.repository' })).toThrow(/give the path of the tag, the digest/);
    expect(() => helmValues({ image: 'a..b' })).toThrow(/invalid path/);
  });
});
