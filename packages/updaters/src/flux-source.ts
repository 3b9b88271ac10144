import type { FileUpdater, GitCommit, HelmChart } from '@gantry/core';
import { parseFile } from './document.js';
import { updaterError } from './fail.js';
import { fieldOf, keys, mapAt, oneObject } from './flux-objects.js';
import { ociRepositoryPlace } from './helm-release.js';
import type { ImageUpdater } from './helm-values.js';
import { comparesByTag, type ImageWriteOptions, repositoryToWrite } from './image-codec.js';
import { applyEdits, insertPair } from './splice.js';
import { checkTag, checkVersion, type VersionCheck } from './version-text.js';
import { readChartVersion } from './yaml-path.js';

export interface FluxOciRepositoryOptions extends VersionCheck {
  /** `metadata.name` of the OCIRepository, needed only when the file holds several. */
  readonly name?: string;
  /** The chart's name; default: the last part of `spec.url`. */
  readonly chart?: string;
}

/**
 * A Helm chart version in a Flux `OCIRepository` (what a HelmRelease's `chartRef` names):
 * `spec.ref.semver` when the file uses it (an exact version is a valid constraint), else
 * `spec.ref.tag`. A `spec.ref.digest` would override either: an error, not a silent no-op.
 */
export function fluxOciRepository(options: FluxOciRepositoryOptions = {}): FileUpdater<HelmChart> {
  const path = 'spec.ref';
  return {
    describe: () => `flux OCIRepository${options.name ? ` ${options.name}` : ''} chart version`,
    read(content, file) {
      const parsed = parseFile(content, file, path);
      const p = ociRepositoryPlace(parsed, oneObject(parsed, 'OCIRepository', options.name, path), options.chart);
      return p.version && readChartVersion(p.version, p.chartName as string, options, p.repository);
    },
    write(content, chart, file) {
      const parsed = parseFile(content, file, path);
      const p = ociRepositoryPlace(parsed, oneObject(parsed, 'OCIRepository', options.name, path), options.chart);
      const edit = p.version ? p.version.set(chart.version) : insertPair(parsed, p.map, p.versionKey, chart.version);
      return applyEdits(content, [edit]);
    },
  };
}

export interface FluxOciArtifactOptions extends ImageWriteOptions {
  readonly name?: string;
}

/**
 * An OCI artifact (manifests pushed with `flux push artifact`, say) in a Flux
 * `OCIRepository`: `spec.url` names it, `spec.ref.tag` and/or `spec.ref.digest` pin it.
 * Written as the file has it (a digest where there is one, else the tag) unless `form` says.
 */
export function fluxOciArtifact(options: FluxOciArtifactOptions = {}): ImageUpdater {
  const path = 'spec.ref';
  const fields = (content: string, file: string) => {
    const parsed = parseFile(content, file, path);
    const o = oneObject(parsed, 'OCIRepository', options.name, path);
    const spec = mapAt(parsed, o, keys('spec'), 'spec');
    const ref = mapAt(parsed, o, keys('spec', 'ref'), path);
    return {
      parsed,
      ref,
      url: fieldOf(parsed, spec, 'url', 'spec'),
      tag: fieldOf(parsed, ref, 'tag', path),
      digest: fieldOf(parsed, ref, 'digest', path),
      line: parsed.lineOf(ref.range?.[0] ?? o.line),
    };
  };
  return {
    comparesBy: comparesByTag(options.form) ? 'tag' : 'digest',
    describe: () => `flux OCIRepository${options.name ? ` ${options.name}` : ''} artifact`,
    read(content, file) {
      const f = fields(content, file);
      const url = f.url?.text;
      if (url === undefined)
        throw updaterError({ file, path: 'spec.url', line: f.line }, 'the OCIRepository has no url');
      if (f.tag?.text !== undefined) checkTag(f.tag.text, f.tag.where);
      const tag = f.tag?.text;
      const digest = f.digest?.text;
      if (digest === undefined && !(comparesByTag(options.form) && tag !== undefined)) return undefined;
      return {
        kind: 'oci-image',
        repository: url.replace(/^oci:\/\//, ''),
        ...(tag !== undefined ? { tag } : {}),
        ...(digest !== undefined ? { digest } : {}),
      };
    },
    write(content, image, file) {
      const f = fields(content, file);
      const where = { file, path, line: f.line };
      const form =
        options.form ?? (f.digest ? (f.tag ? 'tag@digest' : 'digest') : image.digest && !f.tag ? 'digest' : 'tag');
      const edits = [];
      if (form !== 'digest') {
        const tag = image.tag ?? fail(where, 'tag');
        edits.push(f.tag ? f.tag.set(tag) : insertPair(f.parsed, f.ref, 'tag', tag));
      }
      if (form !== 'tag') {
        const digest = image.digest ?? fail(where, 'digest');
        edits.push(f.digest ? f.digest.set(digest) : insertPair(f.parsed, f.ref, 'digest', digest));
      }
      const url = f.url?.text;
      if (url !== undefined && options.host !== undefined && options.host !== 'keep') {
        const repo = repositoryToWrite(url.replace(/^oci:\/\//, ''), image.repository, options.host);
        edits.push(f.url?.set(`oci://${repo}`));
      }
      return applyEdits(content, edits);
    },
  };
}

const fail = (where: { file: string; path: string; line: number }, what: string): never => {
  throw updaterError(where, `the version has no ${what} to write`);
};

export interface FluxGitRepositoryOptions {
  readonly name?: string;
}

/**
 * A Flux `GitRepository` pinned to a commit: `spec.ref.commit` (which takes precedence
 * over branch, tag and semver; a branch beside it stays, as Flux clones that branch).
 * Without a commit it follows a branch or tag and holds no pinned version yet.
 */
export function fluxGitRepository(options: FluxGitRepositoryOptions = {}): FileUpdater<GitCommit> {
  const path = 'spec.ref.commit';
  const fields = (content: string, file: string) => {
    const parsed = parseFile(content, file, path);
    const o = oneObject(parsed, 'GitRepository', options.name, path);
    const spec = mapAt(parsed, o, keys('spec'), 'spec');
    const ref = mapAt(parsed, o, keys('spec', 'ref'), 'spec.ref');
    return {
      parsed,
      ref,
      url: fieldOf(parsed, spec, 'url', 'spec')?.text,
      commit: fieldOf(parsed, ref, 'commit', 'spec.ref'),
      branch: fieldOf(parsed, ref, 'branch', 'spec.ref')?.text,
    };
  };
  return {
    describe: () => `flux GitRepository${options.name ? ` ${options.name}` : ''} commit`,
    read(content, file) {
      const f = fields(content, file);
      const commit = f.commit?.text;
      if (commit === undefined) return undefined;
      if (f.commit && !/^[0-9a-fA-F]{7,64}$/.test(commit))
        throw updaterError(f.commit.where, `"${commit}" is not a commit id`);
      return {
        kind: 'git-commit',
        commit,
        ...(f.url ? { repository: f.url } : {}),
        ...(f.branch ? { ref: f.branch } : {}),
      };
    },
    write(content, target, file) {
      const f = fields(content, file);
      return applyEdits(content, [
        f.commit ? f.commit.set(target.commit) : insertPair(f.parsed, f.ref, 'commit', target.commit),
      ]);
    },
  };
}

export interface FluxGitRepositoryTagOptions extends VersionCheck {
  readonly name?: string;
  /** The chart (or module) the tags version; default: the GitRepository's name. */
  readonly chart?: string;
}

/**
 * A Flux `GitRepository` following a release tag: `spec.ref.semver` when the file uses it,
 * else `spec.ref.tag`, promoted as a named version (`helm-chart` resource: name and version).
 */
export function fluxGitRepositoryTag(options: FluxGitRepositoryTagOptions = {}): FileUpdater<HelmChart> {
  const path = 'spec.ref';
  const fields = (content: string, file: string) => {
    const parsed = parseFile(content, file, path);
    const o = oneObject(parsed, 'GitRepository', options.name, path);
    const ref = mapAt(parsed, o, keys('spec', 'ref'), path);
    const commit = fieldOf(parsed, ref, 'commit', path);
    if (commit?.text !== undefined) {
      throw updaterError(
        commit.where,
        'spec.ref.commit takes precedence over tag and semver; a tag written beside it would not be used',
      );
    }
    const semver = fieldOf(parsed, ref, 'semver', path);
    return { parsed, ref, o, slot: semver ?? fieldOf(parsed, ref, 'tag', path), key: semver ? 'semver' : 'tag' };
  };
  return {
    describe: () => `flux GitRepository${options.name ? ` ${options.name}` : ''} tag`,
    read(content, file) {
      const f = fields(content, file);
      if (f.slot?.text === undefined) return undefined;
      if (!checkVersion(f.slot.text, f.slot.where, options)) return undefined;
      return { kind: 'helm-chart', name: options.chart ?? f.o.name, version: f.slot.text };
    },
    write(content, chart, file) {
      const f = fields(content, file);
      return applyEdits(content, [
        f.slot ? f.slot.set(chart.version) : insertPair(f.parsed, f.ref, f.key, chart.version),
      ]);
    },
  };
}
