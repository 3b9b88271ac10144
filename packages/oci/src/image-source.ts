import type {
  Observation,
  OciImage,
  ReadOnlySource,
  Revision,
  SourceContext,
  TargetLookup,
  TargetResolver,
  VersionResolver,
  VersionSpec,
} from '@gantry/core';
import { isMissing } from './lookup.js';
import { checkRepository } from './names.js';
import { ociRegistriesKey } from './registries.js';
import { chooseTag, imageCreated, readTag } from './choose.js';
import type { TagSelect } from './select.js';
import { checkSelect, describeSelect } from './select.js';

export interface OciImageSourceOptions {
  /** Name of a configured registry (see `createRegistries`). */
  readonly registry: string;
  /** Repository within the registry, e.g. `team/app`. */
  readonly repository: string;
  /** Default: follow the `latest` tag. */
  readonly select?: TagSelect;
}

/**
 * A read-only source of OCI images: the tag `select` picks, pinned by its manifest
 * digest. The resource's repository is `<registry host>/<repository>`; `setBy` is the
 * manifest (id = digest, time = the image's creation time when the image says).
 * A missing tag or repository reads as empty, not as an error. An explicit version is
 * looked up by its manifest: it must name this registry and repository, and exist there.
 * A version named by a tag (`gantry release --version 1.4.2`) resolves to that tag's
 * manifest digest; one named by its digest must exist in the repository.
 */
export function ociImageSource(
  o: OciImageSourceOptions,
): ReadOnlySource<OciImage> & TargetResolver<OciImage> & VersionResolver<OciImage> {
  return new OciImageSource(o);
}

/** What a phase saw of its tag: creation time is fixed by the digest, so it is asked once per version seen. */
interface Seen {
  readonly digest: string;
  readonly created: Date | undefined;
}

/**
 * A class, its functions on the prototype: a fleet holds one per image phase (10,000 at
 * 10,000 pipelines), where closures made per source cost a context and several functions each.
 */
class OciImageSource implements ReadOnlySource<OciImage>, TargetResolver<OciImage>, VersionResolver<OciImage> {
  readonly type = 'oci';
  readonly writable = false;
  readonly subject: { readonly kind: 'oci'; readonly registry: string; readonly repository: string };
  private readonly select: TagSelect;
  private readonly described: string;
  // an image's creation time is fixed by its digest: asked once per version this phase sees,
  // not on every read (which would ask the registry for the manifest again once it left its cache)
  private lastCreated: Seen | undefined;
  /** The last observation made: returned again while the tag stays on the same digest. */
  private last: { readonly resource: OciImage & { readonly tag: string }; readonly setBy: Revision } | undefined;
  /** The resource's repository, one string for every read (a fleet keeps one per phase, not one per read). */
  private home: { readonly host: string; readonly name: string } | undefined;

  constructor(private readonly o: OciImageSourceOptions) {
    this.select = o.select ?? { by: 'tag', tag: 'latest' };
    checkRepository(o.repository);
    checkSelect(this.select);
    this.subject = { kind: 'oci', registry: o.registry, repository: o.repository };
    this.described = `oci ${o.registry}/${o.repository}${describeSelect(this.select)}`;
  }

  describe(): string {
    return this.described;
  }

  private homeIn(host: string): string {
    if (this.home?.host !== host) this.home = { host, name: `${host}/${this.o.repository}` };
    return this.home.name;
  }

  private image(host: string, tag: string, digest: string, created: Date | undefined): Observation<OciImage> {
    const repository = this.homeIn(host);
    const last = this.last;
    // the same version read again is the same object: what is made of it once (its digest, its text) stays
    if (last?.resource.digest !== digest || last.resource.tag !== tag || last.resource.repository !== repository)
      this.last = {
        resource: { kind: 'oci-image', repository, digest, tag },
        setBy: { id: digest, ...(created ? { time: created } : {}) },
      };
    return this.last as Observation<OciImage>;
  }

  async read(ctx: SourceContext): Promise<Observation<OciImage>> {
    const { o, select } = this;
    const registry = ctx.services.get(ociRegistriesKey).get(o.registry);
    if (select.by === 'tag' && this.lastCreated === undefined) {
      // the first read needs the manifest anyway (for the creation time): one GET of the tag
      const read = await readTag(registry, o.repository, select.tag, ctx.signal);
      if (!read) return { resource: undefined };
      this.lastCreated = read;
      return this.image(registry.host, select.tag, read.digest, read.created);
    }
    const chosen = await chooseTag(registry, o.repository, select, ctx.signal);
    if (!chosen) return { resource: undefined };
    let created = chosen.created;
    if (created === undefined) {
      if (this.lastCreated?.digest === chosen.digest) created = this.lastCreated.created;
      else {
        created = await imageCreated(registry, o.repository, chosen.digest, ctx.signal);
        this.lastCreated = { digest: chosen.digest, created };
      }
    }
    return this.image(registry.host, chosen.tag, chosen.digest, created);
  }

  async lookupTarget(target: OciImage, ctx: SourceContext): Promise<TargetLookup> {
    const { o } = this;
    const registry = ctx.services.get(ociRegistriesKey).get(o.registry);
    const expected = `${registry.host}/${o.repository}`;
    if (target.repository !== expected) return { kind: 'foreign', field: 'repository', expected };
    try {
      // an image known by its tag alone (ociImageByTag) is looked up by that tag
      await registry.resolve(o.repository, target.digest ?? target.tag ?? '', { signal: ctx.signal });
      return { kind: 'found' };
    } catch (e) {
      if (!isMissing(e)) throw e;
      return {
        kind: 'missing',
        field: 'digest',
        message: `${expected}${target.digest ? `@${target.digest}` : `:${target.tag ?? ''}`} does not exist in registry ${registry.name}`,
      };
    }
  }

  async resolveVersion(spec: VersionSpec, ctx: SourceContext): Promise<OciImage | undefined> {
    const { o } = this;
    const registry = ctx.services.get(ociRegistriesKey).get(o.registry);
    const reference = 'digest' in spec ? spec.digest : spec.version;
    try {
      const digest = await registry.resolve(o.repository, reference, { signal: ctx.signal });
      return {
        kind: 'oci-image',
        repository: `${registry.host}/${o.repository}`,
        digest,
        ...('version' in spec ? { tag: spec.version } : {}),
      };
    } catch (e) {
      if (isMissing(e)) return undefined;
      throw e;
    }
  }
}
