import type { HelmChart, ReadOnlySource, TargetResolver, VersionResolver } from '@gantry/core';
import { isMissing } from './lookup.js';
import { SourceError } from '@gantry/core';
import { chooseTag, imageCreated } from './choose.js';
import { MEDIA_TYPES } from './media-types.js';
import { checkRepository } from './names.js';
import { ociRegistriesKey } from './registries.js';
import type { TagSelect } from './select.js';
import { checkSelect, describeSelect, tagOfVersion, versionOfTag } from './select.js';

export interface OciChartSourceOptions {
  readonly registry: string;
  /** Repository of the chart, e.g. `charts/app`; its last segment is the chart name. */
  readonly repository: string;
  /** Usually `{ by: 'semver', range }`. */
  readonly select: TagSelect;
}

/**
 * A read-only source of Helm charts stored as OCI artifacts (`helm push`). The
 * version is the chosen tag (Helm's `_` read back as `+`); the chart's repository is
 * `oci://<host>/<repository>`. An artifact that is not a Helm chart is an error
 * (`not_a_helm_chart`), so an image repository configured by mistake is caught. An
 * explicit version must be this chart, and its version a tag of this repository.
 */
export function ociChartSource(
  o: OciChartSourceOptions,
): ReadOnlySource<HelmChart> & TargetResolver<HelmChart> & VersionResolver<HelmChart> {
  checkRepository(o.repository);
  checkSelect(o.select);
  const name = o.repository.split('/').at(-1) as string;
  return {
    type: 'oci',
    writable: false,
    subject: { kind: 'oci', registry: o.registry, repository: o.repository },
    describe: () => `oci chart ${o.registry}/${o.repository}${describeSelect(o.select)}`,
    async read(ctx) {
      const registry = ctx.services.get(ociRegistriesKey).get(o.registry);
      const chosen = await chooseTag(registry, o.repository, o.select, ctx.signal);
      if (!chosen) return { resource: undefined };
      const manifest = await registry.manifest(o.repository, chosen.digest, { signal: ctx.signal });
      if (manifest.kind !== 'manifest' || manifest.body.config.mediaType !== MEDIA_TYPES.helmConfig) {
        throw new SourceError(
          'not_a_helm_chart',
          `${registry.host}/${o.repository}:${chosen.tag} is not a Helm chart (config media type ${manifest.kind === 'manifest' ? manifest.body.config.mediaType : manifest.mediaType})`,
          { registry: registry.name, repository: o.repository, tag: chosen.tag, digest: chosen.digest },
        );
      }
      const created = chosen.created ?? (await imageCreated(registry, o.repository, chosen.digest, ctx.signal));
      return {
        resource: {
          kind: 'helm-chart',
          name,
          version: versionOfTag(chosen.tag),
          repository: `oci://${registry.host}/${o.repository}`,
        },
        setBy: { id: chosen.digest, ...(created ? { time: created } : {}) },
      };
    },
    async lookupTarget(target, ctx) {
      const registry = ctx.services.get(ociRegistriesKey).get(o.registry);
      const expected = `oci://${registry.host}/${o.repository}`;
      if (target.name !== name) return { kind: 'foreign', field: 'name', expected };
      if (target.repository !== undefined && target.repository !== expected) {
        return { kind: 'foreign', field: 'repository', expected };
      }
      try {
        await registry.resolve(o.repository, tagOfVersion(target.version), { signal: ctx.signal });
        return { kind: 'found' };
      } catch (e) {
        if (!isMissing(e)) throw e;
        return { kind: 'missing', field: 'version', message: `${expected} has no version ${target.version}` };
      }
    },
    async resolveVersion(spec, ctx) {
      // a chart is named by its version; a digest names no version of it
      if (!('version' in spec)) return undefined;
      const registry = ctx.services.get(ociRegistriesKey).get(o.registry);
      try {
        await registry.resolve(o.repository, tagOfVersion(spec.version), { signal: ctx.signal });
      } catch (e) {
        if (isMissing(e)) return undefined;
        throw e;
      }
      return { kind: 'helm-chart', name, version: spec.version, repository: `oci://${registry.host}/${o.repository}` };
    },
  };
}
