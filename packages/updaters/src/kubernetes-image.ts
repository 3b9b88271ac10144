import { isMap, isScalar, type Node } from 'yaml';
import { type ParsedFile, parseBlockFile, parseFile } from './document.js';
import { updaterError } from './fail.js';
import type { ImageUpdater } from './helm-values.js';
import { comparesByTag, formatReference, type ImageWriteOptions, readReference } from './image-codec.js';
import type { OciImage } from '@gantry/core';
import { describeMiss } from './locate.js';
import { formatPath, lookup, mapGet, type Segment, seqFieldValues } from './path.js';
import { type Slot, yamlSlot } from './slot.js';
import { applyEdits } from './splice.js';

export interface KubernetesImageOptions extends ImageWriteOptions {
  /** The container's `name`. */
  readonly container: string;
  /** An env var of that container that mirrors the digest, e.g. `APP_IMAGE_DIGEST`. */
  readonly envVar?: string;
  /** Look in `initContainers` instead of `containers`. */
  readonly initContainer?: boolean;
}

const key = (k: string): Segment => ({ kind: 'key', key: k });
const POD_TEMPLATE: Segment[] = ['spec', 'template', 'spec'].map(key);
const POD_SPEC: Readonly<Record<string, Segment[]>> = {
  Pod: [key('spec')],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'].map(key),
  Deployment: POD_TEMPLATE,
  StatefulSet: POD_TEMPLATE,
  DaemonSet: POD_TEMPLATE,
  ReplicaSet: POD_TEMPLATE,
  ReplicationController: POD_TEMPLATE,
  Job: POD_TEMPLATE,
};

interface Match {
  readonly image: Slot;
  readonly env?: Slot;
}

/**
 * The image of one container, by name, in any workload of a (multi-document) manifest
 * file: Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod, and other
 * kinds shaped like a Deployment (`spec.template.spec`, e.g. an Argo Rollout).
 *
 * `read` takes the first match; `write` sets every container of that name in the file,
 * so workloads that share an image (app and its canary) move together.
 */
export function kubernetesImage(options: KubernetesImageOptions): ImageUpdater {
  return new KubernetesImage(options);
}

/**
 * A class, its functions on the prototype: a fleet holds one per phase (20,000 at 10,000
 * pipelines), where closures made per instance cost a context and half a dozen functions each.
 */
class KubernetesImage implements ImageUpdater {
  readonly comparesBy: 'tag' | 'digest';
  private readonly listKey: string;
  private readonly otherKey: string;
  /** `container app` or `init container migrate`: what the errors say was not found. */
  private readonly what: string;
  private readonly label: string;
  private readonly defaultPath: string;

  constructor(private readonly options: KubernetesImageOptions) {
    this.comparesBy = comparesByTag(options.form) ? 'tag' : 'digest';
    this.listKey = options.initContainer ? 'initContainers' : 'containers';
    this.otherKey = options.initContainer ? 'containers' : 'initContainers';
    this.what = `${options.initContainer ? 'init container' : 'container'} ${options.container}`;
    this.label = options.envVar ? `${this.what}, env ${options.envVar}` : this.what;
    this.defaultPath = formatPath([
      ...POD_TEMPLATE,
      key(this.listKey),
      { kind: 'match', field: 'name', value: options.container },
    ]);
  }

  describe(): string {
    return `kubernetes image (${this.label})`;
  }

  read(content: string, file: string): OciImage | undefined {
    const quick = parseBlockFile(content, file);
    if (quick) {
      try {
        const [first] = this.matches(quick);
        if (first) return readReference(first.image, this.options.form);
      } catch {
        // what is wrong with the file is told from the full parse below, as always
      }
    }
    const [first] = this.matches(parseFile(content, file, this.defaultPath));
    return first && readReference(first.image, this.options.form);
  }

  write(content: string, image: OciImage, file: string): string {
    const { envVar } = this.options;
    const parsed = parseFile(content, file, this.defaultPath);
    const edits = this.matches(parsed).flatMap((m) => [
      m.image.set(formatReference(m.image.text, image, this.options, m.image.where)),
      m.env?.set(
        image.digest ??
          (() => {
            throw updaterError(
              m.env?.where ?? m.image.where,
              `env var "${envVar}" mirrors a digest, and the version has none`,
            );
          })(),
      ),
    ]);
    return applyEdits(content, edits);
  }

  private matches(file: ParsedFile): Match[] {
    const { container } = this.options;
    const { listKey, otherKey } = this;
    const found: Match[] = [];
    const tried = new Set<string>();
    const names = new Set<string>();
    let inOtherList = false;
    const kinds: string[] = [];
    let listLine: number | undefined;
    for (const doc of file.documents) {
      const root = doc.contents as Node | null;
      if (!isMap(root)) continue;
      const kind = mapGet(root, 'kind');
      const kindName = isScalar(kind) ? String(kind.value) : '(no kind)';
      kinds.push(kindName);
      const podSpec = POD_SPEC[kindName] ?? (lookup(root, POD_TEMPLATE).found ? POD_TEMPLATE : undefined);
      if (podSpec === undefined) continue;
      const list = [...podSpec, key(listKey)];
      const at: Segment[] = [...list, { kind: 'match', field: 'name', value: container }];
      const imagePath = formatPath([...at, key('image')]);
      tried.add(imagePath);
      const listHit = lookup(root, list);
      if (listHit.found && listHit.node) {
        for (const n of seqFieldValues(listHit.node, 'name')) names.add(n);
        listLine ??= file.lineOf(listHit.node.range?.[0] ?? 0);
      }
      const other = lookup(root, [...podSpec, key(otherKey)]);
      if (other.found && other.node && seqFieldValues(other.node, 'name').includes(container)) inOtherList = true;
      if (!lookup(root, at).found) continue;
      const image = lookup(root, [...at, key('image')]);
      if (!image.found) {
        const item = lookup(root, at);
        const line = file.lineOf((item.found && item.node?.range?.[0]) || 0);
        throw updaterError({ file: file.file, path: imagePath, line }, `container "${container}" has no image`);
      }
      found.push({ image: yamlSlot(file, image.node, imagePath), ...this.envMatch(file, root, at) });
    }
    if (found.length > 0) return found;
    if (tried.size === 0) {
      const seen = kinds.length > 0 ? kinds.join(', ') : 'none';
      throw updaterError(
        { file: file.file, path: this.defaultPath, line: 1, found: kinds },
        `no Kubernetes workload in the file (kinds: ${seen})`,
      );
    }
    const existing = names.size > 0 ? [...names].join(', ') : '(none)';
    const hint = inOtherList
      ? `; "${container}" is in ${otherKey} (option initContainer: ${!this.options.initContainer})`
      : '';
    throw updaterError(
      { file: file.file, path: [...tried].join(' | '), line: listLine ?? 1, found: [...names] },
      `${this.what} not found; ${listKey} in the file: ${existing}${hint}`,
    );
  }

  private envMatch(file: ParsedFile, root: Node, at: Segment[]): { env?: Slot } {
    const { envVar, container } = this.options;
    if (!envVar) return {};
    const segments: Segment[] = [...at, key('env'), { kind: 'match', field: 'name', value: envVar }, key('value')];
    const path = formatPath(segments);
    const hit = lookup(root, segments);
    if (!hit.found) {
      const why = describeMiss(segments, hit);
      throw updaterError(
        { file: file.file, path, line: file.lineOf(hit.at?.range?.[0] ?? 0), found: hit.known },
        `env var "${envVar}" not found in container "${container}": ${why}`,
      );
    }
    return { env: yamlSlot(file, hit.node, path) };
  }
}
