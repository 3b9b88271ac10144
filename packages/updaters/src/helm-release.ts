import { type FileUpdater, type HelmChart, UpdaterError } from '@gantry/core';
import { isMap, isScalar, type Node, type YAMLMap } from 'yaml';
import { type ParsedFile, parseFile } from './document.js';
import { expectScalar, findIn } from './locate.js';
import { formatPath, mapGet, type Segment } from './path.js';
import { applyEdits, insertPair, replaceScalar, scalarText } from './splice.js';

export interface HelmReleaseChartOptions {
  /** `metadata.name` of the HelmRelease, needed only when the file holds several. */
  readonly name?: string;
}

const CHART_SPEC: Segment[] = ['spec', 'chart', 'spec'].map((key) => ({ kind: 'key', key }));
const PATH = formatPath(CHART_SPEC);

/**
 * The chart of a Flux `HelmRelease`: `spec.chart.spec.chart` and `.version`, with
 * `.sourceRef.name` read into `repository` for information. A release without a version
 * (Flux then takes the latest) is not pinned yet; writing adds the `version` key.
 */
export function helmReleaseChart(options: HelmReleaseChartOptions = {}): FileUpdater<HelmChart> {
  function chartSpec(file: ParsedFile): YAMLMap {
    const releases: { name: string; root: Node }[] = [];
    for (const doc of file.documents) {
      const root = doc.contents as Node | null;
      if (!isMap(root)) continue;
      const kind = mapGet(root, 'kind');
      const name = findName(root);
      if (isScalar(kind) && kind.value === 'HelmRelease') releases.push({ name, root });
    }
    const chosen = options.name === undefined ? releases : releases.filter((r) => r.name === options.name);
    const names = releases.map((r) => r.name).join(', ') || '(none)';
    const context = { file: file.file, path: PATH };
    const named = options.name ? ` named "${options.name}"` : '';
    if (chosen.length === 0) throw new UpdaterError(`no HelmRelease${named}; HelmReleases: ${names}`, context);
    if (chosen.length > 1) throw new UpdaterError(`several HelmReleases (${names}); choose one by name`, context);
    const spec = findIn(file, (chosen[0] as { root: Node }).root, CHART_SPEC);
    if (!isMap(spec)) throw new UpdaterError('expected a map', context);
    return spec;
  }

  const field = (file: ParsedFile, spec: YAMLMap, key: string) => {
    const node = mapGet(spec, key);
    return node === undefined || node === null ? undefined : expectScalar(file, node, `${PATH}.${key}`);
  };

  return {
    describe: () => `helm release chart${options.name ? ` (${options.name})` : ''}`,
    read(content, file) {
      const parsed = parseFile(content, file, PATH);
      const spec = chartSpec(parsed);
      const chartNode = field(parsed, spec, 'chart');
      const name = chartNode && scalarText(chartNode);
      if (name === undefined) throw new UpdaterError('the HelmRelease names no chart', { file, path: `${PATH}.chart` });
      const versionNode = field(parsed, spec, 'version');
      const version = versionNode && scalarText(versionNode);
      if (version === undefined) return undefined;
      const sourceRef = mapGet(spec, 'sourceRef');
      const repoNode = isMap(sourceRef) ? mapGet(sourceRef, 'name') : undefined;
      const repository = isScalar(repoNode) ? scalarText(repoNode) : undefined;
      return { kind: 'helm-chart', name, version, ...(repository ? { repository } : {}) };
    },
    write(content, chart, file) {
      const parsed = parseFile(content, file, PATH);
      const spec = chartSpec(parsed);
      const chartNode = field(parsed, spec, 'chart');
      const versionNode = field(parsed, spec, 'version');
      return applyEdits(content, [
        chartNode ? replaceScalar(parsed, chartNode, chart.name) : insertPair(parsed, spec, 'chart', chart.name),
        versionNode
          ? replaceScalar(parsed, versionNode, chart.version)
          : insertPair(parsed, spec, 'version', chart.version),
      ]);
    },
  };
}

function findName(root: YAMLMap): string {
  const metadata = mapGet(root, 'metadata');
  const name = isMap(metadata) ? mapGet(metadata, 'name') : undefined;
  return isScalar(name) ? String(name.value) : '(unnamed)';
}
