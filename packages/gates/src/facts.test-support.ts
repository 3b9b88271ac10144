import type { GateFacts } from './facts.js';

/** The digest of the version under evaluation in tests. */
export const DIGEST = `sha256:${'a'.repeat(64)}`;
export const OTHER_DIGEST = `sha256:${'b'.repeat(64)}`;

/** Facts for one evaluation at `now`: a hand-made release by carol of a version from main. */
export function factsAt(now: string, more: Partial<GateFacts> = {}): GateFacts {
  return {
    now: new Date(now),
    request: { trigger: 'person', requester: 'carol' },
    version: {
      digest: DIGEST,
      version: '1.4.0',
      source: {
        sha: '0123456789abcdef0123456789abcdef01234567',
        message: 'Add the checkout button\n\nRefs SHOP-42',
        committer: { name: 'Dev', email: 'dev@example.com' },
        author: { name: 'Author', email: 'author@contractor.test' },
        branch: 'main',
      },
    },
    ...more,
  };
}

/** The same facts for an automatic promotion (a policy reacting to the upstream's verification). */
export function autoFactsAt(now: string, more: Partial<GateFacts> = {}): GateFacts {
  return factsAt(now, { request: { trigger: 'policy', requester: 'policy' }, ...more });
}
