// Test support (not exported): in-memory sources over a line-based "file".
import type { FileUpdater, ReadOnlySource, ReadWriteSource, Snapshot } from './source.js';
import type { OciImage } from './resource.js';
import type { TargetLookup, TargetResolver } from './target.js';

export const lineUpdater: FileUpdater<OciImage> = {
  describe: () => 'image line',
  read(content, file) {
    const m = /^image: (.+)@(sha256:[a-f0-9]+)$/m.exec(content);
    if (!m) throw new Error(`${file}: no image line`);
    return { kind: 'oci-image', repository: m[1] as string, digest: m[2] as string };
  },
  write: (content, r) => content.replace(/^image: .*$/m, `image: ${r.repository}@${r.digest}`),
};

export const img = (hex: string, repository = 'reg/app'): OciImage & { readonly digest: string } => ({
  kind: 'oci-image',
  repository,
  digest: `sha256:${hex.repeat(64).slice(0, 64)}`,
});

/**
 * A registry of one repository (`reg/app` unless the initial image says otherwise) that
 * holds every image ever set or published, and looks explicit versions up like the OCI source.
 */
export function memoryRegistry(initial?: OciImage): ReadOnlySource<OciImage> &
  TargetResolver<OciImage> & {
    set(i: OciImage | undefined): void;
    /** Pushed but not the followed tag. */
    publish(i: OciImage): void;
    fail?: Error;
  } {
  let current = initial;
  const repository = initial?.repository ?? 'reg/app';
  const held = new Set(initial ? [initial.digest] : []);
  const src = {
    type: 'memory-registry',
    writable: false as const,
    fail: undefined as Error | undefined,
    describe: () => 'memory registry',
    async read() {
      if (src.fail) throw src.fail;
      return { resource: current };
    },
    async lookupTarget(target: OciImage): Promise<TargetLookup> {
      if (src.fail) throw src.fail;
      if (target.repository !== repository) return { kind: 'foreign', field: 'repository', expected: repository };
      return held.has(target.digest)
        ? { kind: 'found' }
        : { kind: 'missing', field: 'digest', message: `${repository}@${target.digest} is not in the memory registry` };
    },
    set(i: OciImage | undefined) {
      current = i;
      if (i) held.add(i.digest);
    },
    publish(i: OciImage) {
      held.add(i.digest);
    },
  };
  return src;
}

export function memoryFile(
  path: string,
  content: string,
): ReadWriteSource<OciImage> & { content: string; writes: number } {
  let revision = 1;
  const src = {
    type: 'memory-file',
    writable: true as const,
    content,
    writes: 0,
    describe: () => `memory ${path}`,
    async read() {
      const snapshot: Snapshot = { revision: String(revision), files: { [path]: src.content } };
      return { resource: lineUpdater.read(src.content, path), snapshot };
    },
    edit: (s: Snapshot, target: OciImage) => {
      const before = s.files[path];
      return [{ path, before, after: lineUpdater.write(before ?? '', target, path) }];
    },
    async write(req: { target: OciImage }) {
      const after = lineUpdater.write(src.content, req.target, path);
      if (after === src.content) return { kind: 'unchanged' as const };
      src.content = after;
      src.writes++;
      revision++;
      return { kind: 'written' as const, revision: { id: String(revision), time: new Date() }, attempts: 1 };
    },
  };
  return src;
}
