import type { DeploymentEvent } from '@gantry/deployments';
import {
  DeployerAuthenticationError,
  normalizeArgoCdEvent,
  normalizeFluxEvent,
  parseArgoCdEvent,
  parseFluxEvent,
  verifyFluxSignature,
  verifyTokenHeader,
} from '@gantry/deployments';
import { Hono } from 'hono';
import type { AppEnv, ServerDeps } from '../context.js';

/** The secrets deployers prove themselves with (gantry.yaml `server.webhooks.flux` / `.argocd`). */
export interface DeployerSecrets {
  readonly flux?: string;
  readonly argocd?: string;
}

type Header = (name: string) => string | undefined;

/** Flux: `generic-hmac` signs the body (X-Signature); `generic` can send the secret as a header. */
function authenticateFlux(raw: Uint8Array, header: Header, secret: string | undefined): void {
  if (!secret) throw new DeployerAuthenticationError('no secret is configured for Flux events (server.webhooks.flux)');
  const signature = header('x-signature');
  const check =
    signature !== undefined ? verifyFluxSignature(raw, signature, secret) : verifyTokenHeader(header, secret);
  if (!check.ok)
    throw new DeployerAuthenticationError(`Flux event refused: ${check.message}`, { reason: check.reason });
}

function authenticateArgoCd(header: Header, secret: string | undefined): void {
  if (!secret)
    throw new DeployerAuthenticationError('no secret is configured for Argo CD events (server.webhooks.argocd)');
  const check = verifyTokenHeader(header, secret);
  if (!check.ok)
    throw new DeployerAuthenticationError(`Argo CD event refused: ${check.message}`, { reason: check.reason });
}

/**
 * What deployers report: Flux notification-controller (Provider `generic` / `generic-hmac`)
 * and Argo CD Notifications (a webhook service with a secret header). Authenticated on the
 * raw bytes before anything parses them; then recorded, matched to phases by their
 * `deployer`, and settled into promotions by commit ancestry. An event nobody's phase names
 * is 202 too, listed as unmatched.
 */
export function deployerWebhookRoutes(deps: ServerDeps, secrets: DeployerSecrets, now: () => Date): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const accept = async (event: DeploymentEvent) => {
    const r = await deps.promotions.ingest(event);
    deps.metrics.webhooks.inc({
      kind: event.deployer,
      result: r.duplicate ? 'duplicate' : r.event.matched.length > 0 ? 'accepted' : 'unmatched',
    });
    return {
      id: r.event.id,
      duplicate: r.duplicate,
      state: r.event.state,
      matched: r.event.matched,
      settled: r.settled.map((p) => p.id),
    };
  };
  app.post('/webhooks/flux', async (c) => {
    const raw = new Uint8Array(await c.req.arrayBuffer());
    authenticateFlux(raw, (n) => c.req.header(n), secrets.flux);
    const body = await accept(normalizeFluxEvent(parseFluxEvent(raw)));
    return c.json(body, body.duplicate ? 200 : 202);
  });
  app.post('/webhooks/argocd', async (c) => {
    const raw = new Uint8Array(await c.req.arrayBuffer());
    authenticateArgoCd((n) => c.req.header(n), secrets.argocd);
    const body = await accept(normalizeArgoCdEvent(parseArgoCdEvent(raw), { receivedAt: now() }));
    return c.json(body, body.duplicate ? 200 : 202);
  });
  return app;
}
