import type { OciImage, ReadOnlySource, TargetResolver, VersionResolver } from '@gantry/core';
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
  const select = o.select ?? { by: 'tag', tag: 'latest' };
  checkRepository(o.repository);
  checkSelect(select);
  // an image's creation time is fixed by its digest: asked once per version this phase sees,
  // not on every read (which would ask the registry for the manifest again once it left its cache)
  let lastCreated: { readonly digest: string; readonly created: Date | undefined } | undefined;
  // the resource's repository, one string for every read (a fleet keeps one per phase, not one per read)
  let home: { readonly host: string; readonly name: string } | undefined;
  const homeIn = (host: string) => {
    if (home?.host !== host) home = { host, name: `${host}/${o.repository}` };
    return home.name;
  };
  return {
    type: 'oci',
    writable: false,
    subject: { kind: 'oci', registry: o.registry, repository: o.repository },
    describe: () => `oci ${o.registry}/${o.repository}${describeSelect(select)}`,
    async read(ctx) {
      const registry = ctx.services.get(ociRegistriesKey).get(o.registry);
      const image = (tag: string, digest: string, created: Date | undefined) => ({
        resource: { kind: 'oci-image' as const, repository: homeIn(registry.host), digest, tag },
        setBy: { id: digest, ...(created ? { time: created } : {}) },
      });
      if (select.by === 'tag' && lastCreated === undefined) {
        // the first read needs the manifest anyway (for the creation time): one GET of the tag
        const read = await readTag(registry, o.repository, select.tag, ctx.signal);
        if (!read) return { resource: undefined };
        lastCreated = read;
        return image(select.tag, read.digest, read.created);
      }
      const chosen = await chooseTag(registry, o.repository, select, ctx.signal);
      if (!chosen) return { resource: undefined };
      let created = chosen.created;
      if (created === undefined) {
        if (lastCreated?.digest === chosen.digest) created = lastCreated.created;
        else {
          created = await imageCreated(registry, o.repository, chosen.digest, ctx.signal);
          lastCreated = { digest: chosen.digest, created };
        }
      }
      return image(chosen.tag, chosen.digest, created);
    },
    async lookupTarget(target, ctx) {
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
    },
    async resolveVersion(spec, ctx) {
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
    },
  };
}
