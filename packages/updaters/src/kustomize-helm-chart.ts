import type { FileUpdater, HelmChart } from '@gantry/core';
import { isMap, isScalar, isSeq } from 'yaml';
import { parseFile } from './document.js';
import { listed, updaterError } from './fail.js';
import { fieldOf } from './flux-objects.js';
import { mapGet, seqFieldValues } from './path.js';
import { applyEdits, insertPairSorted } from './splice.js';
import type { VersionCheck } from './version-text.js';
import { readChartVersion } from './yaml-path.js';

export interface KustomizeHelmChartOptions extends VersionCheck {
  /** The entry's `name`: the chart kustomize inflates (`helmCharts[name=…]`). */
  readonly name: string;
}

/**
 * A chart Kustomize inflates: the `version` of a `helmCharts:` entry of a kustomization
 * (`kustomize build --enable-helm`). An entry without a version (the latest) is not pinned
 * yet; writing adds it.
 */
export function kustomizeHelmChart(options: KustomizeHelmChartOptions): FileUpdater<HelmChart> {
  const path = `helmCharts[name=${options.name}]`;
  const entry = (content: string, file: string) => {
    const parsed = parseFile(content, file, path);
    const root = parsed.documents.find((d) => isMap(d.contents))?.contents;
    const list = isMap(root) ? mapGet(root, 'helmCharts') : undefined;
    const item = isSeq(list)
      ? list.items.find((it) => {
          const n = isMap(it) ? mapGet(it, 'name') : undefined;
          return isScalar(n) && String(n.value) === options.name;
        })
      : undefined;
    if (!isMap(item)) {
      const names = isSeq(list) ? seqFieldValues(list, 'name') : [];
      throw updaterError(
        { file, path, line: parsed.lineOf(list?.range?.[0] ?? 0), found: names },
        isSeq(list)
          ? `no helmCharts entry with name=${options.name}; names there: ${listed(names)}`
          : 'the kustomization has no helmCharts list',
      );
    }
    return {
      parsed,
      item,
      version: fieldOf(parsed, item, 'version', path),
      repo: fieldOf(parsed, item, 'repo', path)?.text,
    };
  };
  return {
    describe: () => `kustomize helm chart ${options.name}`,
    read(content, file) {
      const e = entry(content, file);
      return e.version && readChartVersion(e.version, options.name, options, e.repo);
    },
    write(content, chart, file) {
      const e = entry(content, file);
      return applyEdits(content, [
        e.version ? e.version.set(chart.version) : insertPairSorted(e.parsed, e.item, 'version', chart.version),
      ]);
    },
  };
}
