import { formatImageReference, type OciImage, parseImageReference } from '@gantry/core';
import { updaterError, type Where } from './fail.js';
import type { Edit } from './splice.js';
import type { Slot } from './slot.js';
import { checkTag, isTemplate } from './version-text.js';

/**
 * What an image reference written in a file carries: `tag` (`app:1.2.3`), `digest`
 * (`app@sha256:…`) or both (`app:1.2.3@sha256:…`). Pinning by digest is offered, never
 * forced: a file that holds tags gets tags.
 */
export type ImageForm = 'tag' | 'digest' | 'tag@digest';

export interface ImageWriteOptions {
  /**
   * What to write. Default: the digest, keeping a tag where the file shows one beside its
   * digest; a version known only by its tag is written as a tag.
   */
  readonly form?: ImageForm;
  /**
   * Whose registry host (and repository) a promotion writes. `keep` (default): the one
   * written in the file stays, only the version changes (Gantry may read from a mirror);
   * `source`: the repository Gantry reads from; any other value: that host, with the
   * source's path (`registry.internal:5000`).
   */
  readonly host?: string;
}

/** Whether a phase writing `form` compares versions by tag: it never writes a digest. */
export const comparesByTag = (form: ImageForm | undefined): boolean => form === 'tag';

/** The registry host of a repository, as container runtimes tell it: a first part with `.` or `:`, or `localhost`. */
export function hostOf(repository: string): string | undefined {
  const slash = repository.indexOf('/');
  if (slash < 0) return undefined;
  const first = repository.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost' ? first : undefined;
}

/** The repository without its host. */
export function pathOf(repository: string): string {
  const host = hostOf(repository);
  return host === undefined ? repository : repository.slice(host.length + 1);
}

/** The repository a write puts in the file, given what the file holds now. */
export function repositoryToWrite(current: string | undefined, source: string, host: string | undefined): string {
  if (host === undefined || host === 'keep') return current ?? source;
  if (host === 'source') return source;
  return `${host}/${pathOf(source)}`;
}

const missing = (where: Where, what: 'tag' | 'digest', image: OciImage): never => {
  const version = image.tag ? `:${image.tag}` : image.digest ? `@${image.digest}` : '';
  throw updaterError(
    where,
    what === 'digest'
      ? `the version ${image.repository}${version} has no digest to write (it was read as a tag); this place pins by digest`
      : `the version ${image.repository}${version} has no tag to write; this place holds tags`,
  );
};

/**
 * Reads a whole reference (`repo[:tag][@digest]`). Without a digest it is a version only
 * where the place holds tags (`form: tag`); elsewhere a tag-only reference is not pinned yet.
 */
export function readReference(slot: Slot, form: ImageForm | undefined): OciImage | undefined {
  const text = slot.text;
  if (text === undefined || text.trim() === '') return undefined;
  if (isTemplate(text)) checkTag(text, slot.where);
  const ref = parseImageReference(text);
  if (ref === undefined) throw updaterError(slot.where, `"${text}" is not an image reference`);
  if (ref.tag !== undefined) checkTag(ref.tag, slot.where);
  if (ref.digest !== undefined)
    return { kind: 'oci-image', repository: ref.repository, digest: ref.digest, ...(ref.tag ? { tag: ref.tag } : {}) };
  if (form === 'tag' && ref.tag !== undefined) return { kind: 'oci-image', repository: ref.repository, tag: ref.tag };
  return undefined;
}

/** The reference to write in place of `current`. */
export function formatReference(
  current: string | undefined,
  image: OciImage,
  options: ImageWriteOptions,
  where: Where,
): string {
  const old = current === undefined ? undefined : parseImageReference(current);
  const repository = repositoryToWrite(old?.repository, image.repository, options.host);
  const form: ImageForm =
    options.form ??
    (image.digest === undefined
      ? 'tag'
      : image.tag !== undefined && old?.tag !== undefined && old.digest !== undefined
        ? 'tag@digest'
        : 'digest');
  const tag = form === 'digest' ? undefined : (image.tag ?? missing(where, 'tag', image));
  const digest = form === 'tag' ? undefined : (image.digest ?? missing(where, 'digest', image));
  return formatImageReference({
    repository,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
  });
}

/** An image written as separate values: Helm's `image.repository` / `image.tag` / `image.digest`. */
export interface ImageFields {
  readonly repository?: Slot;
  /** Bitnami-style charts split the host off: `image.registry`. */
  readonly registry?: Slot;
  readonly tags: readonly Slot[];
  readonly digests: readonly Slot[];
  /** Where the repository was looked for, for the error when there is none. */
  readonly repositoryWhere: Where;
}

export interface FieldsOptions {
  /** `tag@digest`: the tag value holds `1.2.3@sha256:…` (charts that take a digest in the tag). */
  readonly tagFormat?: 'tag' | 'tag@digest';
  readonly host?: string;
}

/** Whether the fields pin by digest: a digest value, or tags written with one. */
export const fieldsPinDigest = (f: { readonly digests: readonly unknown[] }, o: FieldsOptions): boolean =>
  f.digests.length > 0 || o.tagFormat === 'tag@digest';

function splitTag(text: string, o: FieldsOptions): { tag: string; digest?: string } {
  if (o.tagFormat !== 'tag@digest') return { tag: text };
  const at = text.indexOf('@');
  return at < 0 ? { tag: text } : { tag: text.slice(0, at), digest: text.slice(at + 1) };
}

/** Reads an image from separate values; `undefined` while not pinned (an empty digest, say). */
export function readFields(f: ImageFields, o: FieldsOptions): OciImage | undefined {
  const tagSlot = f.tags[0];
  const digestSlot = f.digests[0];
  const tagged = tagSlot?.text === undefined ? undefined : splitTag(tagSlot.text, o);
  if (tagSlot && tagged) checkTag(tagged.tag, tagSlot.where);
  const digest = digestSlot ? digestSlot.text : tagged?.digest;
  if (digestSlot?.text !== undefined && isTemplate(digestSlot.text)) checkTag(digestSlot.text, digestSlot.where);
  const pins = fieldsPinDigest(f, o);
  if (pins ? digest === undefined : tagged === undefined) return undefined;
  const repo = f.repository?.text;
  if (repo === undefined) {
    throw updaterError(f.repositoryWhere, 'no repository to name the image by; give the path of the repository value');
  }
  if (isTemplate(repo)) checkTag(repo, (f.repository as Slot).where);
  const registry = f.registry?.text;
  const repository = registry ? `${registry}/${repo}` : repo;
  const ref = parseImageReference(`${repository}${tagged ? `:${tagged.tag}` : ''}${digest ? `@${digest}` : ''}`);
  if (ref === undefined) {
    const where = (digestSlot ?? tagSlot ?? f.repository) as Slot;
    throw updaterError(
      where.where,
      `"${repository}", "${tagged?.tag ?? ''}", "${digest ?? ''}" do not make an image reference`,
    );
  }
  return {
    kind: 'oci-image',
    repository: ref.repository,
    ...(ref.tag !== undefined ? { tag: ref.tag } : {}),
    ...(ref.digest !== undefined ? { digest: ref.digest } : {}),
  };
}

/** The edits that write `image` into separate values. */
export function writeFields(f: ImageFields, image: OciImage, o: FieldsOptions): (Edit | undefined)[] {
  const edits: (Edit | undefined)[] = [];
  const current = f.repository?.text;
  const keep = o.host === undefined || o.host === 'keep';
  if (f.repository && (!keep || current === undefined)) {
    const registryNow = f.registry?.text;
    const now = current === undefined ? undefined : registryNow ? `${registryNow}/${current}` : current;
    const repo = repositoryToWrite(now, image.repository, o.host);
    if (f.registry) {
      edits.push(f.registry.set(hostOf(repo) ?? ''), f.repository.set(pathOf(repo)));
    } else edits.push(f.repository.set(repo));
  }
  for (const t of f.tags) {
    // beside a digest value, a tag is a label: an image chosen without one leaves it be
    if (image.tag === undefined && image.digest !== undefined && f.digests.length > 0) continue;
    const tag = image.tag ?? missing(t.where, 'tag', image);
    const value = o.tagFormat === 'tag@digest' ? `${tag}@${image.digest ?? missing(t.where, 'digest', image)}` : tag;
    edits.push(t.set(value));
  }
  for (const d of f.digests) edits.push(d.set(image.digest ?? missing(d.where, 'digest', image)));
  return edits;
}
