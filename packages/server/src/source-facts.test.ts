import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLayoutRegistry, writeLayoutImage } from '@gantry/oci';
import { afterEach, describe, expect, it } from 'vitest';
import { parsePerson, readImageLabels, sourceOfLabels } from './image-provenance.js';
import type { SourceSupplier } from './source-facts.js';
import { mergeSourceFacts, sourceFacts } from './source-facts.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const q = { pipeline: 'app', phase: 'production', digest: `sha256:${'a'.repeat(64)}`, resource: {} };

const supplier = (name: string, facts: () => Promise<Awaited<ReturnType<SourceSupplier['facts']>>>) => ({
  name,
  facts,
});

describe('source facts from image labels', () => {
  it('GIVEN OCI, Gantry and OpenShift labels WHEN read THEN revision, repository, branch, message and people come out', () => {
    const s = sourceOfLabels({
      'org.opencontainers.image.revision': SHA,
      'org.opencontainers.image.source': 'https://github.com/acme/shop.git',
      'dev.gantry.branch': 'refs/heads/main',
      'io.openshift.build.commit.message': 'SHOP-1 fix the cart\n\nlonger text',
      'io.openshift.build.commit.author': 'Ann Lee <ann@example.com>',
      'dev.gantry.commit.committer': 'bot@example.com',
    });
    expect(s).toEqual({
      sha: SHA,
      url: 'https://github.com/acme/shop.git',
      repository: 'acme/shop',
      branch: 'refs/heads/main',
      message: 'SHOP-1 fix the cart\n\nlonger text',
      author: { name: 'Ann Lee', email: 'ann@example.com' },
      committer: { email: 'bot@example.com' },
    });
  });

  it('GIVEN a configured branch key WHEN both it and a default key are present THEN the configured one wins; without it the default is read', () => {
    const labels = { 'com.acme.git-branch': 'hotfix/x', 'dev.gantry.branch': 'main' };
    expect(sourceOfLabels(labels, { branch: 'com.acme.git-branch' }).branch).toBe('hotfix/x');
    expect(sourceOfLabels(labels).branch).toBe('main');
    expect(sourceOfLabels({ 'com.acme.git-branch': 'hotfix/x' }, { branch: 'com.acme.git-branch' }).branch).toBe(
      'hotfix/x',
    );
  });

  it('GIVEN no labels, blank values or a revision that is not a sha WHEN read THEN nothing is claimed', () => {
    expect(sourceOfLabels({})).toEqual({});
    expect(sourceOfLabels({ 'dev.gantry.branch': '  ', 'org.opencontainers.image.revision': 'v1.2.3' })).toEqual({});
  });

  it('GIVEN people written in the usual ways WHEN parsed THEN name and email are told apart', () => {
    expect(parsePerson('Ann Lee <ann@example.com>')).toEqual({ name: 'Ann Lee', email: 'ann@example.com' });
    expect(parsePerson('<ann@example.com>')).toEqual({ email: 'ann@example.com' });
    expect(parsePerson('ann@example.com')).toEqual({ email: 'ann@example.com' });
    expect(parsePerson('Ann Lee')).toEqual({ name: 'Ann Lee' });
    expect(parsePerson(' ')).toBeUndefined();
  });

  describe('an image in a layout', () => {
    let dir: string | undefined;
    afterEach(async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('GIVEN an image built with labels WHEN its labels are read by digest THEN they come from its config', async () => {
      dir = await mkdtemp(join(tmpdir(), 'gantry-source-facts-'));
      const digest = await writeLayoutImage(dir, 'app', 'latest', {
        labels: { 'dev.gantry.branch': 'hotfix/x', 'org.opencontainers.image.revision': SHA },
      });
      const labels = await readImageLabels(createLayoutRegistry({ layout: dir }), 'app', digest);
      expect(sourceOfLabels(labels)).toEqual({ sha: SHA, branch: 'hotfix/x' });
    });
  });
});

describe('source facts from several suppliers', () => {
  it('GIVEN a preferred supplier and the labels WHEN merged THEN each field comes from the first that knows it', () => {
    const merged = mergeSourceFacts([
      { sha: SHA.slice(0, 12), branch: 'main' },
      undefined,
      { sha: SHA, branch: 'other', message: 'SHOP-2 from the labels', author: { email: 'a@example.com' } },
    ]);
    expect(merged).toEqual({
      sha: SHA.slice(0, 12),
      branch: 'main',
      message: 'SHOP-2 from the labels',
      author: { email: 'a@example.com' },
    });
  });

  it('GIVEN two suppliers naming different commits WHEN merged THEN the later adds nothing', () => {
    expect(
      mergeSourceFacts([
        { sha: SHA, branch: 'main' },
        { sha: 'f'.repeat(40), message: 'other commit' },
      ]),
    ).toEqual({
      sha: SHA,
      branch: 'main',
    });
    expect(mergeSourceFacts([undefined, {}])).toBeUndefined();
  });

  it('GIVEN a supplier that cannot be asked WHEN the others leave a field unknown THEN the question fails; WHEN they told everything THEN it answers', async () => {
    const down = supplier('labels', () => Promise.reject(new Error('registry down')));
    const partial = supplier('ci', async () => ({ sha: SHA, branch: 'main' }));
    await expect(sourceFacts([partial, down])(q)).rejects.toThrow('registry down');
    const full = supplier('ci', async () => ({
      sha: SHA,
      branch: 'main',
      message: 'm',
      author: { email: 'a@x' },
      committer: { email: 'c@x' },
    }));
    await expect(sourceFacts([full, down])(q)).resolves.toMatchObject({ sha: SHA, branch: 'main' });
    await expect(sourceFacts([supplier('none', async () => undefined)])(q)).resolves.toBeUndefined();
  });
});
