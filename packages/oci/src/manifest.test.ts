import { describe, expect, it } from 'vitest';
import { tagOfRefName } from './layout-format.js';
import { digestOf, parseImageConfig, parseManifest } from './manifest.js';
import { MEDIA_TYPES } from './media-types.js';
import { referrersTag } from './referrers.js';

const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
const d = (c: string) => `sha256:${c.repeat(64)}`;
const desc = { mediaType: MEDIA_TYPES.ociConfig, digest: d('a'), size: 2 };

describe('parseManifest', () => {
  it('GIVEN an OCI image manifest WHEN parsed THEN it is a manifest with its media type', () => {
    const bytes = enc({ schemaVersion: 2, mediaType: MEDIA_TYPES.ociManifest, config: desc, layers: [] });
    expect(parseManifest(bytes, digestOf(bytes), undefined)).toMatchObject({
      kind: 'manifest',
      mediaType: MEDIA_TYPES.ociManifest,
    });
  });

  it('GIVEN a Docker manifest list without mediaType in the body WHEN parsed THEN Content-Type decides', () => {
    const bytes = enc({ schemaVersion: 2, manifests: [{ ...desc, mediaType: MEDIA_TYPES.dockerManifest }] });
    expect(parseManifest(bytes, 'sha256:x', `${MEDIA_TYPES.dockerManifestList}; charset=utf-8`)).toMatchObject({
      kind: 'index',
      mediaType: MEDIA_TYPES.dockerManifestList,
    });
  });

  it('GIVEN a body that is no manifest WHEN parsed THEN invalid_manifest', () => {
    expect(() => parseManifest(enc({ schemaVersion: 1 }), 'sha256:x', MEDIA_TYPES.ociManifest)).toThrow(
      expect.objectContaining({ code: 'invalid_manifest' }),
    );
    expect(() => parseManifest(new TextEncoder().encode('<html>'), 'sha256:x', undefined)).toThrow(
      expect.objectContaining({ code: 'invalid_manifest' }),
    );
  });
});

describe('parseImageConfig', () => {
  it('GIVEN an image config WHEN parsed THEN created and labels are read', () => {
    expect(parseImageConfig(enc({ created: '2024-01-02T03:04:05Z', config: { Labels: { a: 'b' } } }))).toEqual({
      created: new Date('2024-01-02T03:04:05Z'),
      labels: { a: 'b' },
    });
  });

  it('GIVEN a config without created or with null labels WHEN parsed THEN neither is invented', () => {
    expect(parseImageConfig(enc({ config: { Labels: null } }))).toEqual({ labels: {} });
    expect(parseImageConfig(enc({ created: 'not a date' }))).toEqual({ labels: {} });
  });
});

describe('names in layouts and the referrers tag schema', () => {
  it('GIVEN ref.name annotations WHEN read THEN bare tags and full references give the tag', () => {
    expect(tagOfRefName('1.2.0')).toBe('1.2.0');
    expect(tagOfRefName('registry.example:5000/team/app:v2')).toBe('v2');
    expect(tagOfRefName('registry.example:5000/team/app')).toBeUndefined();
  });

  it('GIVEN a digest WHEN its referrers tag is made THEN it is <alg>-<hex>', () => {
    expect(referrersTag(d('b'))).toBe(`sha256-${'b'.repeat(64)}`);
  });
});
