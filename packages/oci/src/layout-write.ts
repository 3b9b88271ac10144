import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { SourceError } from '@gantry/core';
import type { LayoutIndex } from './layout-format.js';
import { blobPath, INDEX_FILE, LAYOUT_VERSION, OCI_LAYOUT_FILE, readLayoutIndex, refNameOf } from './layout-format.js';
import type { ImageBuildOptions } from './image-build.js';
import { buildImage } from './image-build.js';
import { ANNOTATIONS, MEDIA_TYPES } from './media-types.js';
import { checkReference, checkRepository } from './names.js';

/** `created`, `labels`, `layers` of the image; always OCI media types in a layout. */
export type LayoutImageOptions = Omit<ImageBuildOptions, 'format'>;

async function writeIfMissing(path: string, bytes: Uint8Array): Promise<void> {
  if (await stat(path).catch(() => undefined)) return;
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, bytes);
  await rename(tmp, path);
}

/**
 * Writes a small, valid OCI image into the layout at `<dir>/<repository>/` (created
 * when missing): a gzip tar layer per `layers` entry, an image config, an image
 * manifest; then points `tag` at it in `index.json`. The entry that held the tag
 * before keeps its place without the tag, so its digest still resolves. Returns the
 * new manifest's digest. One writer at a time per layout: `index.json` is replaced
 * atomically, but two concurrent writers may lose one tag update.
 */
export async function writeLayoutImage(
  dir: string,
  repository: string,
  tag: string,
  options: LayoutImageOptions = {},
): Promise<string> {
  checkRepository(repository);
  checkReference(repository, tag);
  if (tag.includes(':')) throw new SourceError('invalid_reference', `"${tag}" is not a tag`, { tag });
  const root = join(dir, repository);
  const existing = await readLayoutIndex(root);
  if (!existing) {
    await mkdir(root, { recursive: true });
    await writeFile(join(root, OCI_LAYOUT_FILE), `${JSON.stringify({ imageLayoutVersion: LAYOUT_VERSION })}\n`);
  }

  const image = buildImage(`${repository}:${tag}`, options);
  for (const b of [...image.blobs, image.manifest]) await writeIfMissing(blobPath(root, b.descriptor.digest), b.bytes);
  const manifest = image.manifest.descriptor;

  const before: LayoutIndex = existing ?? { schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests: [] };
  const untagged: LayoutIndex['manifests'] = before.manifests.map((m) => {
    if (refNameOf(m) !== tag) return m;
    const { [ANNOTATIONS.refName]: _moved, ...rest } = m.annotations ?? {};
    const { annotations: _old, ...entry } = m;
    return Object.keys(rest).length > 0 ? { ...entry, annotations: rest } : entry;
  });
  const others = untagged.filter((m) => !(m.digest === manifest.digest && refNameOf(m) === undefined));
  const after: LayoutIndex = {
    ...before,
    manifests: [...others, { ...manifest, annotations: { [ANNOTATIONS.refName]: tag } }],
  };
  const tmp = join(root, `${INDEX_FILE}.${process.pid}.tmp`);
  await writeFile(tmp, `${JSON.stringify(after, null, 2)}\n`);
  await rename(tmp, join(root, INDEX_FILE));
  return manifest.digest;
}
