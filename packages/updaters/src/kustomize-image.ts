import { type FileUpdater, type OciImage, UpdaterError } from '@gantry/core';
import { isMap, type YAMLMap } from 'yaml';
import { type ParsedFile, parseFile } from './document.js';
import { readImageText } from './image-text.js';
import { expectScalar, findNode } from './locate.js';
import { formatPath, mapGet, type Segment } from './path.js';
import { applyEdits, type Edit, insertPair, replaceScalar, scalarText } from './splice.js';

export interface KustomizeImageOptions {
  /** The entry's `name`: the image name as written in the manifests kustomize patches. */
  readonly name: string;
}

/**
 * One entry of a kustomization's `images:` list. Reads `newName` (or `name`), `digest`
 * and `newTag`; an entry without a digest is not pinned yet. Writes `digest` (adding the
 * key, which kustomize defines, when the entry lacks it), `newName` when the repository
 * differs, and `newTag` only where the entry already has one.
 */
export function kustomizeImage(options: KustomizeImageOptions): FileUpdater<OciImage> {
  const segments: Segment[] = [
    { kind: 'key', key: 'images' },
    { kind: 'match', field: 'name', value: options.name },
  ];
  const path = formatPath(segments);

  function entry(file: ParsedFile): YAMLMap {
    const node = findNode(file, segments);
    if (isMap(node)) return node;
    throw new UpdaterError('the images entry is not a map', { file: file.file, path });
  }

  const field = (file: ParsedFile, map: YAMLMap, key: string) => {
    const node = mapGet(map, key);
    return node === undefined || node === null ? undefined : expectScalar(file, node, `${path}.${key}`);
  };

  return {
    describe: () => `kustomize image ${options.name}`,
    read(content, file) {
      const parsed = parseFile(content, file, path);
      const map = entry(parsed);
      const text = (key: string) => {
        const node = field(parsed, map, key);
        return node && scalarText(node);
      };
      const digest = text('digest');
      if (digest === undefined) return undefined;
      const tag = text('newTag');
      const ref = readImageText(`${text('newName') ?? options.name}@${digest}`, file, `${path}.digest`);
      return ref && { ...ref, ...(tag ? { tag } : {}) };
    },
    write(content, image, file) {
      const parsed = parseFile(content, file, path);
      const map = entry(parsed);
      const set = (key: string, value: string, add: boolean): Edit | undefined => {
        const node = field(parsed, map, key);
        if (node) return replaceScalar(parsed, node, value);
        return add ? insertPair(parsed, map, key, value) : undefined;
      };
      return applyEdits(content, [
        set('newName', image.repository, image.repository !== options.name),
        image.tag === undefined ? undefined : set('newTag', image.tag, false),
        set('digest', image.digest, true),
      ]);
    },
  };
}
