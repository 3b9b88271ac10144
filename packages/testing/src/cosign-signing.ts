import type { Descriptor, RegistryClient } from '@gantry/oci';
import { createRegistryClient, digestOf, MEDIA_TYPES } from '@gantry/oci';
import type { SignatureVariant, TestSigningKey } from './cosign-payloads.js';
import {
  COSIGN_WIRE,
  cosignSignStatement,
  signBytes,
  signedEnvelope,
  sigstoreBundle,
  simpleSigningPayload,
  slsaProvenanceStatement,
} from './cosign-payloads.js';

export * from './cosign-payloads.js';

/*
 * Attaching signatures and attestations to an image in a real registry, the way
 * `cosign sign --key` and `cosign attest --key` do, through @gantry/oci's push side.
 */

/** `tag`: cosign's `sha256-<hex>.sig`/`.att` tag; `referrer`: an OCI 1.1 manifest whose `subject` is the image; `both`. */
export type AttachVia = 'tag' | 'referrer' | 'both';

export interface AttachOptions {
  /** Default `both`; a Sigstore bundle is always a referrer. */
  readonly via?: AttachVia;
  /**
   * `classic` (default): simple signing / a COSIGN_WIRE.dsse layer, as cosign up to v2 and v3 with
   * `--new-bundle-format=false` write them; `bundle`: a Sigstore bundle v0.3 referrer, as
   * cosign v3 writes by default.
   */
  readonly format?: 'classic' | 'bundle';
  readonly username?: string;
  readonly password?: string;
}

export interface SignTestImageOptions extends AttachOptions {
  readonly key: TestSigningKey;
  /** What is signed; default the simple-signing payload for the digest. */
  readonly payload?: Uint8Array;
  /** Changes the payload after it was signed, keeping the signature: a forgery. */
  readonly tamper?: (payload: Uint8Array) => Uint8Array;
  readonly variant?: SignatureVariant;
}

export interface AttestTestImageOptions extends AttachOptions {
  readonly key: TestSigningKey;
  /** Default: a SLSA v1 provenance statement about the digest. */
  readonly statement?: object;
  /** Changes the statement bytes after signing, keeping the signature: a forgery. */
  readonly tamper?: (payload: Uint8Array) => Uint8Array;
}

/** Where a signature or attestation went. */
export interface Attached {
  /** The layer's digest (the payload or the envelope). */
  readonly layer: string;
  /** The cosign tag and the manifest under it (with every layer it holds). */
  readonly tag?: { readonly name: string; readonly manifest: string };
  /** The referrer manifest, and the referrers tag schema index updated where the registry has no referrers API. */
  readonly referrer?: { readonly manifest: string; readonly fallbackTag?: string };
}

interface Layer {
  readonly mediaType: string;
  readonly bytes: Uint8Array;
  readonly annotations: Record<string, string>;
}

interface Target {
  readonly url: string;
  readonly repository: string;
  readonly digest: string;
  readonly auth: Record<string, string>;
  readonly client: RegistryClient;
}

function targetOf(url: string, repository: string, digest: string, o: AttachOptions): Target {
  const creds =
    o.username !== undefined && o.password !== undefined ? { username: o.username, password: o.password } : undefined;
  const auth: Record<string, string> = creds
    ? { authorization: `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}` }
    : {};
  return { url, repository, digest, auth, client: createRegistryClient({ url, ...(creds ? { auth: creds } : {}) }) };
}

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const cosignTag = (digest: string, suffix: '.sig' | '.att') => `${digest.replace(':', '-')}${suffix}`;

/** The config cosign gives a signature image: an empty image config listing the layers. */
function cosignConfig(layers: readonly Descriptor[]): Uint8Array {
  const zero = '0001-01-01T00:00:00Z';
  return json({
    architecture: '',
    created: zero,
    history: layers.map(() => ({ created: zero })),
    os: '',
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
    config: {},
  });
}

/** cosign's tag scheme: the layer is appended to the manifest under the tag, as `cosign sign` does a second time. */
async function attachToTag(t: Target, layer: Layer, suffix: '.sig' | '.att'): Promise<Attached['tag']> {
  const name = cosignTag(t.digest, suffix);
  const pushed = await t.client.pushBlob(t.repository, layer.bytes);
  const descriptor: Descriptor = { mediaType: layer.mediaType, ...pushed, annotations: layer.annotations };
  let layers: Descriptor[] = [descriptor];
  try {
    const existing = await t.client.manifest(t.repository, name);
    if (existing.kind === 'manifest') layers = [...existing.body.layers, descriptor];
  } catch (e) {
    if ((e as { code?: string }).code !== 'manifest_not_found') throw e;
  }
  const config = await t.client.pushBlob(t.repository, cosignConfig(layers));
  const manifest = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociManifest,
    config: { mediaType: MEDIA_TYPES.ociConfig, ...config },
    layers,
  };
  return { name, manifest: await t.client.pushManifest(t.repository, name, manifest, MEDIA_TYPES.ociManifest) };
}

/** The image's descriptor (media type and size of its exact manifest bytes), for `subject`. */
async function subjectOf(t: Target): Promise<Descriptor> {
  const res = await fetch(`${t.url}/v2/${t.repository}/manifests/${t.digest}`, {
    headers: {
      ...t.auth,
      accept: [MEDIA_TYPES.ociManifest, MEDIA_TYPES.ociIndex, MEDIA_TYPES.dockerManifest].join(', '),
    },
  });
  if (!res.ok) throw new Error(`image ${t.repository}@${t.digest}: HTTP ${res.status}`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const mediaType = res.headers.get('content-type')?.split(';')[0] ?? MEDIA_TYPES.ociManifest;
  return { mediaType, digest: t.digest, size: bytes.byteLength };
}

/**
 * An OCI 1.1 referrer, pushed by digest as cosign does. A registry without the referrers
 * API (a GET of it is not 200) gets what the distribution spec asks of clients then:
 * the descriptor added to the image index tagged `sha256-<hex>`.
 */
async function attachAsReferrer(
  t: Target,
  layer: Layer,
  artifactType: string,
  config: { mediaType: string; bytes: Uint8Array },
  annotations: Record<string, string> = {},
): Promise<Attached['referrer']> {
  const pushed = await t.client.pushBlob(t.repository, layer.bytes);
  const layers: Descriptor[] = [
    {
      mediaType: layer.mediaType,
      ...pushed,
      ...(Object.keys(layer.annotations).length > 0 ? { annotations: layer.annotations } : {}),
    },
  ];
  const cfg = await t.client.pushBlob(t.repository, config.bytes);
  const manifest = json({
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociManifest,
    artifactType,
    config: { mediaType: config.mediaType, ...cfg },
    layers,
    subject: await subjectOf(t),
    annotations: { 'org.opencontainers.image.created': new Date().toISOString(), ...annotations },
  });
  const digest = await t.client.pushManifest(t.repository, digestOf(manifest), manifest, MEDIA_TYPES.ociManifest);
  const probe = await fetch(`${t.url}/v2/${t.repository}/referrers/${t.digest}`, { headers: t.auth });
  await probe.body?.cancel();
  if (probe.status === 200) return { manifest: digest };
  const fallbackTag = t.digest.replace(':', '-');
  let manifests: Descriptor[] = [];
  try {
    const existing = await t.client.manifest(t.repository, fallbackTag);
    if (existing.kind === 'index') manifests = existing.body.manifests;
  } catch (e) {
    if ((e as { code?: string }).code !== 'manifest_not_found') throw e;
  }
  const index = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociIndex,
    manifests: [...manifests, { mediaType: MEDIA_TYPES.ociManifest, digest, size: manifest.byteLength, artifactType }],
  };
  await t.client.pushManifest(t.repository, fallbackTag, index, MEDIA_TYPES.ociIndex);
  return { manifest: digest, fallbackTag };
}

async function attach(t: Target, layer: Layer, via: AttachVia, kind: 'signature' | 'attestation'): Promise<Attached> {
  const tag = via === 'referrer' ? undefined : await attachToTag(t, layer, kind === 'signature' ? '.sig' : '.att');
  const referrer =
    via === 'tag'
      ? undefined
      : kind === 'signature'
        ? await attachAsReferrer(t, layer, COSIGN_WIRE.signatureArtifact, {
            mediaType: COSIGN_WIRE.signatureArtifact,
            bytes: cosignConfig([
              { mediaType: layer.mediaType, digest: digestOf(layer.bytes), size: layer.bytes.byteLength },
            ]),
          })
        : await attachAsReferrer(t, layer, COSIGN_WIRE.inToto, { mediaType: COSIGN_WIRE.emptyConfig, bytes: json({}) });
  return { layer: digestOf(layer.bytes), ...(tag ? { tag } : {}), ...(referrer ? { referrer } : {}) };
}

/** A Sigstore bundle referrer as cosign v3 pushes it: empty config, the predicate type as a manifest annotation. */
async function attachBundle(
  t: Target,
  key: TestSigningKey,
  statement: object,
  tamper?: (p: Uint8Array) => Uint8Array,
): Promise<Attached> {
  const bytes = sigstoreBundle(key, signedEnvelope(key, statement, tamper));
  const predicateType = String((statement as { predicateType?: unknown }).predicateType ?? '');
  const referrer = await attachAsReferrer(
    t,
    { mediaType: COSIGN_WIRE.bundle, bytes, annotations: {} },
    COSIGN_WIRE.bundle,
    { mediaType: COSIGN_WIRE.emptyConfig, bytes: json({}) },
    { 'dev.sigstore.bundle.content': 'dsse-envelope', 'dev.sigstore.bundle.predicateType': predicateType },
  );
  return { layer: digestOf(bytes), ...(referrer ? { referrer } : {}) };
}

/**
 * Signs an image digest as `cosign sign --key` does: a simple-signing payload layer
 * with the base64 signature in its `dev.cosignproject.cosign/signature` annotation,
 * under cosign's `.sig` tag and/or as an OCI 1.1 referrer of the image.
 */
export async function signTestImage(
  url: string,
  repository: string,
  digest: string,
  options: SignTestImageOptions,
): Promise<Attached> {
  const t = targetOf(url, repository, digest, options);
  if (options.format === 'bundle') {
    return attachBundle(t, options.key, cosignSignStatement(digest), options.tamper);
  }
  const payload = options.payload ?? simpleSigningPayload(digest, `${new URL(url).host}/${repository}`);
  const signature = signBytes(options.key, payload, options.variant);
  const bytes = options.tamper ? options.tamper(payload) : payload;
  const layer = {
    mediaType: COSIGN_WIRE.simpleSigning,
    bytes,
    annotations: { [COSIGN_WIRE.signatureAnnotation]: signature },
  };
  return attach(t, layer, options.via ?? 'both', 'signature');
}

/**
 * Attests an image digest as `cosign attest --key` does: a COSIGN_WIRE.dsse envelope over an in-toto
 * statement (SLSA v1 provenance by default), the predicate type copied to the layer's
 * `predicateType` annotation, under cosign's `.att` tag and/or as a referrer.
 */
export async function attestTestImage(
  url: string,
  repository: string,
  digest: string,
  options: AttestTestImageOptions,
): Promise<Attached> {
  const t = targetOf(url, repository, digest, options);
  const statement = options.statement ?? slsaProvenanceStatement(digest, `${new URL(url).host}/${repository}`);
  if (options.format === 'bundle') return attachBundle(t, options.key, statement, options.tamper);
  const envelope = signedEnvelope(options.key, statement, options.tamper);
  const predicateType = String((statement as { predicateType?: unknown }).predicateType ?? '');
  const layer = {
    mediaType: COSIGN_WIRE.dsse,
    bytes: envelope,
    annotations: { [COSIGN_WIRE.signatureAnnotation]: '', predicateType },
  };
  return attach(t, layer, options.via ?? 'both', 'attestation');
}
