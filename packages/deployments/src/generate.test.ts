import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { verifyArgoCdToken } from './argocd-auth.js';
import { parseArgoCdEvent } from './argocd-event.js';
import { normalizeArgoCdEvent } from './argocd-normalize.js';
import { ARGOCD_WEBHOOK_BODY_TEMPLATE } from './argocd-template.js';
import { matchesDeployer } from './deployer-ref.js';
import { parseFluxEvent } from './flux-event.js';
import { normalizeFluxEvent } from './flux-normalize.js';
import { verifyFluxSignature } from './flux-signature.js';
import { COMMIT, argoCdApplication, fixture, fixtureNames } from './fixtures.test-support.js';
import { argoEventFor, renderArgoCdTemplate } from './generate-argocd.js';
import { type FluxEventSpec, fluxEventFor, fluxEventsFor } from './generate-flux.js';
import { goJson } from './go-json.js';

const SECRET = 'provider-token';
const TIME = new Date('2025-06-12T09:41:07.250Z');
const kustomization = { kind: 'flux-kustomization', namespace: 'apps', name: 'webapp' } as const;
const helmRelease = { kind: 'flux-helmrelease', namespace: 'podinfo', name: 'podinfo' } as const;
const header = (h: Readonly<Record<string, string>>) => (name: string) =>
  Object.entries(h).find(([k]) => k.toLowerCase() === name)?.[1];

/** What Gantry's webhook does with a Flux request: verify the bytes, then parse and normalize. */
function receiveFlux(req: { body: string; headers: Readonly<Record<string, string>> }) {
  const check = verifyFluxSignature(req.body, header(req.headers)('x-signature'), SECRET);
  expect(check.ok).toBe(true);
  return normalizeFluxEvent(parseFluxEvent(req.body));
}

describe('goJson encodes like Go', () => {
  it.each(fixtureNames('flux-v'))(
    'GIVEN %s (written by Go) WHEN decoded and re-encoded THEN the bytes are the same',
    (name) => {
      const wire = fixture(name);
      expect(goJson(JSON.parse(wire))).toBe(wire);
    },
  );

  it('GIVEN characters Go escapes THEN they are escaped the same way', () => {
    expect(goJson({ m: 'a<b>&c\u2028' })).toBe('{"m":"a\\u003cb\\u003e\\u0026c\\u2028"}');
    expect(goJson({ b: 1, a: { d: 1, c: 2 } }, { sortKeys: true })).toBe('{"a":{"c":2,"d":1},"b":1}');
  });
});

describe('fluxEventsFor', () => {
  const spec: FluxEventSpec = {
    ref: kustomization,
    commit: COMMIT,
    branch: 'main',
    ok: true,
    time: TIME,
    secret: SECRET,
  };

  it('GIVEN a Kustomization that reconciles WHEN its events are received THEN applied then healthy, for the commit', () => {
    const events = fluxEventsFor(spec).map(receiveFlux);
    expect(events.map((e) => [e.state, e.reason])).toEqual([
      ['applied', 'Progressing'],
      ['healthy', 'ReconciliationSucceeded'],
    ]);
    for (const e of events) {
      expect(e.revision).toEqual({ raw: `main@sha1:${COMMIT}`, branch: 'main', commit: COMMIT });
      expect(matchesDeployer(kustomization, e)).toBe(true);
    }
    // metav1.Time has second precision
    expect(events[1]?.occurredAt).toEqual(new Date('2025-06-12T09:41:07Z'));
    expect(events[0]?.occurredAt).toEqual(new Date('2025-06-12T09:41:06Z'));
  });

  it('GIVEN a generated event THEN its fields are in the order Go writes Flux Event and ObjectReference', () => {
    const wire = JSON.parse(fixture('flux-v2.6-kustomization-reconciliation-succeeded.json'));
    const generated = JSON.parse(fluxEventFor(spec).body);
    expect(Object.keys(generated)).toEqual(Object.keys(wire));
    expect(Object.keys(generated.involvedObject)).toEqual(Object.keys(wire.involvedObject));
    expect(generated.metadata).toEqual({ commit_status: 'update', revision: `main@sha1:${COMMIT}` });
    expect(generated.timestamp).toBe('2025-06-12T09:41:07Z');
  });

  it('GIVEN the headers THEN they are those notification-controller sends to generic-hmac', () => {
    const { body, headers } = fluxEventFor(spec);
    expect(headers).toMatchObject({ 'Content-Type': 'application/json', 'Gotk-Component': 'kustomize-controller' });
    expect(headers['X-Signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyFluxSignature(body, headers['X-Signature'], 'another-secret').ok).toBe(false);
    expect(fluxEventFor({ ...spec, secret: undefined }).headers['X-Signature']).toBeUndefined();
  });

  it.each([
    ['health-check', 'degraded', 'HealthCheckFailed'],
    ['reconcile', 'failed', 'ReconciliationFailed'],
  ] as const)('GIVEN a Kustomization failing its %s THEN %s (%s)', (failure, state, reason) => {
    const event = receiveFlux(fluxEventFor({ ...spec, ok: false, failure, message: 'it broke' }));
    expect(event).toMatchObject({ state, reason, severity: 'error', message: 'it broke' });
    expect(event.revision?.commit).toBe(COMMIT);
  });

  it('GIVEN a HelmRelease THEN one Helm event whose chart version carries the commit prefix', () => {
    const events = fluxEventsFor({ ...spec, ref: helmRelease }).map(receiveFlux);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ state: 'healthy', reason: 'UpgradeSucceeded', controller: 'helm-controller' });
    expect(events[0]?.revision).toEqual({
      raw: `0.1.0+${COMMIT.slice(0, 12)}`,
      version: '0.1.0',
      commit: COMMIT.slice(0, 12),
    });
    const failed = receiveFlux(fluxEventFor({ ...spec, ref: helmRelease, ok: false, chartVersion: '6.6.0' }));
    expect(failed).toMatchObject({
      state: 'failed',
      reason: 'UpgradeFailed',
      revision: { raw: '6.6.0', version: '6.6.0' },
    });
  });

  it('GIVEN prefixedMetadata (notification-controller before Flux 2.5) THEN keys carry the group and still normalize', () => {
    const { body } = fluxEventFor({ ...spec, ref: helmRelease, prefixedMetadata: true });
    expect(Object.keys(JSON.parse(body).metadata)).toEqual([
      'helm.toolkit.fluxcd.io/revision',
      'helm.toolkit.fluxcd.io/token',
    ]);
    expect(receiveFlux(fluxEventFor({ ...spec, prefixedMetadata: true })).revision?.commit).toBe(COMMIT);
  });

  it('GIVEN the same spec twice THEN the same bytes (so a resend is recognised as the same event)', () => {
    expect(fluxEventFor(spec)).toEqual(fluxEventFor(spec));
    expect(receiveFlux(fluxEventFor(spec)).idempotencyKey).toBe(receiveFlux(fluxEventFor(spec)).idempotencyKey);
  });

  it('GIVEN a commit that is not 40 hex THEN it is refused', () => {
    expect(() => fluxEventFor({ ...spec, commit: 'abc123' })).toThrow('40 lower-case hex');
  });
});

describe('Argo CD template', () => {
  it('GIVEN the template file Go renders the fixtures with THEN it is the template Gantry documents', () => {
    const path = fileURLToPath(new URL('../fixtures/tools/argocd-webhook-body.tmpl', import.meta.url));
    expect(readFileSync(path, 'utf8')).toBe(ARGOCD_WEBHOOK_BODY_TEMPLATE);
  });

  it.each(fixtureNames('argocd-'))(
    'GIVEN the Application %s was rendered from THEN renderArgoCdTemplate writes the same bytes as Go',
    (name) => {
      const vars = argoCdApplication(name.replace('argocd-notifications-webhook-template-', ''));
      expect(renderArgoCdTemplate(ARGOCD_WEBHOOK_BODY_TEMPLATE, vars)).toBe(fixture(name));
    },
  );

  it('GIVEN an action the renderer does not know THEN it refuses instead of guessing', () => {
    expect(() => renderArgoCdTemplate('{{.app.metadata.name}}', {})).toThrow('cannot render template action');
  });
});

describe('argoEventFor', () => {
  const ref = { kind: 'argocd-application', name: 'guestbook' } as const;
  const receive = (req: { body: string; headers: Readonly<Record<string, string>> }) => {
    expect(verifyArgoCdToken(header(req.headers), SECRET).ok).toBe(true);
    return normalizeArgoCdEvent(parseArgoCdEvent(req.body), { receivedAt: new Date(0) });
  };

  it('GIVEN a deployed commit WHEN received THEN healthy, for that commit, at that time', () => {
    const event = receive(argoEventFor({ ref, commit: COMMIT, ok: true, time: TIME, token: SECRET }));
    expect(event).toMatchObject({
      state: 'healthy',
      reason: 'Succeeded/Synced/Healthy',
      object: { namespace: 'argocd', name: 'guestbook' },
    });
    expect(event.revision).toEqual({ raw: COMMIT, commit: COMMIT });
    expect(event.occurredAt).toEqual(new Date('2025-06-12T09:41:07Z'));
    expect(matchesDeployer(ref, event)).toBe(true);
  });

  it.each([
    ['sync-failed', 'failed'],
    ['degraded', 'degraded'],
  ] as const)('GIVEN failure %s THEN %s with the message', (failure, state) => {
    const event = receive(
      argoEventFor({ ref, commit: COMMIT, ok: false, failure, message: 'pods crash', time: TIME, token: SECRET }),
    );
    expect(event).toMatchObject({ state, message: 'pods crash' });
    expect(event.revision?.commit).toBe(COMMIT);
  });

  it('GIVEN the headers THEN the token is sent as X-Gantry-Token, and only when given', () => {
    const { headers } = argoEventFor({ ref, commit: COMMIT, ok: true, time: TIME, token: SECRET });
    expect(headers).toMatchObject({ 'Content-Type': 'application/json', 'X-Gantry-Token': SECRET });
    expect(argoEventFor({ ref, commit: COMMIT, ok: true, time: TIME }).headers['X-Gantry-Token']).toBeUndefined();
  });
});
