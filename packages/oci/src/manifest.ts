import { createHash } from 'node:crypto';
import { SourceError } from '@gantry/core';
import { z } from 'zod';
import { MEDIA_TYPES } from './media-types.js';

const SHA256_RE = /^sha256:[a-f0-9]{64}$/;
/** The general digest grammar of the OCI image spec; Gantry computes and verifies only sha256. */
const DIGEST_RE = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

export const digestSchema = z.string().regex(DIGEST_RE, 'not a digest');

const descriptorSchema = z.object({
  mediaType: z.string(),
  digest: digestSchema,
  size: z.number().int().nonnegative(),
  annotations: z.record(z.string(), z.string()).optional(),
  artifactType: z.string().optional(),
  platform: z.object({ architecture: z.string(), os: z.string(), variant: z.string().optional() }).optional(),
});

/** A content descriptor: what a manifest or index points at. */
export type Descriptor = z.infer<typeof descriptorSchema>;

const imageManifestSchema = z.object({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  artifactType: z.string().optional(),
  config: descriptorSchema,
  layers: z.array(descriptorSchema),
  subject: descriptorSchema.optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

const imageIndexSchema = z.object({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  artifactType: z.string().optional(),
  manifests: z.array(descriptorSchema),
  subject: descriptorSchema.optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

export type ImageManifest = z.infer<typeof imageManifestSchema>;
export type ImageIndex = z.infer<typeof imageIndexSchema>;

/** A manifest as read from a registry or layout: its exact bytes, digest and parsed form. */
export type Manifest =
  | { readonly kind: 'manifest'; readonly digest: string; readonly mediaType: string; readonly body: ImageManifest }
  | { readonly kind: 'index'; readonly digest: string; readonly mediaType: string; readonly body: ImageIndex };

const imageConfigSchema = z
  .object({
    created: z.string().optional(),
    config: z.object({ Labels: z.record(z.string(), z.string()).nullish() }).nullish(),
  })
  .loose();

/** The parts of an image config blob Gantry reads. */
export interface ImageConfig {
  readonly created?: Date;
  readonly labels: Readonly<Record<string, string>>;
}

/** `sha256:<hex>` of the exact bytes. */
export function digestOf(bytes: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export function isSha256Digest(text: string): boolean {
  return SHA256_RE.test(text);
}

const INDEX_TYPES = new Set<string>([MEDIA_TYPES.ociIndex, MEDIA_TYPES.dockerManifestList]);
const MANIFEST_TYPES = new Set<string>([MEDIA_TYPES.ociManifest, MEDIA_TYPES.dockerManifest]);

/**
 * One decoder for every manifest: a decoder is an ICU converter with a finalizer, and a fleet's
 * first observation parses 10,000 manifests (decode() without `stream` keeps no state).
 */
const utf8 = new TextDecoder();

function parseJson(bytes: Uint8Array, what: string, context: Record<string, unknown>): unknown {
  try {
    return JSON.parse(utf8.decode(bytes));
  } catch (e) {
    throw new SourceError('invalid_manifest', `${what} is not valid JSON`, context, { cause: e });
  }
}

/**
 * Parses manifest bytes. The media type comes from the body's `mediaType` when it has
 * one, else from the response's `Content-Type`; an index is told from an image
 * manifest by it, and by the shape when neither says.
 */
export function parseManifest(
  bytes: Uint8Array,
  digest: string,
  contentType: string | undefined,
  context: Record<string, unknown> = {},
): Manifest {
  const json = parseJson(bytes, 'manifest', context);
  const declared =
    typeof json === 'object' && json !== null && typeof (json as { mediaType?: unknown }).mediaType === 'string'
      ? (json as { mediaType: string }).mediaType
      : undefined;
  const mediaType = declared ?? contentType?.split(';')[0]?.trim() ?? '';
  const looksLikeIndex = typeof json === 'object' && json !== null && 'manifests' in json;
  const isIndex = INDEX_TYPES.has(mediaType) || (!MANIFEST_TYPES.has(mediaType) && looksLikeIndex);
  const parsed = (isIndex ? imageIndexSchema : imageManifestSchema).safeParse(json);
  if (!parsed.success) {
    throw new SourceError(
      'invalid_manifest',
      `manifest ${digest} is not a valid ${isIndex ? 'image index' : 'image manifest'}: ${parsed.error.issues[0]?.message ?? ''}`,
      { ...context, digest },
    );
  }
  const effective = mediaType || (isIndex ? MEDIA_TYPES.ociIndex : MEDIA_TYPES.ociManifest);
  return isIndex
    ? { kind: 'index', digest, mediaType: effective, body: parsed.data as ImageIndex }
    : { kind: 'manifest', digest, mediaType: effective, body: parsed.data as ImageManifest };
}

/** Reads `created` and labels from an image config blob; other config kinds (Helm) give neither. */
export function parseImageConfig(bytes: Uint8Array, context: Record<string, unknown> = {}): ImageConfig {
  const parsed = imageConfigSchema.safeParse(parseJson(bytes, 'image config', context));
  if (!parsed.success) return { labels: {} };
  const created = parsed.data.created ? new Date(parsed.data.created) : undefined;
  return {
    ...(created && !Number.isNaN(created.getTime()) ? { created } : {}),
    labels: parsed.data.config?.Labels ?? {},
  };
}
