import { SourceError } from '@gantry/core';
import { parse } from 'yaml';
import { z } from 'zod';

/** One version of a chart in a repository's `index.yaml`: the fields Gantry uses, nothing more. */
export interface ChartVersionEntry {
  readonly name: string;
  readonly version: string;
  readonly appVersion?: string;
  /** Hex SHA-256 of the chart archive, as `helm repo index` writes it (no `sha256:` prefix). */
  readonly digest?: string;
  /** Where the archive is; relative URLs are relative to the repository URL. */
  readonly urls: readonly string[];
  readonly created?: Date;
  readonly deprecated: boolean;
}

/** A parsed `index.yaml`: chart name -> its versions, in the order the file lists them. */
export interface HelmIndex {
  readonly charts: ReadonlyMap<string, readonly ChartVersionEntry[]>;
  readonly generated?: Date;
}

// Every scalar is read as a string (YAML's failsafe schema): an unquoted `version: 1.10`
// stays "1.10" instead of becoming the number 1.1, and dates stay text until parsed here.
const text = z.string();
const entrySchema = z.looseObject({
  version: text.min(1),
  appVersion: text.optional(),
  digest: text.optional(),
  urls: z.array(text).optional(),
  created: text.optional(),
  deprecated: text.optional(),
});
const indexSchema = z.looseObject({
  apiVersion: text.min(1, 'no apiVersion'),
  // an empty `entries:` is "" in the failsafe schema
  entries: z.union([z.record(text, z.union([z.array(z.unknown()), z.literal('')])), z.literal('')]).optional(),
  generated: text.optional(),
});

const date = (value: string | undefined): Date | undefined => {
  const d = value ? new Date(value) : undefined;
  return d && !Number.isNaN(d.getTime()) ? d : undefined;
};

/**
 * Parses a Helm repository index (the format `helm repo index` writes: `apiVersion: v1`,
 * `entries: { <chart>: [ { version, appVersion, digest, urls, created, ... } ] }`). As Helm
 * does, an entry without a version is skipped rather than failing the whole index; a file
 * that is not an index at all is `invalid_chart_index`, naming `where` (the index URL).
 */
export function parseHelmIndex(content: string, where: string): HelmIndex {
  const fail = (why: string, cause?: unknown): never => {
    throw new SourceError(
      'invalid_chart_index',
      `${where} is not a Helm repository index: ${why}`,
      { url: where },
      cause ? { cause } : undefined,
    );
  };
  let raw: unknown;
  try {
    raw = parse(content, { schema: 'failsafe' });
  } catch (e) {
    return fail((e as Error).message.split('\n')[0] ?? 'YAML does not parse', e);
  }
  const parsed = indexSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail(`${issue?.path.join('.') || 'the document'}: ${issue?.message ?? 'unexpected shape'}`);
  }
  const charts = new Map<string, ChartVersionEntry[]>();
  for (const [name, list] of Object.entries(parsed.data.entries || {})) {
    const versions: ChartVersionEntry[] = [];
    for (const item of list || []) {
      const e = entrySchema.safeParse(item);
      if (!e.success) continue;
      const created = date(e.data.created);
      versions.push({
        name,
        version: e.data.version,
        ...(e.data.appVersion ? { appVersion: e.data.appVersion } : {}),
        ...(e.data.digest ? { digest: e.data.digest } : {}),
        urls: e.data.urls ?? [],
        ...(created ? { created } : {}),
        deprecated: e.data.deprecated === 'true',
      });
    }
    charts.set(name, versions);
  }
  const generated = date(parsed.data.generated);
  return { charts, ...(generated ? { generated } : {}) };
}

/** Where a chart version's archive is: its first URL, resolved against the repository URL. */
export function chartArchiveUrl(repositoryUrl: string, entry: ChartVersionEntry): string | undefined {
  const first = entry.urls[0];
  if (first === undefined) return undefined;
  const base = repositoryUrl.endsWith('/') ? repositoryUrl : `${repositoryUrl}/`;
  return new URL(first, base).href;
}
