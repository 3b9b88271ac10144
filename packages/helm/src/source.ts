import type { HelmChart, ReadOnlySource, SourceContext, TargetResolver, VersionResolver } from '@gantry/core';
import { SourceError } from '@gantry/core';
import type { ChartVersionEntry, HelmIndex } from './index-file.js';
import { helmRepositoriesKey } from './repositories.js';
import type { ChartSelect } from './select.js';
import { checkChartSelect, DEFAULT_CHART_SELECT, describeChartSelect, pickChartVersion } from './select.js';

export interface HelmRepositorySourceOptions {
  /** Name of a configured Helm repository (`registries: { <name>: { helm: <url> } }` in gantry.yaml). */
  readonly registry: string;
  /** The chart's name in the repository's index. */
  readonly chart: string;
  /** Default: the highest stable version (`{ by: 'semver', range: '*' }`), as `helm install` takes. */
  readonly select?: ChartSelect;
}

/** Names shown when a chart is missing: enough to spot a typo, not a 10,000-chart index. */
const KNOWN_SHOWN = 50;

function chartNotFound(url: string, registry: string, chart: string, index: HelmIndex): SourceError {
  const known = [...index.charts.keys()].sort();
  const shown = known.slice(0, KNOWN_SHOWN).join(', ') || '(none)';
  const more = known.length > KNOWN_SHOWN ? ` and ${known.length - KNOWN_SHOWN} more` : '';
  return new SourceError(
    'chart_not_found',
    `Helm repository ${registry} (${url}) has no chart "${chart}"; charts: ${shown}${more}`,
    { registry, url, chart, known: known.slice(0, KNOWN_SHOWN) },
  );
}

/**
 * A read-only source of Helm charts from a classic chart repository (`index.yaml` over
 * HTTP(S)). The resource is the chosen version: `{ name, version, repository: <repository URL> }`,
 * whose identity is name and version; `setBy` is the index entry (id = its archive digest,
 * `sha256:<hex>`, time = its `created`). A chart missing from the index is `chart_not_found`
 * listing the charts there; a select nothing matches yet reads as empty. An explicit version
 * must be this chart and be listed in the index.
 *
 * Its `subject` is `{ kind: 'oci', registry, repository: <chart> }`: the configured name and
 * the chart, so a registry push webhook naming them reconciles the phase.
 */
export function helmRepositorySource(
  o: HelmRepositorySourceOptions,
): ReadOnlySource<HelmChart> & TargetResolver<HelmChart> & VersionResolver<HelmChart> {
  const select = o.select ?? DEFAULT_CHART_SELECT;
  if (o.chart.length === 0 || /[\s/]/.test(o.chart)) {
    throw new SourceError('invalid_reference', `"${o.chart}" is not a chart name`, { chart: o.chart });
  }
  checkChartSelect(select);
  const versionsOf = async (ctx: SourceContext) => {
    const repository = ctx.services.get(helmRepositoriesKey).get(o.registry);
    const index = await repository.index({ ...(ctx.signal ? { signal: ctx.signal } : {}) });
    return { repository, index, versions: index.charts.get(o.chart) };
  };
  return {
    type: 'helm',
    writable: false,
    subject: { kind: 'oci', registry: o.registry, repository: o.chart },
    describe: () => `helm ${o.registry}/${o.chart}${describeChartSelect(select)}`,
    async read(ctx) {
      const { repository, index, versions } = await versionsOf(ctx);
      if (!versions) throw chartNotFound(repository.url, o.registry, o.chart, index);
      const chosen = pickChartVersion(versions, select);
      if (!chosen) return { resource: undefined };
      return { resource: resourceOf(chosen, repository.url), setBy: revisionOf(chosen) };
    },
    async lookupTarget(target, ctx) {
      const { repository, index, versions } = await versionsOf(ctx);
      const expected = repository.url;
      if (target.name !== o.chart) return { kind: 'foreign', field: 'name', expected: `${expected} ${o.chart}` };
      if (target.repository !== undefined && target.repository.replace(/\/+$/, '') !== expected) {
        return { kind: 'foreign', field: 'repository', expected };
      }
      if (!versions) {
        return { kind: 'missing', field: 'name', message: chartNotFound(expected, o.registry, o.chart, index).message };
      }
      if (versions.some((v) => v.version === target.version)) return { kind: 'found' };
      return {
        kind: 'missing',
        field: 'version',
        message: `Helm repository ${o.registry} (${expected}) has no version ${target.version} of chart ${o.chart}`,
      };
    },
    async resolveVersion(spec, ctx) {
      const { repository, versions } = await versionsOf(ctx);
      // an index names a version by its number, or by its archive's digest
      const entry = versions?.find((v) =>
        'version' in spec
          ? v.version === spec.version
          : v.digest?.replace(/^sha256:/, '') === spec.digest.replace(/^sha256:/, ''),
      );
      return entry ? resourceOf(entry, repository.url) : undefined;
    },
  };
}

const resourceOf = (entry: ChartVersionEntry, url: string): HelmChart => ({
  kind: 'helm-chart',
  name: entry.name,
  version: entry.version,
  repository: url,
});

/** The index entry as a revision: its archive digest, else name-version (an index may omit digests). */
const revisionOf = (entry: ChartVersionEntry) => ({
  id: entry.digest ? `sha256:${entry.digest.replace(/^sha256:/, '')}` : `${entry.name}-${entry.version}`,
  ...(entry.created ? { time: entry.created } : {}),
});
