import type { ArtifactTypes, Bundle, Resource } from './resource.js';
import type { Observation, ReadOnlySource, ReadWriteSource, SourceContext, WriteResult } from './source.js';

export interface CustomReadOptions<R extends Resource> {
  /** Shown in status and errors. */
  readonly name: string;
  readonly read: (ctx: SourceContext) => Promise<R | undefined>;
}

export interface CustomWriteOptions<R extends Resource> extends CustomReadOptions<R> {
  /** Writes the resource; returns an id for the revision it made (a deployment id, say). */
  readonly write: (resource: R, ctx: SourceContext) => Promise<string | undefined>;
}

/**
 * A source from your own functions, for places no built-in source reaches. With
 * `write` it can be promoted into; without, it is read-only.
 */
export function customSource<R extends Resource>(o: CustomWriteOptions<R>): ReadWriteSource<R>;
export function customSource<R extends Resource>(o: CustomReadOptions<R>): ReadOnlySource<R>;
export function customSource<R extends Resource>(
  o: CustomReadOptions<R> | CustomWriteOptions<R>,
): ReadOnlySource<R> | ReadWriteSource<R> {
  const read = async (ctx: SourceContext): Promise<Observation<R>> => ({ resource: await o.read(ctx) });
  const describe = () => `custom ${o.name}`;
  if (!('write' in o)) return { type: 'custom', writable: false, describe, read };
  const write = o.write;
  return {
    type: 'custom',
    writable: true,
    describe,
    read,
    edit: () => [],
    async write(req, ctx): Promise<WriteResult> {
      const id = await write(req.target, ctx);
      return { kind: 'written', revision: { id: id ?? req.promotionId, time: new Date() }, attempts: 1 };
    },
  };
}

/** Sources of each artifact of a bundle. */
type SourceOf = Pick<ReadOnlySource<Resource>, 'describe' | 'read'>;

export type ArtifactSources<A extends Record<string, Resource>> = {
  readonly [K in keyof A]: ReadOnlySource<A[K]> | ReadWriteSource<A[K]>;
};

/**
 * Reads several sources as one bundle (an image tag and a chart version, say). The
 * bundle holds a version only when every artifact does. Read-only: a bundle is
 * written where its artifacts live together, e.g. by a Git source over several files.
 */
export function bundleSource<A extends Record<string, Resource>>(
  _types: ArtifactTypes<A>,
  sources: ArtifactSources<A>,
): ReadOnlySource<Bundle<A>> {
  const names = Object.keys(sources);
  return {
    type: 'bundle',
    writable: false,
    describe: () =>
      `bundle(${names.map((n) => `${n}: ${(sources[n as keyof A] as unknown as SourceOf).describe()}`).join(', ')})`,
    async read(ctx) {
      const seen = await Promise.all(names.map((n) => (sources[n as keyof A] as unknown as SourceOf).read(ctx)));
      if (seen.some((o) => o.resource === undefined)) return { resource: undefined };
      const latest = seen
        .map((o) => o.setBy)
        .filter((r) => r?.time !== undefined)
        .sort((a, b) => (b?.time?.getTime() ?? 0) - (a?.time?.getTime() ?? 0))[0];
      return {
        resource: { kind: 'bundle', artifacts: Object.fromEntries(names.map((n, i) => [n, seen[i]?.resource])) as A },
        ...(latest ? { setBy: latest } : {}),
      };
    },
  };
}
