import type { FileUpdater, HelmChart } from '@gantry/core';
import type { YAMLMap } from 'yaml';
import { type ParsedFile, parseFile } from './document.js';
import { updaterError } from './fail.js';
import { fieldOf, type FileObject, keys, mapAt, oneObject } from './flux-objects.js';
import { mapGet } from './path.js';
import { readChartVersion } from './yaml-path.js';
import { applyEdits, type Edit, insertPair } from './splice.js';
import type { Slot } from './slot.js';
import type { VersionCheck } from './version-text.js';
import { isMap, isScalar } from 'yaml';

export interface HelmReleaseChartOptions extends VersionCheck {
  /** `metadata.name` of the HelmRelease, needed only when the file holds several. */
  readonly name?: string;
  /**
   * The chart's name, for files that hold only the version: a per-environment patch of a
   * HelmRelease whose chart is named in the base. Without it such a file is written
   * whatever the chart (any chart accepted) but cannot be read.
   */
  readonly chart?: string;
}

const CHART_SPEC = 'spec.chart.spec';

/** Where the chart of a release is: its own chart template, or the object its `chartRef` names. */
export interface ChartPlace {
  readonly name?: Slot;
  readonly version?: Slot;
  /** Where a missing version is added, and under which key. */
  readonly map: YAMLMap;
  readonly versionKey: string;
  readonly path: string;
  readonly line: number;
  readonly repository?: string;
  readonly chartName?: string;
}

/**
 * The chart of a Flux `HelmRelease`: `spec.chart.spec.version` (and `.chart`), or the
 * object its `spec.chartRef` names when the file holds it: an `OCIRepository`
 * (`spec.ref.tag` or `semver`) or a `HelmChart` (`spec.version`). A release without a
 * version (Flux then takes the latest) is not pinned yet; writing adds `version`. A range
 * (`6.5.*`, `>=6.0.0`) is an error unless `holdsRanges`.
 */
export function helmReleaseChart(options: HelmReleaseChartOptions = {}): FileUpdater<HelmChart> {
  function place(file: ParsedFile): ChartPlace {
    const release = oneObject(file, 'HelmRelease', options.name, CHART_SPEC);
    const spec = mapGet(release.root, 'spec');
    const chartRef = isMap(spec) ? mapGet(spec, 'chartRef') : undefined;
    if (isMap(chartRef) && !(isMap(spec) && mapGet(spec, 'chart'))) return referenced(file, release, chartRef);
    const map = mapAt(file, release, keys('spec', 'chart', 'spec'), CHART_SPEC);
    const name = fieldOf(file, map, 'chart', CHART_SPEC);
    const version = fieldOf(file, map, 'version', CHART_SPEC);
    const sourceRef = mapGet(map, 'sourceRef');
    const repoNode = isMap(sourceRef) ? mapGet(sourceRef, 'name') : undefined;
    return {
      map,
      versionKey: 'version',
      path: `${CHART_SPEC}.version`,
      line: file.lineOf(map.range?.[0] ?? release.line),
      ...(name ? { name } : {}),
      ...(version ? { version } : {}),
      ...(isScalar(repoNode) && repoNode.value ? { repository: String(repoNode.value) } : {}),
    };
  }

  function referenced(file: ParsedFile, release: FileObject, chartRef: YAMLMap): ChartPlace {
    const kind = fieldOf(file, chartRef, 'kind', 'spec.chartRef')?.text ?? '';
    const name = fieldOf(file, chartRef, 'name', 'spec.chartRef')?.text;
    if (kind !== 'OCIRepository' && kind !== 'HelmChart') {
      throw updaterError(
        { file: file.file, path: 'spec.chartRef', line: file.lineOf(chartRef.range?.[0] ?? release.line) },
        `the HelmRelease takes its chart from a ${kind || '(no kind)'}, which holds no version Gantry can write`,
      );
    }
    const target = (() => {
      try {
        return oneObject(file, kind, name, 'spec.chartRef');
      } catch {
        throw updaterError(
          { file: file.file, path: 'spec.chartRef', line: file.lineOf(chartRef.range?.[0] ?? release.line) },
          `the HelmRelease takes its chart from ${kind} "${name}", which is not in this file; point the phase at the file that holds it (updater ${kind === 'OCIRepository' ? 'flux-oci-repository' : 'chart-version-path'})`,
        );
      }
    })();
    return kind === 'OCIRepository' ? ociRepositoryPlace(file, target) : helmChartPlace(file, target);
  }

  const chartName = (file: ParsedFile, p: ChartPlace): string => {
    const named = p.chartName ?? p.name?.text;
    if (named !== undefined && options.chart !== undefined && named !== options.chart) {
      throw updaterError(
        p.name?.where ?? { file: file.file, path: p.path, line: p.line },
        `the file names chart "${named}", not "${options.chart}"`,
      );
    }
    const chart = named ?? options.chart;
    if (chart === undefined) {
      throw updaterError(
        { file: file.file, path: p.path, line: p.line },
        'the file holds the version but names no chart (a patch whose chart is named in the base); give the chart name (option chart)',
      );
    }
    return chart;
  };

  return {
    describe: () => `helm release chart${options.name ? ` (${options.name})` : ''}`,
    read(content, file) {
      const parsed = parseFile(content, file, CHART_SPEC);
      const p = place(parsed);
      const name = chartName(parsed, p);
      if (p.version === undefined) return undefined;
      return readChartVersion(p.version, name, options, p.repository);
    },
    write(content, chart, file) {
      const parsed = parseFile(content, file, CHART_SPEC);
      const p = place(parsed);
      if (options.chart !== undefined && chart.name !== options.chart) {
        throw updaterError(
          { file, path: p.path, line: p.line },
          `the version is of chart "${chart.name}", and this place holds chart "${options.chart}"`,
        );
      }
      const edits: (Edit | undefined)[] = [
        p.name && p.chartName === undefined ? p.name.set(chart.name) : undefined,
        p.version ? p.version.set(chart.version) : insertPair(parsed, p.map, p.versionKey, chart.version),
      ];
      return applyEdits(content, edits);
    },
  };
}

/** The version of an `OCIRepository` holding a chart: `spec.ref.semver` (which Flux prefers) or `spec.ref.tag`. */
export function ociRepositoryPlace(file: ParsedFile, o: FileObject, chart?: string): ChartPlace {
  const ref = mapAt(file, o, keys('spec', 'ref'), 'spec.ref');
  const digest = fieldOf(file, ref, 'digest', 'spec.ref');
  if (digest?.text !== undefined) {
    throw updaterError(
      digest.where,
      `OCIRepository "${o.name}" is pinned by spec.ref.digest, which takes precedence over tag and semver; a chart version cannot be written there (remove the digest, or promote the artifact by digest with flux-oci-artifact)`,
    );
  }
  const semver = fieldOf(file, ref, 'semver', 'spec.ref');
  const tag = fieldOf(file, ref, 'tag', 'spec.ref');
  const url = mapAt(file, o, keys('spec'), 'spec');
  const urlText = fieldOf(file, url, 'url', 'spec')?.text;
  const version = semver ?? tag;
  return {
    map: ref,
    versionKey: semver ? 'semver' : 'tag',
    path: semver ? 'spec.ref.semver' : 'spec.ref.tag',
    line: file.lineOf(ref.range?.[0] ?? o.line),
    ...(version ? { version } : {}),
    chartName: chart ?? (urlText ? (urlText.split('/').pop() ?? urlText) : o.name),
    ...(urlText ? { repository: urlText } : {}),
  };
}

/** The version of a Flux `HelmChart` object: `spec.version`, with `spec.chart`. */
function helmChartPlace(file: ParsedFile, o: FileObject): ChartPlace {
  const spec = mapAt(file, o, keys('spec'), 'spec');
  const name = fieldOf(file, spec, 'chart', 'spec');
  const version = fieldOf(file, spec, 'version', 'spec');
  return {
    map: spec,
    versionKey: 'version',
    path: 'spec.version',
    line: file.lineOf(spec.range?.[0] ?? o.line),
    ...(name ? { name } : {}),
    ...(version ? { version } : {}),
  };
}
