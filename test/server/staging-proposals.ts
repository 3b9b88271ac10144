import { pushSandboxImage } from '@gantry/cli';
import type { Promotion } from '@gantry/store';
import { expect } from 'vitest';
import type { SandboxServer } from './sandbox-server.js';

/** A promotion as `GET /api/v1/promotions/{id}` shows it. */
export async function promotionOf(s: SandboxServer, id: string): Promise<Promotion> {
  return (await (await s.api(`/api/v1/promotions/${id}`)).json()) as Promotion;
}

/**
 * A new image in the sandbox registry (created at `at`, so each test's images differ), promoted
 * into staging through the API; resolves once the worker is done with it. `reported` runs
 * between the push and the promotion (CI reporting the build, say).
 */
export async function promoteNewImage(
  s: SandboxServer,
  at: Date,
  reported?: (digest: string) => Promise<unknown>,
): Promise<{ id: string; digest: string }> {
  const digest = await pushSandboxImage(s.dir, at);
  await reported?.(digest);
  await s.server.deps.state.refresh(['app']);
  const res = await s.api('/api/v1/pipelines/app/phases/staging/promotions', { method: 'POST', json: {} });
  expect(res.status).toBe(202);
  const { promotion } = (await res.json()) as { promotion: { id: string } };
  await s.server.deps.promotions.idle();
  return { id: promotion.id, digest };
}

/** CI reports a commit status through the GitHub fake's REST API, as a CI system does. */
export async function reportCommitStatus(
  github: { readonly url: string },
  token: string,
  sha: string,
  state: 'pending' | 'success' | 'failure',
): Promise<void> {
  const res = await fetch(`${github.url}/repos/acme/config/statuses/${sha}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ state, context: 'ci' }),
  });
  expect(res.status).toBe(201);
}
