import { type FileUpdater, type GitCommit, type HelmChart, parseImageReference } from '@gantry/core';
import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import { type ParsedFile, parseFile } from './document.js';
import { listed, updaterError } from './fail.js';
import { type FileObject, fieldOf, objectsOf } from './flux-objects.js';
import { type HelmValuesOptions, type ImageUpdater, valuesImage } from './helm-values.js';
import {
  comparesByTag,
  type FieldsOptions,
  fieldsPinDigest,
  formatReference,
  type ImageFields,
  type ImageWriteOptions,
  readFields,
  readReference,
  repositoryToWrite,
  writeFields,
} from './image-codec.js';
import { formatPath, mapGet, type Segment } from './path.js';
import { type Slot, yamlSlot } from './slot.js';
import { applyEdits, type Edit, eolOf, pairText } from './splice.js';
import { textSlot } from './text-slot.js';
import { readChartVersion } from './yaml-path.js';
import type { VersionCheck } from './version-text.js';

/** Which Application (or ApplicationSet) of the file, and which of its sources. */
export interface ArgoCdSourceOptions {
  /** `metadata.name`, needed only when the file holds several Applications/ApplicationSets. */
  readonly application?: string;
  /** For multi-source Applications (`spec.sources`): the source with this `chart`… */
  readonly chart?: string;
  /** …or this `repoURL`. */
  readonly repoURL?: string;
}

interface SourceHit {
  readonly map: YAMLMap;
  readonly segments: Segment[];
  readonly line: number;
}

const key = (k: string): Segment => ({ kind: 'key', key: k });
const text = (m: YAMLMap, k: string): string | undefined => {
  const v = mapGet(m, k);
  return isScalar(v) && v.value !== null ? String(v.value) : undefined;
};

/**
 * The source of an Argo CD `Application` (`spec.source`, or one of `spec.sources`) or of an
 * `ApplicationSet`'s template (`spec.template.spec.source…`), chosen by chart or repoURL.
 */
export function findSource(file: ParsedFile, o: ArgoCdSourceOptions, path: string): SourceHit {
  const apps = objectsOf(file, ['Application', 'ApplicationSet']);
  const chosen = o.application === undefined ? apps : apps.filter((a) => a.name === o.application);
  const names = apps.map((a) => `${a.kind} ${a.name}`);
  if (chosen.length !== 1) {
    throw updaterError(
      { file: file.file, path, line: (chosen[1] ?? apps[0])?.line ?? 1, found: names },
      chosen.length === 0
        ? `no Application or ApplicationSet${o.application ? ` named "${o.application}"` : ''}; in the file: ${listed(names)}`
        : `several Applications (${names.join(', ')}); choose one by name (option application)`,
    );
  }
  const app = chosen[0] as FileObject;
  const base = app.kind === 'ApplicationSet' ? ['spec', 'template', 'spec'] : ['spec'];
  let spec: Node | null | undefined = app.root;
  for (const k of base) spec = isMap(spec) ? mapGet(spec, k) : undefined;
  const where = { file: file.file, path: `${base.join('.')}.source`, line: app.line };
  if (!isMap(spec)) throw updaterError(where, `the ${app.kind} has no ${base.join('.')}`);
  const single = mapGet(spec, 'source');
  const wanted = (m: YAMLMap) =>
    (o.chart === undefined || text(m, 'chart') === o.chart) &&
    (o.repoURL === undefined || text(m, 'repoURL') === o.repoURL);
  if (isMap(single)) {
    if (!wanted(single))
      throw updaterError(
        where,
        `spec.source is not the source asked for (chart ${text(single, 'chart') ?? '(none)'}, repoURL ${text(single, 'repoURL') ?? '(none)'})`,
      );
    return { map: single, segments: [...base.map(key), key('source')], line: file.lineOf(single.range?.[0] ?? 0) };
  }
  const many = mapGet(spec, 'sources');
  if (!isSeq(many)) throw updaterError({ ...where, found: [] }, `the ${app.kind} has neither source nor sources`);
  const indexed = many.items.map((m, i) => ({ m, i })).filter((x): x is { m: YAMLMap; i: number } => isMap(x.m));
  const hits = indexed.filter((x) => wanted(x.m));
  const described = indexed.map((x) => `[${x.i}] ${text(x.m, 'chart') ?? text(x.m, 'repoURL') ?? '?'}`);
  if (hits.length !== 1) {
    throw updaterError(
      { file: file.file, path: `${base.join('.')}.sources`, line: file.lineOf(many.range?.[0] ?? 0), found: described },
      `${hits.length === 0 ? 'no source' : 'several sources'} match (chart ${o.chart ?? 'any'}, repoURL ${o.repoURL ?? 'any'}); sources: ${described.join(', ')}`,
    );
  }
  const hit = hits[0] as { m: YAMLMap; i: number };
  return {
    map: hit.m,
    segments: [...base.map(key), key('sources'), { kind: 'index', index: hit.i }],
    line: file.lineOf(hit.m.range?.[0] ?? 0),
  };
}

export interface ArgoCdChartOptions extends ArgoCdSourceOptions, VersionCheck {}

/**
 * A Helm chart's version in an Argo CD source: `targetRevision` beside `chart`. Argo CD
 * accepts ranges there (`20.11.*`): an error unless `holdsRanges`.
 */
export function argoCdChart(options: ArgoCdChartOptions = {}): FileUpdater<HelmChart> {
  const path = 'source.targetRevision';
  const slots = (content: string, file: string) => {
    const parsed = parseFile(content, file, path);
    const s = findSource(parsed, options, path);
    const at = formatPath(s.segments);
    const chart = text(s.map, 'chart');
    if (chart === undefined) {
      throw updaterError(
        { file, path: `${at}.chart`, line: s.line },
        'the source names no chart (a Git source: use argocd-revision)',
      );
    }
    const revision = fieldOf(parsed, s.map, 'targetRevision', at);
    if (!revision)
      throw updaterError({ file, path: `${at}.targetRevision`, line: s.line }, 'the source has no targetRevision');
    return { chart, revision, repoURL: text(s.map, 'repoURL') };
  };
  return {
    describe: () => `argo cd chart ${options.chart ?? ''} version`.replace('  ', ' '),
    read(content, file) {
      const s = slots(content, file);
      return readChartVersion(s.revision, s.chart, options, s.repoURL);
    },
    write(content, chart, file) {
      return applyEdits(content, [slots(content, file).revision.set(chart.version)]);
    },
  };
}

/** A Git source pinned to a commit: `targetRevision` holding a commit id (a branch or `HEAD` is not pinned yet). */
export function argoCdRevision(options: ArgoCdSourceOptions = {}): FileUpdater<GitCommit> {
  const path = 'source.targetRevision';
  const slot = (content: string, file: string) => {
    const parsed = parseFile(content, file, path);
    const s = findSource(parsed, options, path);
    const at = formatPath(s.segments);
    const revision = fieldOf(parsed, s.map, 'targetRevision', at);
    if (!revision)
      throw updaterError({ file, path: `${at}.targetRevision`, line: s.line }, 'the source has no targetRevision');
    return { revision, repoURL: text(s.map, 'repoURL') };
  };
  return {
    describe: () => 'argo cd source revision',
    read(content, file) {
      const s = slot(content, file);
      const commit = s.revision.text;
      if (commit === undefined || !/^[0-9a-f]{7,64}$/.test(commit)) return undefined;
      return { kind: 'git-commit', commit, ...(s.repoURL ? { repository: s.repoURL } : {}) };
    },
    write(content, target, file) {
      return applyEdits(content, [slot(content, file).revision.set(target.commit)]);
    },
  };
}

export interface HelmParameterOptions extends ImageWriteOptions {
  /** Parameter names (`image.tag`), not paths: Argo CD's `helm.parameters[].name`. */
  readonly tag?: string;
  readonly repository?: string;
  readonly digest?: string;
  /** A parameter holding the whole reference. */
  readonly image?: string;
  readonly tagFormat?: 'tag' | 'tag@digest';
  /** The image's name when no parameter holds the repository. */
  readonly imageName?: string;
}

/** An image in `helm.parameters` under `root` (an Application's source, or a write-back file's root). */
function parameterImage(
  o: HelmParameterOptions,
  label: string,
  locate: (file: ParsedFile) => { map: YAMLMap; at: string; line: number },
  /** Image Updater's write-back file: parameters not there yet are added, as it adds them. */
  add = false,
): ImageUpdater {
  const fieldsOptions: FieldsOptions = {
    ...(o.tagFormat ? { tagFormat: o.tagFormat } : {}),
    ...(o.host ? { host: o.host } : {}),
  };
  const slots = (file: ParsedFile) => {
    const root = locate(file);
    const params = mapGet(root.map, 'helm');
    const list = isMap(params) ? mapGet(params, 'parameters') : undefined;
    const path = `${root.at ? `${root.at}.` : ''}helm.parameters`;
    const names = isSeq(list)
      ? list.items.flatMap((it) => (isMap(it) && text(it, 'name') !== undefined ? [text(it, 'name') as string] : []))
      : [];
    const param = (name: string | undefined, required: boolean): Slot | undefined => {
      if (name === undefined) return undefined;
      const item = isSeq(list) ? list.items.find((it) => isMap(it) && text(it, 'name') === name) : undefined;
      const value = isMap(item) ? mapGet(item, 'value') : undefined;
      if (value === undefined) {
        if (!required) return undefined;
        throw updaterError(
          {
            file: file.file,
            path: `${path}[name=${name}].value`,
            line: file.lineOf((list as Node | undefined)?.range?.[0] ?? 0) || root.line,
            found: names,
          },
          `no helm parameter "${name}"; parameters there: ${listed(names)}`,
        );
      }
      return yamlSlot(file, value, `${path}[name=${name}].value`);
    };
    return { root, param, path, list };
  };
  const pins =
    o.image !== undefined
      ? !comparesByTag(o.form)
      : fieldsPinDigest({ digests: o.digest ? [o.digest] : [] }, fieldsOptions);
  const fields = (file: ParsedFile): ImageFields => {
    const s = slots(file);
    const tag = s.param(o.tag, !add);
    const digest = s.param(o.digest, !add);
    const repository =
      s.param(o.repository, !add) ??
      (o.imageName === undefined
        ? undefined
        : { text: o.imageName, where: { file: file.file, path: s.path, line: s.root.line }, set: () => undefined });
    return {
      ...(repository ? { repository } : {}),
      tags: tag ? [tag] : [],
      digests: digest ? [digest] : [],
      repositoryWhere: { file: file.file, path: s.path, line: s.root.line },
    };
  };
  return {
    comparesBy: pins ? 'digest' : 'tag',
    describe: () => `${label} ${[o.image, o.repository, o.tag, o.digest].filter(Boolean).join(', ')}`,
    read(content, file) {
      const parsed = parseFile(content, file, 'helm.parameters');
      if (o.image !== undefined) return readReference(slots(parsed).param(o.image, true) as Slot, o.form);
      return readFields(fields(parsed), fieldsOptions);
    },
    write(content, image, file) {
      const parsed = parseFile(content, file, 'helm.parameters');
      if (o.image !== undefined) {
        const slot = slots(parsed).param(o.image, true) as Slot;
        return applyEdits(content, [slot.set(formatReference(slot.text, image, o, slot.where))]);
      }
      const f = fields(parsed);
      const edits = writeFields(f, image, fieldsOptions);
      if (!add) return applyEdits(content, edits);
      // parameters not there yet: added as Image Updater writes them (sorted by name, forcestring)
      const missing: [string, string][] = [];
      if (o.repository !== undefined && f.repository === undefined)
        missing.push([o.repository, repositoryToWrite(undefined, image.repository, o.host)]);
      if (o.tag !== undefined && f.tags.length === 0) {
        const tag = image.tag ?? '';
        missing.push([o.tag, o.tagFormat === 'tag@digest' && image.digest ? `${tag}@${image.digest}` : tag]);
      }
      if (o.digest !== undefined && f.digests.length === 0) missing.push([o.digest, image.digest ?? '']);
      const s = slots(parsed);
      return applyEdits(content, [
        ...edits,
        ...missing.map(([name, value]) => addParameter(parsed, s.list, s.path, name, value)),
      ]);
    },
  };
}

/** A new `helm.parameters` item, in Image Updater's shape, before the first that sorts after it. */
function addParameter(
  file: ParsedFile,
  list: Node | null | undefined,
  path: string,
  name: string,
  value: string,
): Edit {
  if (!isSeq(list) || list.items.length === 0) {
    throw updaterError(
      { file: file.file, path, line: file.lineOf(list?.range?.[0] ?? 0) },
      `no parameter "${name}" and no helm.parameters list to add it to`,
    );
  }
  const { content } = file;
  const nl = eolOf(content);
  const first = list.items[0] as Node;
  const itemStart = first.range?.[0] ?? 0;
  const lineStart = content.lastIndexOf('\n', itemStart - 1) + 1;
  const keys = ' '.repeat(itemStart - lineStart);
  const dash = ' '.repeat(Math.max(0, itemStart - lineStart - 2));
  const quote = (v: string) => pairText(file, 'k', v).slice(3);
  const block = `${dash}- name: ${quote(name)}${nl}${keys}value: ${quote(value)}${nl}${keys}forcestring: true${nl}`;
  const next = list.items.find((it) => isMap(it) && (text(it, 'name') ?? '') > name) as Node | undefined;
  if (next?.range) {
    const at = content.lastIndexOf('\n', next.range[0] - 1) + 1;
    return { start: at, end: at, text: block };
  }
  const end = list.range?.[1] ?? content.length;
  const at = content[end - 1] === '\n' ? end : content.indexOf('\n', end) + 1 || content.length;
  return { start: at, end: at, text: (at === content.length && !content.endsWith('\n') ? nl : '') + block };
}

export interface ArgoCdHelmImageOptions extends ArgoCdSourceOptions {
  /** `helm.parameters` by parameter name. */
  readonly parameters?: HelmParameterOptions;
  /** Paths under `helm.valuesObject`, as for a values file. */
  readonly valuesObject?: HelmValuesOptions;
}

/** An image in an Argo CD source's Helm settings: `helm.parameters` or `helm.valuesObject`. */
export function argoCdHelmImage(options: ArgoCdHelmImageOptions): ImageUpdater {
  const { parameters, valuesObject } = options;
  if (parameters) {
    return parameterImage(parameters, 'argo cd helm parameters', (file) => {
      const s = findSource(file, options, 'source.helm.parameters');
      return { map: s.map, at: formatPath(s.segments), line: s.line };
    });
  }
  if (!valuesObject) throw new TypeError('argoCdHelmImage: give parameters or valuesObject');
  // the source is found per file (it may be one of several); the values updater is built for it
  const probe = valuesImage(valuesObject, { label: 'argo cd helm valuesObject' });
  const at = (content: string, file: string) => {
    const s = findSource(parseFile(content, file, 'source.helm.valuesObject'), options, 'source.helm.valuesObject');
    return valuesImage(valuesObject, {
      label: 'argo cd helm valuesObject',
      root: [...s.segments, key('helm'), key('valuesObject')],
      select: {},
    });
  };
  return {
    comparesBy: probe.comparesBy,
    describe: () => probe.describe(),
    read: (content, file) => at(content, file).read(content, file),
    write: (content, image, file) => at(content, file).write(content, image, file),
  };
}

export interface KustomizeImagesOptions extends ImageWriteOptions {
  /** The image name the entry overrides (`name` of `name=newName:tag`, or the entry's own image). */
  readonly name: string;
}

/** An entry of an Argo CD `kustomize.images` list: `[name=]newName[:tag][@digest]`. */
function kustomizeImagesEntry(
  o: KustomizeImagesOptions,
  label: string,
  locate: (file: ParsedFile) => { map: YAMLMap; at: string; line: number },
): ImageUpdater {
  const entry = (file: ParsedFile) => {
    const root = locate(file);
    const k = mapGet(root.map, 'kustomize');
    const list = isMap(k) ? mapGet(k, 'images') : undefined;
    const path = `${root.at ? `${root.at}.` : ''}kustomize.images`;
    const items = isSeq(list) ? list.items.filter(isScalar) : [];
    const split = (t: string) => {
      const eq = t.indexOf('=');
      return eq >= 0
        ? { prefix: t.slice(0, eq + 1), ref: t.slice(eq + 1), name: t.slice(0, eq) }
        : { prefix: '', ref: t, name: parseImageReference(t)?.repository ?? t };
    };
    const hit = items.find((it) => split(String(it.value)).name === o.name);
    if (!hit) {
      const names = items.map((it) => split(String(it.value)).name);
      throw updaterError(
        {
          file: file.file,
          path,
          line: file.lineOf((list as Node | undefined)?.range?.[0] ?? 0) || root.line,
          found: names,
        },
        `no kustomize image "${o.name}"; images there: ${listed(names)}`,
      );
    }
    const slot = yamlSlot(file, hit, path);
    const parts = split(slot.text ?? '');
    // the reference inside the entry, after `name=`
    const [start, end] = hit.range ?? [0, 0];
    const raw = file.content.slice(start, end);
    const quoted = raw.startsWith('"') || raw.startsWith("'");
    const inner = textSlot(
      file.content,
      start + (quoted ? 1 : 0) + parts.prefix.length,
      end - (quoted ? 1 : 0),
      'raw',
      slot.where,
    );
    return inner;
  };
  return {
    comparesBy: comparesByTag(o.form) ? 'tag' : 'digest',
    describe: () => `${label} ${o.name}`,
    read: (content, file) => readReference(entry(parseFile(content, file, 'kustomize.images')), o.form),
    write(content, image, file) {
      const slot = entry(parseFile(content, file, 'kustomize.images'));
      return applyEdits(content, [slot.set(formatReference(slot.text, image, o, slot.where))]);
    },
  };
}

export interface ArgoCdKustomizeImageOptions extends ArgoCdSourceOptions, KustomizeImagesOptions {}

/** An image in an Argo CD source's `kustomize.images`. */
export function argoCdKustomizeImage(options: ArgoCdKustomizeImageOptions): ImageUpdater {
  return kustomizeImagesEntry(options, 'argo cd kustomize image', (file) => {
    const s = findSource(file, options, 'source.kustomize.images');
    return { map: s.map, at: formatPath(s.segments), line: s.line };
  });
}

export interface ArgoCdImageUpdaterFileOptions extends ImageWriteOptions {
  /** Helm applications: the parameters Image Updater writes (default `image.name` and `image.tag`). */
  readonly helm?: { readonly name?: string; readonly tag?: string; readonly tagFormat?: 'tag' | 'tag@digest' };
  /** Kustomize applications: the image name of the `kustomize.images` entry. */
  readonly kustomize?: { readonly name: string };
}

/**
 * Argo CD Image Updater's Git write-back file, `.argocd-source-<app>.yaml`, as it writes it:
 * `helm.parameters` (`name`, `value`, `forcestring`) or `kustomize.images` (`name=ref` or `ref`).
 */
export function argoCdImageUpdaterFile(options: ArgoCdImageUpdaterFileOptions): ImageUpdater {
  const root = (file: ParsedFile) => {
    const doc = file.documents[0]?.contents;
    if (!isMap(doc))
      throw updaterError({ file: file.file, path: '(root)', line: 1 }, 'the write-back file has no map at its root');
    return { map: doc, at: '', line: 1 };
  };
  if (options.kustomize) {
    return kustomizeImagesEntry(
      { ...options, name: options.kustomize.name },
      'argo cd image updater kustomize image',
      (file) => {
        const r = root(file);
        return { ...r, at: '' };
      },
    );
  }
  const helm = options.helm ?? {};
  return parameterImage(
    {
      ...options,
      repository: helm.name ?? 'image.name',
      tag: helm.tag ?? 'image.tag',
      ...(helm.tagFormat ? { tagFormat: helm.tagFormat } : {}),
    },
    'argo cd image updater parameters',
    root,
    true,
  );
}
