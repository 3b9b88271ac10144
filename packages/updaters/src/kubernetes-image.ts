import { isMap, isScalar, type Node } from 'yaml';
import { type ParsedFile, parseBlockFile, parseFile } from './document.js';
import { updaterError } from './fail.js';
import type { ImageUpdater } from './helm-values.js';
import { comparesByTag, formatReference, type ImageWriteOptions, readReference } from './image-codec.js';
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
  const { container, envVar } = options;
  const listKey = options.initContainer ? 'initContainers' : 'containers';
  const otherKey = options.initContainer ? 'containers' : 'initContainers';
  const label = [`${options.initContainer ? 'init container' : 'container'} ${container}`];
  if (envVar) label.push(`env ${envVar}`);
  const defaultPath = formatPath([...POD_TEMPLATE, key(listKey), { kind: 'match', field: 'name', value: container }]);

  function matches(file: ParsedFile): Match[] {
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
      found.push({ image: yamlSlot(file, image.node, imagePath), ...envMatch(file, root, at) });
    }
    if (found.length > 0) return found;
    if (tried.size === 0) {
      const seen = kinds.length > 0 ? kinds.join(', ') : 'none';
      throw updaterError(
        { file: file.file, path: defaultPath, line: 1, found: kinds },
        `no Kubernetes workload in the file (kinds: ${seen})`,
      );
    }
    const existing = names.size > 0 ? [...names].join(', ') : '(none)';
    const hint = inOtherList
      ? `; "${container}" is in ${otherKey} (option initContainer: ${!options.initContainer})`
      : '';
    throw updaterError(
      { file: file.file, path: [...tried].join(' | '), line: listLine ?? 1, found: [...names] },
      `${label[0]} not found; ${listKey} in the file: ${existing}${hint}`,
    );
  }

  function envMatch(file: ParsedFile, root: Node, at: Segment[]): { env?: Slot } {
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

  return {
    comparesBy: comparesByTag(options.form) ? 'tag' : 'digest',
    describe: () => `kubernetes image (${label.join(', ')})`,
    read(content, file) {
      const quick = parseBlockFile(content, file);
      if (quick) {
        try {
          const [first] = matches(quick);
          if (first) return readReference(first.image, options.form);
        } catch {
          // what is wrong with the file is told from the full parse below, as always
        }
      }
      const [first] = matches(parseFile(content, file, defaultPath));
      return first && readReference(first.image, options.form);
    },
    write(content, image, file) {
      const parsed = parseFile(content, file, defaultPath);
      const edits = matches(parsed).flatMap((m) => [
        m.image.set(formatReference(m.image.text, image, options, m.image.where)),
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
    },
  };
}
