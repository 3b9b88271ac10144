import { type FileUpdater, type OciImage, ValidationError, type ValidationIssue } from '@gantry/core';
import { type ParsedFile, parseFile } from './document.js';
import {
  comparesByTag,
  type FieldsOptions,
  fieldsPinDigest,
  formatReference,
  type ImageFields,
  type ImageForm,
  readFields,
  readReference,
  writeFields,
} from './image-codec.js';
import { type DocumentSelector, findSlot } from './locate.js';
import { formatPath, lookup, parsePath, type Segment } from './path.js';
import { yamlSlot } from './slot.js';
import { applyEdits } from './splice.js';

/**
 * Paths (same syntax as `yamlPath`) into a Helm values file. Either `image`, whole
 * references (`repo:tag@digest`), or separate values: `tag` (the layout of Helm's default
 * chart), `digest`, or both. Each of `image`, `tag` and `digest` may list several paths
 * written together (an image used by two components).
 */
export interface HelmValuesOptions {
  readonly image?: string | readonly string[];
  /** Default: the `repository` beside the first tag or digest, when there is one. */
  readonly repository?: string;
  /** Bitnami-style charts: the host in its own value. Default: the `registry` beside the repository. */
  readonly registry?: string;
  readonly tag?: string | readonly string[];
  readonly digest?: string | readonly string[];
  /** `tag@digest`: the tag value carries the digest too (`1.2.3@sha256:…`). */
  readonly tagFormat?: 'tag' | 'tag@digest';
  /** For `image` paths: what the reference carries (see `ImageForm`). */
  readonly form?: ImageForm;
  /** `keep` (default): the repository and host written in the file stay; `source` or a host to change them. */
  readonly host?: string;
  /** The image's name for a file that holds only a tag (a per-environment override). */
  readonly imageName?: string;
}

/** Where the values live and which document holds them (a HelmRelease's `spec.values`, say). */
export interface ValuesRoot {
  readonly root?: readonly Segment[];
  readonly select?: DocumentSelector;
  readonly label: string;
}

/** An image updater also says how its phase compares versions: by tag when it never writes a digest. */
export interface ImageUpdater extends FileUpdater<OciImage> {
  readonly comparesBy: 'tag' | 'digest';
}

const list = (p: string | readonly string[] | undefined): readonly string[] =>
  p === undefined ? [] : typeof p === 'string' ? [p] : p;

/** Checks the options once, when the pipeline is defined; every problem is named. */
function check(o: HelmValuesOptions, subject: string): void {
  const issues: ValidationIssue[] = [];
  const images = list(o.image);
  const separate = [...list(o.tag), ...list(o.digest)];
  if (images.length > 0 && (separate.length > 0 || o.repository !== undefined || o.registry !== undefined))
    issues.push({ path: 'image', message: 'give either image, or repository/tag/digest, not both' });
  if (images.length === 0 && separate.length === 0)
    issues.push({ path: 'tag', message: 'give the path of the tag, the digest, or a whole image reference' });
  for (const [field, paths] of Object.entries({
    image: images,
    tag: list(o.tag),
    digest: list(o.digest),
    repository: list(o.repository),
    registry: list(o.registry),
  })) {
    for (const p of paths) {
      try {
        parsePath(p);
      } catch (e) {
        issues.push({ path: field, message: (e as Error).message });
      }
    }
  }
  if (issues.length > 0) throw new ValidationError(subject, issues);
}

/** The image of a values tree (a values file, a HelmRelease's `spec.values`, an Argo CD `valuesObject`). */
export function valuesImage(o: HelmValuesOptions, at: ValuesRoot): ImageUpdater {
  check(o, `${at.label} updater`);
  const root = at.root ?? [];
  const full = (p: string) => [...root, ...parsePath(p)];
  const images = list(o.image).map(full);
  const tags = list(o.tag).map(full);
  const digests = list(o.digest).map(full);
  const first = tags[0] ?? digests[0] ?? images[0] ?? [];
  const beside = (key: string): Segment[] => [...first.slice(0, -1), { kind: 'key', key }];
  const repositoryAt = o.repository !== undefined ? full(o.repository) : beside('repository');
  const registryAt = o.registry !== undefined ? full(o.registry) : beside('registry');
  const fieldsOptions: FieldsOptions = {
    ...(o.tagFormat ? { tagFormat: o.tagFormat } : {}),
    ...(o.host ? { host: o.host } : {}),
  };
  const named = [...list(o.image), ...list(o.tag), ...list(o.digest)];
  const path = formatPath(first);

  /** An optional value: there when the file has it (the repository beside a tag). */
  const optional = (file: ParsedFile, segments: Segment[], explicit: boolean) => {
    if (explicit) return findSlot(file, segments, at.select);
    const doc = file.documents.find((d) => lookup(d.contents as never, segments).found);
    if (!doc) return undefined;
    const hit = lookup(doc.contents as never, segments);
    return hit.found ? yamlSlot(file, hit.node, formatPath(segments)) : undefined;
  };

  const fields = (file: ParsedFile): ImageFields => {
    const tagSlots = tags.map((s) => findSlot(file, s, at.select));
    const digestSlots = digests.map((s) => findSlot(file, s, at.select));
    const repository = optional(file, repositoryAt, o.repository !== undefined);
    const registry = optional(file, registryAt, o.registry !== undefined);
    const fallback = o.imageName;
    return {
      ...(repository ? { repository } : fallback ? { repository: constant(fallback, file.file, path) } : {}),
      ...(registry ? { registry } : {}),
      tags: tagSlots,
      digests: digestSlots,
      repositoryWhere: {
        file: file.file,
        path: formatPath(repositoryAt),
        line: (tagSlots[0] ?? digestSlots[0])?.where.line ?? 1,
      },
    };
  };

  const pinsDigest = fieldsPinDigest({ digests }, fieldsOptions);
  return {
    comparesBy: images.length > 0 ? (comparesByTag(o.form) ? 'tag' : 'digest') : pinsDigest ? 'digest' : 'tag',
    describe: () => `${at.label} ${named.join(', ')}`,
    read(content, file) {
      const parsed = parseFile(content, file, path);
      if (images.length > 0) return readReference(findSlot(parsed, images[0] as Segment[], at.select), o.form);
      return readFields(fields(parsed), fieldsOptions);
    },
    write(content, image, file) {
      const parsed = parseFile(content, file, path);
      if (images.length > 0) {
        return applyEdits(
          content,
          images.map((s) => {
            const slot = findSlot(parsed, s, at.select);
            return slot.set(formatReference(slot.text, image, o, slot.where));
          }),
        );
      }
      // the name given for tag-only files is only read: its slot writes nothing
      return applyEdits(content, writeFields(fields(parsed), image, fieldsOptions));
    },
  };
}

const constant = (text: string, file: string, path: string) => ({
  text,
  where: { file, path, line: 1 },
  set: () => undefined,
});

/**
 * An image in a Helm values file (`values.yaml`, `values-<env>.yaml`): a tag, a digest,
 * `tag@digest`, or a whole reference, at the paths the chart reads. With only a tag, the
 * phase holds tags and compares versions by tag; with a digest it pins by digest.
 */
export function helmValues(options: HelmValuesOptions): ImageUpdater {
  return valuesImage(options, { label: 'helm values' });
}
