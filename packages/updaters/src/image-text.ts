import { formatImageReference, type OciImage, parseImageReference, UpdaterError } from '@gantry/core';

/**
 * Reads an image reference written in a file. `undefined` when it has no digest: a
 * tag-only reference is not pinned yet, so there is no version to report.
 */
export function readImageText(text: string | undefined, file: string, path: string): OciImage | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const ref = parseImageReference(text);
  if (ref === undefined) throw new UpdaterError(`"${text}" is not an image reference`, { file, path });
  if (ref.digest === undefined) return undefined;
  return { kind: 'oci-image', repository: ref.repository, digest: ref.digest, ...(ref.tag ? { tag: ref.tag } : {}) };
}

/**
 * The reference to write: `repository@digest`, or `repository:tag@digest` when the image
 * has a tag and the file already used that form. A tag next to a digest is only a label
 * for humans (runtimes pull by digest), so it is kept where people chose to see it.
 */
export function formatImageText(image: OciImage, current: string | undefined): string {
  const old = current === undefined ? undefined : parseImageReference(current);
  const keepTag = image.tag !== undefined && old?.tag !== undefined && old.digest !== undefined;
  return formatImageReference({
    repository: image.repository,
    digest: image.digest,
    ...(keepTag ? { tag: image.tag } : {}),
  });
}
