import {
  type FileUpdater,
  type HelmChart,
  isGantryError,
  ociImage,
  type Resource,
  type ResourceType,
} from '@gantry/core';
import { parseFile } from './document.js';
import { updaterError } from './fail.js';
import type { ImageUpdater } from './helm-values.js';
import { comparesByTag, formatReference, type ImageWriteOptions, readReference } from './image-codec.js';
import { type DocumentSelector, findSlot } from './locate.js';
import { formatPath, parsePath } from './path.js';
import type { Slot } from './slot.js';
import { applyEdits } from './splice.js';
import { checkVersion, type VersionCheck } from './version-text.js';

export interface YamlPathOptions<R extends Resource> {
  /** `a.b[0].c`, `spec.containers[name=app].image`, `metadata.labels["app.kubernetes.io/version"]`. */
  readonly path: string;
  readonly resource: ResourceType<R>;
  /** The text written at the path. */
  format(resource: R): string;
  /** The resource the text stands for; `undefined` when it holds no pinned version yet. */
  parse(text: string): R | undefined;
  /** In a multi-document file, the document (by kind and name) that holds the path. */
  readonly select?: DocumentSelector;
}

interface ScalarAtOptions<R extends Resource> {
  readonly path: string;
  readonly describe: string;
  readonly select?: DocumentSelector;
  read(slot: Slot): R | undefined;
  /** `slot.text` is the text there now, for formats that keep a choice the file made. */
  format(resource: R, slot: Slot): string;
}

/** One value of any YAML or JSON file, in the one document that has the path. */
function scalarAt<R extends Resource>(options: ScalarAtOptions<R>): FileUpdater<R> {
  const segments = parsePath(options.path);
  const path = formatPath(segments);
  return {
    describe: () => options.describe,
    read(content, file) {
      return options.read(findSlot(parseFile(content, file, path), segments, options.select));
    },
    write(content, resource, file) {
      const slot = findSlot(parseFile(content, file, path), segments, options.select);
      return applyEdits(content, [slot.set(options.format(resource, slot))]);
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
    ...(options.select ? { select: options.select } : {}),
    read(slot) {
      const text = slot.text;
      if (text === undefined) return undefined;
      try {
        const parsed = options.parse(text);
        return parsed === undefined ? undefined : options.resource.parse(parsed);
      } catch (e) {
        if (isGantryError(e)) throw e;
        const why = e instanceof Error ? e.message : String(e);
        throw updaterError(slot.where, `cannot read "${text}" as ${options.resource.kind}: ${why}`);
      }
    },
    format: (resource) => options.format(resource),
  });
}

export interface ImageAtPathOptions extends ImageWriteOptions {
  readonly select?: DocumentSelector;
}

/**
 * A whole image reference (`repo[:tag][@digest]`) at a path. By default it pins by digest
 * and a tag-only reference is not pinned yet; with `form: 'tag'` the place holds tags.
 */
export function imageAtPath(path: string, options: ImageAtPathOptions = {}): ImageUpdater {
  return {
    comparesBy: comparesByTag(options.form) ? 'tag' : 'digest',
    ...scalarAt({
      path,
      describe: `${ociImage.kind} at ${path}`,
      ...(options.select ? { select: options.select } : {}),
      read: (slot) => readReference(slot, options.form),
      format: (image, slot) => formatReference(slot.text, image, options, slot.where),
    }),
  };
}

export interface ChartVersionAtPathOptions extends VersionCheck {
  readonly path: string;
  /** The chart's name: the file holds only the version. */
  readonly name: string;
  readonly select?: DocumentSelector;
}

/** A chart version in a slot: one exact version, never a range or a template. */
export function readChartVersion(
  slot: Slot,
  name: string,
  check: VersionCheck,
  repository?: string,
): HelmChart | undefined {
  const text = slot.text;
  if (text === undefined || !checkVersion(text, slot.where, check)) return undefined;
  return { kind: 'helm-chart', name, version: text, ...(repository ? { repository } : {}) };
}

/** A Helm chart version at a path (an umbrella chart's dependency, an Argo CD `targetRevision`). */
export function chartVersionAtPath(options: ChartVersionAtPathOptions): FileUpdater<HelmChart> {
  return scalarAt<HelmChart>({
    path: options.path,
    describe: `helm chart ${options.name} version at ${options.path}`,
    ...(options.select ? { select: options.select } : {}),
    read: (slot) => readChartVersion(slot, options.name, options),
    format: (chart) => chart.version,
  });
}
