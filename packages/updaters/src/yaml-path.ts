import {
  type FileUpdater,
  type HelmChart,
  isGantryError,
  type OciImage,
  ociImage,
  type Resource,
  type ResourceType,
  UpdaterError,
} from '@gantry/core';
import { parseFile } from './document.js';
import { formatImageText, readImageText } from './image-text.js';
import { findScalar } from './locate.js';
import { formatPath, parsePath } from './path.js';
import { applyEdits, replaceScalar, scalarText } from './splice.js';

export interface YamlPathOptions<R extends Resource> {
  /** `a.b[0].c`, `spec.containers[name=app].image`, `metadata.labels["app.kubernetes.io/version"]`. */
  readonly path: string;
  readonly resource: ResourceType<R>;
  /** The text written at the path. */
  format(resource: R): string;
  /** The resource the text stands for; `undefined` when it holds no pinned version yet. */
  parse(text: string): R | undefined;
}

interface ScalarAtOptions<R extends Resource> {
  readonly path: string;
  readonly describe: string;
  read(text: string | undefined, file: string, path: string): R | undefined;
  /** `current` is the text there now, for formats that keep a choice the file made. */
  format(resource: R, current: string | undefined): string;
}

/** One value of any YAML or JSON file, in the first document that has the path. */
function scalarAt<R extends Resource>(options: ScalarAtOptions<R>): FileUpdater<R> {
  const segments = parsePath(options.path);
  const path = formatPath(segments);
  return {
    describe: () => options.describe,
    read(content, file) {
      const node = findScalar(parseFile(content, file, path), segments);
      return options.read(scalarText(node), file, path);
    },
    write(content, resource, file) {
      const parsed = parseFile(content, file, path);
      const node = findScalar(parsed, segments);
      return applyEdits(content, [replaceScalar(parsed, node, options.format(resource, scalarText(node)))]);
    },
  };
}

/**
 * Any resource at a path of a YAML or JSON file, with your own text format. JSON files
 * (`.json`, or text opening with `{`) get JSON strings, so they stay valid JSON.
 */
export function yamlPath<R extends Resource>(options: YamlPathOptions<R>): FileUpdater<R> {
  return scalarAt<R>({
    path: options.path,
    describe: `${options.resource.kind} at ${options.path}`,
    read(text, file, path) {
      if (text === undefined) return undefined;
      try {
        const parsed = options.parse(text);
        return parsed === undefined ? undefined : options.resource.parse(parsed);
      } catch (e) {
        if (isGantryError(e)) throw e;
        const why = e instanceof Error ? e.message : String(e);
        throw new UpdaterError(`cannot read "${text}" as ${options.resource.kind}: ${why}`, { file, path });
      }
    },
    format: (resource) => options.format(resource),
  });
}

/** A full image reference (`repo[:tag]@digest`) at a path; tag-only means not pinned yet. */
export function imageAtPath(path: string): FileUpdater<OciImage> {
  return scalarAt<OciImage>({
    path,
    describe: `${ociImage.kind} at ${path}`,
    read: readImageText,
    format: formatImageText,
  });
}

export interface ChartVersionAtPathOptions {
  readonly path: string;
  /** The chart's name: the file holds only the version. */
  readonly name: string;
}

/** A Helm chart version at a path (an umbrella chart's dependency, an Argo CD `targetRevision`). */
export function chartVersionAtPath(options: ChartVersionAtPathOptions): FileUpdater<HelmChart> {
  return scalarAt<HelmChart>({
    path: options.path,
    describe: `helm chart ${options.name} version at ${options.path}`,
    read: (text) => (text === undefined ? undefined : { kind: 'helm-chart', name: options.name, version: text }),
    format: (chart) => chart.version,
  });
}
