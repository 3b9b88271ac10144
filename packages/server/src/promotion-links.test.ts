import type { System } from '@gantry/core';
import { describe, expect, it } from 'vitest';
import { createLinker } from './links.js';
import { promotionLinks, withPromotionLinks } from './promotion-links.js';

const linker = createLinker({
  repositories: { config: { url: 'git@github.com:acme/config.git' } },
  registries: { ghcr: { url: 'https://ghcr.io', links: { image: 'https://ghcr.example/{repository}@{digest}' } } },
});
const system = {
  pipelines: [
    {
      name: 'app',
      phases: [
        { name: 'oci', source: { subject: { kind: 'oci', registry: 'ghcr', repository: 'acme/app' } } },
        { name: 'staging', source: { subject: { kind: 'git', repository: 'config', branch: 'main', paths: [] } } },
      ],
    },
  ],
} as unknown as System;
const DIGEST = `sha256:${'a'.repeat(64)}`;
const SHA = 'b'.repeat(40);
const promotion = (o: Record<string, unknown> = {}) => ({
  id: '1',
  pipeline: 'app',
  phase: 'staging',
  commitSha: SHA,
  toDigest: DIGEST,
  target: { kind: 'oci-image', repository: 'ghcr.io/acme/app', tag: '1.0', digest: DIGEST },
  ...o,
});

describe('promotion links', () => {
  it('GIVEN promotions of a Git phase WHEN listed THEN each carries its commit, image and proposal pages from the configuration', () => {
    const [plain, proposed] = withPromotionLinks(system, linker, [
      promotion(),
      promotion({ proposal: { number: 12 } }),
    ]);
    expect(plain?.links).toEqual({
      commit: `https://github.com/acme/config/commit/${SHA}`,
      image: `https://ghcr.example/acme/app@${DIGEST}`,
    });
    expect(proposed?.links?.proposal).toBe('https://github.com/acme/config/pull/12');
    // the promotion's own fields are kept as they are
    expect(plain).toMatchObject({ id: '1', commitSha: SHA });
  });

  it("GIVEN a proposal that has its provider's URL WHEN linked THEN that URL wins over the template", () => {
    expect(
      promotionLinks(linker, 'config', promotion({ proposal: { number: 3, url: 'https://ghe.example/pr/3' } }))
        .proposal,
    ).toBe('https://ghe.example/pr/3');
  });

  it('GIVEN a pipeline no longer configured, or nothing linkable WHEN listed THEN only what needs no repository, or no links at all', () => {
    const [gone, bare] = withPromotionLinks(system, linker, [
      promotion({ pipeline: 'removed' }),
      promotion({ commitSha: undefined, target: { kind: 'helm-chart', name: 'app', version: '1.0.0' }, toDigest: 'x' }),
    ]);
    expect(gone?.links).toEqual({ image: `https://ghcr.example/acme/app@${DIGEST}` });
    expect(bare).not.toHaveProperty('links');
  });
});
