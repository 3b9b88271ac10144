import type { ApiArtifact, ApiArtifactList, ApiArtifactReport, ApiArtifactReportResult } from '@gantry/api';
import { artifactReportSchema, artifactStepBodySchema } from '@gantry/api';
import { GantryError } from '@gantry/core';
import { createEventBus, noBranchBuild, runtimeArtifactReports } from '@gantry/server';
import type { z } from 'zod';
import { artifactTable, describeArtifact } from '../artifact/artifact-view.js';
import type { ReportFacts } from '../artifact/ci-env.js';
import { durationMs, parseAuthor, parseStep, reportFacts, sourceAndCi } from '../artifact/ci-env.js';
import { withConfiguredStore } from '../configured-store.js';
import type { Io } from '../io.js';
import { EXIT } from '../io.js';
import { toJson } from '../json.js';
import { localActor } from '../local-actor.js';
import { openRuntimeStore } from '../local-promotion.js';
import { remoteClient } from '../remote.js';
import type { GlobalOptions } from '../runtime.js';
import { withRuntime } from '../runtime.js';

export interface ArtifactReportFlags {
  readonly image?: string;
  readonly digest?: string;
  readonly chart?: string;
  readonly version?: string;
  readonly pipeline?: string;
  readonly repository?: string;
  readonly commit?: string;
  readonly branch?: string;
  readonly author?: string;
  readonly message?: string;
  readonly time?: string;
  readonly runUrl?: string;
  readonly provider?: string;
  readonly step?: readonly string[];
  readonly fromLabels?: boolean;
  readonly json?: boolean;
}

export interface ArtifactStepFlags {
  readonly name: string;
  readonly status: string;
  readonly duration?: string;
  readonly url?: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly json?: boolean;
}

export interface ArtifactListFlags {
  readonly pipeline?: string;
  readonly branch?: string;
  readonly digest?: string;
  readonly limit?: string;
  readonly cursor?: string;
  readonly json?: boolean;
}

/** Checks input as the server would, naming the flag's field: local mode refuses what the API refuses. */
function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(body)', message: i.message }));
  throw new GantryError('invalid_request', issues.map((i) => `[${i.path}] ${i.message}`).join('; '), {
    field: issues[0]?.path,
  });
}

/** The report a command line makes: flags first, then GitHub Actions' or GitLab CI's environment, then the checkout. */
export function reportOf(io: Io, o: ArtifactReportFlags): ApiArtifactReport {
  const flags: ReportFacts = {
    ...(o.repository !== undefined ? { repository: o.repository } : {}),
    ...(o.commit !== undefined ? { commit: o.commit } : {}),
    ...(o.branch !== undefined ? { branch: o.branch } : {}),
    ...(o.author !== undefined ? parseAuthor(o.author) : {}),
    ...(o.message !== undefined ? { message: o.message } : {}),
    ...(o.time !== undefined ? { time: o.time } : {}),
    ...(o.runUrl !== undefined ? { runUrl: o.runUrl } : {}),
    ...(o.provider !== undefined ? { provider: o.provider } : {}),
  };
  // --from-labels: only what the image says, nothing from the environment
  const facts = o.fromLabels ? flags : reportFacts(flags, io.env, io.cwd);
  return {
    ...(o.image !== undefined ? { image: o.image } : {}),
    ...(o.digest !== undefined ? { digest: o.digest } : {}),
    ...(o.chart !== undefined ? { chart: o.chart } : {}),
    ...(o.version !== undefined ? { version: o.version } : {}),
    ...(o.pipeline !== undefined ? { pipeline: o.pipeline } : {}),
    ...sourceAndCi(facts),
    ...(o.step && o.step.length > 0 ? { steps: o.step.map(parseStep) } : {}),
    ...(o.fromLabels ? { fromLabels: true } : {}),
  };
}

/** Records locally on the store a server on this configuration uses, checked against the configured registries. */
function reportLocally(io: Io, g: GlobalOptions, body: unknown): Promise<ApiArtifactReportResult> {
  const report = parse(artifactReportSchema, body);
  return withRuntime(io, g, async (rt) => {
    const store = await openRuntimeStore(rt);
    try {
      const reports = runtimeArtifactReports(rt, store, createEventBus());
      return (await reports.report(report, {
        name: localActor(io.env, io.cwd),
        role: 'admin',
      })) as ApiArtifactReportResult;
    } finally {
      await store.close();
    }
  });
}

const print = (io: Io, json: boolean | undefined, r: ApiArtifactReportResult) =>
  io.out(json ? toJson(r) : describeArtifact(r.artifact, r.outcome));

/**
 * `gantry artifact report`: what CI built, with where from and its steps. Remote mode
 * (GANTRY_SERVER, a token of role ci or above) posts it; else it is recorded in the data directory.
 */
export async function artifactReportCommand(io: Io, g: GlobalOptions, o: ArtifactReportFlags): Promise<number> {
  const body = reportOf(io, o);
  const client = remoteClient(io);
  const r = client ? await client.reportArtifact(body) : await reportLocally(io, g, body);
  print(io, o.json, r);
  return EXIT.ok;
}

/** `gantry artifact step <id>`: one step of the run, as it starts or ends. */
export async function artifactStepCommand(io: Io, g: GlobalOptions, id: string, o: ArtifactStepFlags): Promise<number> {
  const step = parse(artifactStepBodySchema, {
    name: o.name,
    status: o.status,
    ...(o.duration !== undefined ? { durationMs: durationMs(o.duration, '--duration') } : {}),
    ...(o.url !== undefined ? { url: o.url } : {}),
    ...(o.startedAt !== undefined ? { startedAt: o.startedAt } : {}),
    ...(o.finishedAt !== undefined ? { finishedAt: o.finishedAt } : {}),
  });
  const client = remoteClient(io);
  const r = client
    ? await client.reportArtifactStep(id, step)
    : await withConfiguredStore(io, g, async (store) => {
        const done = await store.recordArtifactStep(id, step);
        if (!done) throw new GantryError('unknown_artifact', `no artifact has id "${id}"`, { id, field: 'id' });
        return done as ApiArtifactReportResult;
      });
  print(io, o.json, r);
  return EXIT.ok;
}

/** `gantry artifact list`: newest first; with --pipeline and --branch and no build, exit 2 naming the branches that have builds. */
export async function artifactListCommand(io: Io, g: GlobalOptions, o: ArtifactListFlags): Promise<number> {
  const query = {
    ...(o.pipeline !== undefined ? { pipeline: o.pipeline } : {}),
    ...(o.branch !== undefined ? { branch: o.branch } : {}),
    ...(o.digest !== undefined ? { digest: o.digest } : {}),
    ...(o.cursor !== undefined ? { cursor: o.cursor } : {}),
    limit: Number(o.limit ?? 20),
  };
  const client = remoteClient(io);
  const page: ApiArtifactList = client
    ? await client.listArtifacts(query)
    : await withConfiguredStore(io, g, async (store) => {
        const p = await store.listArtifacts(query);
        if (p.items.length === 0 && o.pipeline !== undefined && o.branch !== undefined && o.cursor === undefined)
          throw noBranchBuild(o.pipeline, o.branch, await store.artifactBranches(o.pipeline));
        return p as ApiArtifactList;
      });
  if (o.json) io.out(toJson(page));
  else {
    io.out(artifactTable(page.items));
    if (page.nextCursor) io.out(`more: --cursor ${page.nextCursor}\n`);
  }
  return EXIT.ok;
}

/** `gantry artifact show <id>`. */
export async function artifactShowCommand(
  io: Io,
  g: GlobalOptions,
  id: string,
  o: { json?: boolean },
): Promise<number> {
  const client = remoteClient(io);
  const a: ApiArtifact = client
    ? await client.getArtifact(id)
    : await withConfiguredStore(io, g, async (store) => {
        const found = await store.getArtifact(id);
        if (!found) throw new GantryError('unknown_artifact', `no artifact has id "${id}"`, { id, field: 'id' });
        return found as ApiArtifact;
      });
  io.out(o.json ? toJson(a) : describeArtifact(a));
  return EXIT.ok;
}
