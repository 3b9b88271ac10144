import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SourceError } from '@gantry/core';
import { z } from 'zod';
import { digestSchema } from './manifest.js';
import { ANNOTATIONS } from './media-types.js';

/** The files of the OCI image-layout spec. */
export const OCI_LAYOUT_FILE = 'oci-layout';
export const INDEX_FILE = 'index.json';
export const LAYOUT_VERSION = '1.0.0';

export const layoutIndexSchema = z
  .object({
    schemaVersion: z.literal(2),
    mediaType: z.string().optional(),
    manifests: z.array(
      z
        .object({
          mediaType: z.string(),
          digest: digestSchema,
          size: z.number().int().nonnegative(),
          annotations: z.record(z.string(), z.string()).optional(),
        })
        .loose(),
    ),
    annotations: z.record(z.string(), z.string()).optional(),
  })
  .loose();

export type LayoutIndex = z.infer<typeof layoutIndexSchema>;

const TAG_RE = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;

/**
 * The tag an `org.opencontainers.image.ref.name` annotation names. The spec allows a
 * bare tag (what Gantry writes) or a full reference (`registry/app:1.0`).
 */
export function tagOfRefName(refName: string): string | undefined {
  if (TAG_RE.test(refName)) return refName;
  const colon = refName.lastIndexOf(':');
  if (colon <= refName.lastIndexOf('/')) return undefined;
  const tag = refName.slice(colon + 1).split('@')[0] ?? '';
  return TAG_RE.test(tag) ? tag : undefined;
}

export const refNameOf = (d: { annotations?: Record<string, string> | undefined }): string | undefined =>
  d.annotations?.[ANNOTATIONS.refName];

/** `blobs/sha256/<hex>` for a checked `sha256:<hex>` digest: a digest never escapes the layout. */
export function blobPath(root: string, digest: string): string {
  const m = /^(sha256|sha512):([a-f0-9]{64,128})$/.exec(digest);
  if (!m) throw new SourceError('invalid_reference', `"${digest}" is not a sha256/sha512 digest`, { digest });
  return join(root, 'blobs', m[1] as string, m[2] as string);
}

/** Reads and checks a layout's `index.json`; `undefined` when the directory is no layout. */
export async function readLayoutIndex(root: string): Promise<LayoutIndex | undefined> {
  let layoutText: string;
  try {
    layoutText = await readFile(join(root, OCI_LAYOUT_FILE), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') {
      return undefined;
    }
    throw e;
  }
  const version = (() => {
    try {
      return (JSON.parse(layoutText) as { imageLayoutVersion?: unknown }).imageLayoutVersion;
    } catch {
      return undefined;
    }
  })();
  if (version !== LAYOUT_VERSION) {
    throw new SourceError('invalid_layout', `${join(root, OCI_LAYOUT_FILE)}: expected imageLayoutVersion "1.0.0"`, {
      path: root,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(await readFile(join(root, INDEX_FILE), 'utf8'));
  } catch (e) {
    throw new SourceError(
      'invalid_layout',
      `${join(root, INDEX_FILE)} cannot be read as JSON`,
      { path: root },
      {
        cause: e,
      },
    );
  }
  const parsed = layoutIndexSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SourceError(
      'invalid_layout',
      `${join(root, INDEX_FILE)}: [${issue?.path.join('.') ?? ''}] ${issue?.message ?? 'invalid'}`,
      { path: root },
    );
  }
  return parsed.data;
}
