import { type FileUpdater, type OciImage, UpdaterError, ValidationError } from '@gantry/core';
import { parseFile } from './document.js';
import { formatImageText, readImageText } from './image-text.js';
import { findScalar } from './locate.js';
import { parsePath } from './path.js';
import { applyEdits, replaceScalar, scalarText } from './splice.js';

/**
 * Dotted paths (same syntax as `yamlPath`) into a Helm values file: either `image`, one
 * full reference (`repo:tag@digest`), or `repository` + `digest` (+ `tag`) as separate values.
 */
export interface HelmValuesOptions {
  readonly image?: string;
  readonly repository?: string;
  readonly tag?: string;
  readonly digest?: string;
}

/**
 * An image in a Helm values file. With separate values, an empty `digest` means not
 * pinned yet; `tag` is written only when the image has one.
 */
export function helmValues(options: HelmValuesOptions): FileUpdater<OciImage> {
  const { image, repository, tag, digest } = options;
  const issues = [];
  if (image !== undefined && (repository ?? tag ?? digest) !== undefined)
    issues.push({ path: 'image', message: 'give either image, or repository/tag/digest, not both' });
  if (image === undefined && (digest === undefined || repository === undefined))
    issues.push({ path: 'digest', message: 'without image, both repository and digest paths are required' });
  if (issues.length > 0) throw new ValidationError('helm values updater', issues);
  for (const p of [image, repository, tag, digest]) if (p !== undefined) parsePath(p);

  if (image !== undefined) {
    const at = parsePath(image);
    return {
      describe: () => `helm values ${image}`,
      read(content, file) {
        return readImageText(scalarText(findScalar(parseFile(content, file, image), at)), file, image);
      },
      write(content, resource, file) {
        const parsed = parseFile(content, file, image);
        const node = findScalar(parsed, at);
        return applyEdits(content, [replaceScalar(parsed, node, formatImageText(resource, scalarText(node)))]);
      },
    };
  }

  const paths = { repository: repository ?? '', digest: digest ?? '' };
  return {
    describe: () => `helm values ${[repository, tag, digest].filter((p) => p !== undefined).join(', ')}`,
    read(content, file) {
      const parsed = parseFile(content, file, paths.digest);
      const text = (p: string) => scalarText(findScalar(parsed, parsePath(p)));
      const repo = text(paths.repository);
      const pinned = text(paths.digest);
      if (pinned === undefined) return undefined;
      if (repo === undefined) throw new UpdaterError('the repository is empty', { file, path: paths.repository });
      const found = readImageText(`${repo}@${pinned}`, file, paths.digest);
      const tagText = tag === undefined ? undefined : text(tag);
      return found && { ...found, ...(tagText ? { tag: tagText } : {}) };
    },
    write(content, resource, file) {
      const parsed = parseFile(content, file, paths.digest);
      const set = (p: string, value: string) => replaceScalar(parsed, findScalar(parsed, parsePath(p)), value);
      return applyEdits(content, [
        set(paths.repository, resource.repository),
        tag !== undefined && resource.tag !== undefined ? set(tag, resource.tag) : undefined,
        set(paths.digest, resource.digest),
      ]);
    },
  };
}
