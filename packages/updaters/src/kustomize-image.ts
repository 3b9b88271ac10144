import { isMap, isScalar, isSeq, type Node, type YAMLMap, type YAMLSeq } from 'yaml';
import { type ParsedFile, parseFile } from './document.js';
import { updaterError } from './fail.js';
import type { ImageUpdater } from './helm-values.js';
import { comparesByTag, type ImageForm, type ImageWriteOptions, repositoryToWrite } from './image-codec.js';
import { mapGet } from './path.js';
import { type Slot, yamlSlot } from './slot.js';
import { applyEdits, type Edit, eolOf, insertPairSorted, pairText, removePair } from './splice.js';
import { checkTag } from './version-text.js';
import { parseImageReference } from '@gantry/core';

export interface KustomizeImageOptions extends ImageWriteOptions {
  /** The entry's `name`: the image name as written in the manifests kustomize patches. */
  readonly name: string;
}

/** The fields of one `images:` entry, as `kustomize edit set image` writes them: sorted. */
const FIELDS = ['digest', 'name', 'newName', 'newTag'] as const;

interface Entry {
  readonly map: YAMLMap;
  field(key: string): Slot | undefined;
}

/**
 * One entry of a kustomization's `images:` list, in a base or an overlay. Reads `newName`
 * (or `name`), `newTag` and `digest`. Writes what `kustomize edit set image` would: the
 * entry then holds exactly the tag, the digest or both (a `newTag` beside a digest that
 * replaced it goes, as kustomize drops it); an entry or an `images:` list that is not
 * there yet is added in kustomize's shape (fields sorted, entries sorted by name, the list
 * at the end of the file). `newName` is kept unless `host` asks otherwise.
 */
export function kustomizeImage(options: KustomizeImageOptions): ImageUpdater {
  const { name } = options;
  const path = `images[name=${name}]`;

  function images(file: ParsedFile): { root: YAMLMap; list: Node | null | undefined } {
    const doc = file.documents.find((d) => isMap(d.contents));
    const root = doc?.contents;
    if (!isMap(root))
      throw updaterError({ file: file.file, path, line: 1 }, 'the file is not a kustomization (no map at its root)');
    return { root, list: mapGet(root, 'images') };
  }

  function find(file: ParsedFile, list: Node | null | undefined): Entry | undefined {
    if (list === undefined || list === null || (isScalar(list) && list.value === null)) return undefined;
    if (!isSeq(list))
      throw updaterError({ file: file.file, path, line: file.lineOf(list.range?.[0] ?? 0) }, 'images is not a list');
    const item = list.items.find((it) => {
      const v = isMap(it) ? mapGet(it, 'name') : undefined;
      return isScalar(v) && String(v.value) === name;
    });
    if (!isMap(item)) return undefined;
    return {
      map: item,
      field(key) {
        const node = mapGet(item, key);
        return node === undefined ? undefined : yamlSlot(file, node, `${path}.${key}`);
      },
    };
  }

  return {
    comparesBy: comparesByTag(options.form) ? 'tag' : 'digest',
    describe: () => `kustomize image ${name}`,
    read(content, file) {
      const parsed = parseFile(content, file, path);
      const { list } = images(parsed);
      const entry = find(parsed, list);
      // no entry yet: nothing pinned here; a promotion adds it, as `kustomize edit set image` would
      if (!entry) return undefined;
      const digest = entry.field('digest');
      const tag = entry.field('newTag');
      const newName = entry.field('newName');
      if (tag?.text !== undefined) checkTag(tag.text, tag.where);
      if (digest?.text === undefined && !(comparesByTag(options.form) && tag?.text !== undefined)) return undefined;
      const repository = newName?.text ?? name;
      const text = `${repository}${tag?.text ? `:${tag.text}` : ''}${digest?.text ? `@${digest.text}` : ''}`;
      const ref = parseImageReference(text);
      if (ref === undefined)
        throw updaterError((digest ?? tag ?? newName)?.where ?? { file, path }, `"${text}" is not an image reference`);
      return {
        kind: 'oci-image',
        repository: ref.repository,
        ...(ref.tag ? { tag: ref.tag } : {}),
        ...(ref.digest ? { digest: ref.digest } : {}),
      };
    },
    write(content, image, file) {
      const parsed = parseFile(content, file, path);
      const { list } = images(parsed);
      const entry = find(parsed, list);
      // a new entry gets what `kustomize edit set image name:tag@digest` writes: both
      const hasTag = entry === undefined || entry.field('newTag')?.text !== undefined;
      const form: ImageForm =
        options.form ??
        (image.digest === undefined ? 'tag' : hasTag && image.tag !== undefined ? 'tag@digest' : 'digest');
      const where = { file, path, line: entry ? parsed.lineOf(entry.map.range?.[0] ?? 0) : 1 };
      const want: Record<string, string | undefined> = {
        digest: form === 'tag' ? undefined : (image.digest ?? noValue(where, 'digest')),
        newTag: form === 'digest' ? undefined : (image.tag ?? noValue(where, 'tag')),
        newName: newName(entry?.field('newName')?.text, image.repository),
      };
      if (!entry) return applyEdits(content, [addEntry(parsed, list, { name, ...want })]);
      const keys = ['newName', 'newTag', 'digest'];
      const changed = applyEdits(
        content,
        keys.map((key) => {
          const slot = entry.field(key);
          const value = want[key];
          if (value === undefined) return slot && removePair(parsed, entry.map, key);
          return slot?.set(value);
        }),
      );
      const adding = keys.filter((key) => want[key] !== undefined && entry.field(key) === undefined);
      if (adding.length === 0) return changed;
      // keys are added on the text with removals done, so no two edits touch one line
      const again = parseFile(changed, file, path);
      const added = find(again, images(again).list) as Entry;
      return applyEdits(
        changed,
        adding.map((key) => insertPairSorted(again, added.map, key, want[key] as string)),
      );
    },
  };

  /** `newName` after the write: kept as it is unless `host` says otherwise. */
  function newName(current: string | undefined, source: string): string | undefined {
    if (options.host === undefined || options.host === 'keep') return current;
    const repo = repositoryToWrite(current, source, options.host);
    return repo === name && current === undefined ? undefined : repo;
  }
}

const noValue = (where: { file: string; path: string; line: number }, what: 'tag' | 'digest'): never => {
  throw updaterError(
    where,
    what === 'digest'
      ? 'the version has no digest to write (it was read as a tag); this entry pins by digest'
      : 'the version has no tag to write; this entry holds tags',
  );
};

/** A new `images:` entry (and the list itself when missing), as `kustomize edit set image` writes it. */
function addEntry(file: ParsedFile, list: Node | null | undefined, fields: Record<string, string | undefined>): Edit {
  const { content } = file;
  const nl = eolOf(content);
  const pairs = FIELDS.flatMap((k) => (fields[k] === undefined ? [] : [pairText(file, k, fields[k] as string)]));
  const name = fields.name as string;
  if (isSeq(list) && list.flow) {
    const close = content.lastIndexOf(']', list.range?.[1] ?? content.length);
    const text = `${list.items.length > 0 ? ', ' : ''}{${pairs.join(', ')}}`;
    const last = list.items[list.items.length - 1] as Node | undefined;
    const at = last?.range?.[1] ?? close;
    return { start: at, end: at, text };
  }
  if (isSeq(list) && list.items.length > 0) {
    const seq = list as YAMLSeq;
    const firstItem = seq.items[0] as Node;
    const itemStart = firstItem.range?.[0] ?? 0;
    const lineStart = content.lastIndexOf('\n', itemStart - 1) + 1;
    const keyIndent = ' '.repeat(itemStart - lineStart);
    const dashIndent = ' '.repeat(Math.max(0, itemStart - lineStart - 2));
    const block = `${dashIndent}- ${pairs.join(`${nl}${keyIndent}`)}${nl}`;
    // entries sorted by name: before the first that sorts after this one
    const next = seq.items.find((it) => {
      const v = isMap(it) ? mapGet(it, 'name') : undefined;
      return isScalar(v) && String(v.value) > name;
    }) as Node | undefined;
    if (next?.range) {
      const at = content.lastIndexOf('\n', next.range[0] - 1) + 1;
      return { start: at, end: at, text: block };
    }
    const end = seq.range?.[1] ?? content.length;
    const lineEnd = content[end - 1] === '\n' ? end : content.indexOf('\n', end) + 1 || content.length;
    const prefix = lineEnd === content.length && !content.endsWith('\n') ? nl : '';
    return { start: lineEnd, end: lineEnd, text: prefix + block };
  }
  const block = `- ${pairs.join(`${nl}  `)}${nl}`;
  if (isScalar(list) && list.value === null) {
    // `images:` with nothing yet: the entries go on the lines after it
    const lineEnd = content.indexOf('\n', list.range?.[0] ?? 0);
    if (lineEnd < 0) return { start: content.length, end: content.length, text: `${nl}${block.trimEnd()}` };
    return { start: lineEnd + 1, end: lineEnd + 1, text: block };
  }
  // no `images:` at all: kustomize writes fields missing from the file after all the others
  const prefix = content === '' || content.endsWith('\n') ? '' : nl;
  return { start: content.length, end: content.length, text: `${prefix}images:${nl}${block}` };
}
