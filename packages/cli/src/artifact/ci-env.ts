import { execFileSync } from 'node:child_process';
import type { ApiArtifactReport, ApiArtifactStepReport } from '@gantry/api';
import { GantryError, parseDuration } from '@gantry/core';

type Env = Readonly<Record<string, string | undefined>>;

/** The source and CI run fields of a report, as flags or a CI system's environment give them. */
export interface ReportFacts {
  readonly repository?: string;
  readonly commit?: string;
  readonly branch?: string;
  readonly authorName?: string;
  readonly authorEmail?: string;
  readonly message?: string;
  readonly time?: string;
  readonly runUrl?: string;
  readonly provider?: string;
}

const set = (v: string | undefined): v is string => v !== undefined && v.trim() !== '';
const pick = <T extends Record<string, string | undefined>>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => set(v))) as Partial<Record<keyof T, string>>;

/** `Name <email>`, a bare email or a bare name. */
export function parseAuthor(text: string): { authorName?: string; authorEmail?: string } {
  const t = text.trim();
  const m = /^(.*?)\s*<([^<>\s]+)>$/.exec(t);
  if (m) return { ...(m[1] ? { authorName: m[1] } : {}), authorEmail: m[2] as string };
  return t.includes('@') && !/\s/.test(t) ? { authorEmail: t } : t ? { authorName: t } : {};
}

/**
 * What GitHub Actions says about the build: the commit (GITHUB_SHA), its branch (GITHUB_REF_NAME
 * for a push, GITHUB_HEAD_REF for a pull request), the repository and the run's URL. GitHub
 * does not name the commit's author; the checkout does (see `fromCheckout`).
 */
export function fromGitHubActions(env: Env): ReportFacts {
  if (env.GITHUB_ACTIONS !== 'true' && !set(env.GITHUB_SHA)) return {};
  const server = (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/$/, '');
  const repo = env.GITHUB_REPOSITORY;
  const branch = set(env.GITHUB_HEAD_REF)
    ? env.GITHUB_HEAD_REF
    : env.GITHUB_REF_TYPE === 'tag' || env.GITHUB_REF?.startsWith('refs/tags/')
      ? undefined
      : env.GITHUB_REF_NAME;
  return pick({
    commit: env.GITHUB_SHA,
    branch,
    repository: set(repo) ? `${server}/${repo}` : undefined,
    runUrl: set(repo) && set(env.GITHUB_RUN_ID) ? `${server}/${repo}/actions/runs/${env.GITHUB_RUN_ID}` : undefined,
    provider: 'github-actions',
  });
}

/** What GitLab CI says: CI_COMMIT_SHA, CI_COMMIT_BRANCH (or the merge request's source branch), author, message, time, the pipeline's URL. */
export function fromGitLabCi(env: Env): ReportFacts {
  if (env.GITLAB_CI !== 'true' && !set(env.CI_COMMIT_SHA)) return {};
  return pick({
    commit: env.CI_COMMIT_SHA,
    branch: env.CI_COMMIT_BRANCH ?? env.CI_MERGE_REQUEST_SOURCE_BRANCH_NAME,
    repository: env.CI_PROJECT_URL,
    ...(set(env.CI_COMMIT_AUTHOR) ? parseAuthor(env.CI_COMMIT_AUTHOR) : {}),
    message: env.CI_COMMIT_MESSAGE,
    time: env.CI_COMMIT_TIMESTAMP,
    runUrl: env.CI_PIPELINE_URL ?? env.CI_JOB_URL,
    provider: 'gitlab-ci',
  });
}

/** Author, message and time of `commit` from the checkout the job runs in; nothing when it is not there. */
export function fromCheckout(commit: string | undefined, cwd: string, env: Env): ReportFacts {
  if (!commit) return {};
  try {
    const out = execFileSync('git', ['log', '-1', '--format=%an%x00%ae%x00%cI%x00%B', commit, '--'], {
      cwd,
      env: env as NodeJS.ProcessEnv,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5_000,
    });
    const [authorName, authorEmail, time, message] = out.split('\0');
    return pick({ authorName, authorEmail, time, message: message?.replace(/\n+$/, '') });
  } catch {
    return {};
  }
}

/** Flags first, then the CI system's environment, then the checkout: each field from the first that has it. */
export function reportFacts(flags: ReportFacts, env: Env, cwd: string): ReportFacts {
  const ci = { ...fromGitLabCi(env), ...fromGitHubActions(env) };
  const merged = { ...ci, ...pick({ ...flags }) };
  return { ...fromCheckout(merged.commit, cwd, env), ...merged };
}

/** The report's `source` and `ci` from the merged facts. */
export function sourceAndCi(f: ReportFacts): Pick<ApiArtifactReport, 'source' | 'ci'> {
  const author = pick({ name: f.authorName, email: f.authorEmail });
  const source = pick({
    repository: f.repository,
    commit: f.commit,
    branch: f.branch,
    message: f.message,
    time: f.time,
  });
  const ci = pick({ runUrl: f.runUrl, provider: f.provider });
  return {
    ...(Object.keys(source).length > 0 || Object.keys(author).length > 0
      ? { source: { ...source, ...(Object.keys(author).length > 0 ? { author } : {}) } }
      : {}),
    ...(Object.keys(ci).length > 0 ? { ci } : {}),
  };
}

const STATUSES = ['running', 'succeeded', 'failed', 'skipped'] as const;

/** A duration as `90s`, `1m30s`, `1500ms`, or a bare number of seconds, in milliseconds. */
export function durationMs(text: string, flag: string): number {
  if (/^\d+(?:\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  try {
    return Math.round(parseDuration(text).ms);
  } catch {
    throw new GantryError('invalid_request', `${flag}: "${text}" is not a duration (90s, 1m30s, 1500ms, or seconds)`, {
      field: flag,
    });
  }
}

/** `--step name=status[:duration][@url]`, e.g. `test=succeeded:1m30s@https://ci.example.com/jobs/7`. */
export function parseStep(text: string): ApiArtifactStepReport {
  const m = /^([^=]+)=([a-z]+)(?::([^@]+))?(?:@(.+))?$/.exec(text.trim());
  const status = m?.[2] as (typeof STATUSES)[number] | undefined;
  if (!m || !status || !STATUSES.includes(status)) {
    throw new GantryError(
      'invalid_request',
      `--step "${text}": expected name=status[:duration][@url], status one of ${STATUSES.join(', ')}`,
      { field: '--step' },
    );
  }
  return {
    name: (m[1] as string).trim(),
    status,
    ...(m[3] !== undefined ? { durationMs: durationMs(m[3], '--step') } : {}),
    ...(m[4] !== undefined ? { url: m[4] } : {}),
  };
}
