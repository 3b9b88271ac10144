import { SourceError } from '@gantry/core';
import { createRequire } from 'node:module';
import type * as Semver from 'semver';
import type { ChartVersionEntry } from './index-file.js';

/** semver, loaded the first time versions are compared: a command that selects by tag never needs it. */
let loadedSemver: typeof Semver | undefined;
const semver = (): typeof Semver => {
  loadedSemver ??= createRequire(import.meta.url)('semver') as typeof Semver;
  return loadedSemver;
};

/**
 * How a Helm repository source picks one version of a chart, as image sources pick tags.
 * Pre-releases (`2.0.0-rc.1`) are left out unless `includePrerelease` is set, as Helm does
 * without `--devel`.
 */
export type ChartSelect =
  /** Exactly this version (as the index writes it). */
  | { readonly by: 'version'; readonly version: string }
  /** The highest version satisfying a semver range (`^1.2`, `>=2 <3`, `*`). */
  | { readonly by: 'semver'; readonly range: string; readonly includePrerelease?: boolean }
  /** The version whose index entry was `created` last. */
  | { readonly by: 'newest'; readonly includePrerelease?: boolean };

/** What Helm installs when no version is given: the highest stable version. */
export const DEFAULT_CHART_SELECT: ChartSelect = { by: 'semver', range: '*' };

/** Throws `invalid_select` for a select that can never match (a bad range, an empty version). */
export function checkChartSelect(select: ChartSelect): void {
  if (select.by === 'semver' && semver().validRange(select.range) === null) {
    throw new SourceError('invalid_select', `"${select.range}" is not a semver range`, { range: select.range });
  }
  if (select.by === 'version' && select.version.length === 0) {
    throw new SourceError('invalid_select', 'select by version needs a version', {});
  }
}

const isPrerelease = (version: string): boolean => (semver().prerelease(version, { loose: true })?.length ?? 0) > 0;

/** The entry a select picks among one chart's versions; `undefined` when none matches. */
export function pickChartVersion(
  versions: readonly ChartVersionEntry[],
  select: ChartSelect,
): ChartVersionEntry | undefined {
  switch (select.by) {
    case 'version':
      return versions.find((v) => v.version === select.version);
    case 'semver': {
      const options = { includePrerelease: select.includePrerelease ?? false, loose: true };
      let best: { entry: ChartVersionEntry; version: Semver.SemVer } | undefined;
      for (const entry of versions) {
        const version = semver().parse(entry.version, { loose: true });
        if (!version || !semver().satisfies(version, select.range, options)) continue;
        const c = best ? semver().compare(version, best.version) : 1;
        // the same version written twice (`v1.0.0`, `1.0.0`): the larger string, whatever the order
        if (c > 0 || (c === 0 && best && entry.version > best.entry.version)) best = { entry, version };
      }
      return best?.entry;
    }
    case 'newest': {
      let best: ChartVersionEntry | undefined;
      for (const entry of versions) {
        const time = entry.created?.getTime();
        if (time === undefined || (!select.includePrerelease && isPrerelease(entry.version))) continue;
        const bestTime = best?.created?.getTime() ?? Number.NEGATIVE_INFINITY;
        // equal times: the higher version, so the choice does not depend on the file's order
        if (time > bestTime || (time === bestTime && best && compareLoosely(entry.version, best.version) > 0)) {
          best = entry;
        }
      }
      return best;
    }
  }
}

/** Semver order where both parse, else plain string order. */
function compareLoosely(a: string, b: string): number {
  const va = semver().parse(a, { loose: true });
  const vb = semver().parse(b, { loose: true });
  if (va && vb) return semver().compare(va, vb);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** ` 1.2.3`, ` semver ^1.2`, ` newest`: how a select reads in `describe()`. */
export function describeChartSelect(select: ChartSelect): string {
  const pre = 'includePrerelease' in select && select.includePrerelease ? ' (with prereleases)' : '';
  switch (select.by) {
    case 'version':
      return ` ${select.version}`;
    case 'semver':
      return ` semver ${select.range}${pre}`;
    case 'newest':
      return ` newest${pre}`;
  }
}
