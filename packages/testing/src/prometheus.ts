import type { Duration } from '@gantry/core';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { htpasswdLine } from './htpasswd.js';
import { tempDir } from './temp-dir.js';

/** Debian's package `prometheus`. */
export const PROMETHEUS_BINARY = '/usr/bin/prometheus';

export interface StartPrometheusOptions {
  /** `host:port` of the targets to scrape at `/metrics`, as one job named `test`. */
  readonly scrapeTargets: readonly string[];
  /** Time between scrapes (default 1s: tests see a new value quickly). */
  readonly scrapeInterval?: Duration;
  /** Require HTTP basic auth on the API (Prometheus' `--web.config.file`). */
  readonly basicAuth?: boolean;
}

/** One sample of an instant vector. */
export interface PrometheusTestSample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: string;
}

export interface TestPrometheus {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** With `basicAuth`. */
  readonly username?: string;
  readonly password?: string;
  /** Runs an instant query (vector results); throws on a query error. */
  query(promql: string): Promise<PrometheusTestSample[]>;
  /** Polls `query` until `accept` holds, or throws after `timeoutMs` (default 30 s). */
  waitFor(
    promql: string,
    accept: (samples: PrometheusTestSample[]) => boolean,
    timeoutMs?: number,
  ): Promise<PrometheusTestSample[]>;
  /** Stops Prometheus (SIGTERM, then SIGKILL) and removes its storage. Safe to call twice. */
  stop(): Promise<void>;
}

function configYaml(targets: readonly string[], interval: Duration): string {
  // Prometheus refuses a scrape timeout longer than the interval (its default is 10s)
  const every = `${Math.max(1, Math.round(interval.ms))}ms`;
  return [
    'global:',
    `  scrape_interval: ${every}`,
    `  scrape_timeout: ${every}`,
    `  evaluation_interval: ${every}`,
    'scrape_configs:',
    '  - job_name: test',
    '    static_configs:',
    `      - targets: [${targets.map((t) => JSON.stringify(t)).join(', ')}]`,
  ].join('\n');
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function waitUntilReady(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}: ${stderr()}`);
    try {
      const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) });
      await res.body?.cancel();
      // 401 with basic auth on: it answers, so it is up
      if (res.status === 200 || res.status === 401) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`prometheus did not become ready at ${url}/-/ready within 30 s: ${stderr()}`);
}

/**
 * Starts a real Prometheus on a free 127.0.0.1 port with a temp config and TSDB, scraping
 * `scrapeTargets`, and waits until it is ready.
 */
export async function startPrometheus(options: StartPrometheusOptions): Promise<TestPrometheus> {
  const dir = await tempDir('gantry-prometheus-');
  let child: ChildProcess | undefined;
  const stop = async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      if (!(await waitForExit(child, 10_000))) {
        child.kill('SIGKILL');
        await waitForExit(child, 5000);
      }
    }
    await dir.remove();
  };
  try {
    const port = await freePort();
    const configFile = join(dir.path, 'prometheus.yml');
    await writeFile(configFile, `${configYaml(options.scrapeTargets, options.scrapeInterval ?? { ms: 1000 })}\n`);
    const args = [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir.path, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ];
    const username = 'gantry';
    const password = randomBytes(12).toString('hex');
    if (options.basicAuth) {
      const hash = (await htpasswdLine(username, password)).slice(username.length + 1);
      const webConfig = join(dir.path, 'web.yml');
      await writeFile(webConfig, `basic_auth_users:\n  ${username}: ${JSON.stringify(hash)}\n`);
      args.push(`--web.config.file=${webConfig}`);
    }
    let err = '';
    const started = spawn(PROMETHEUS_BINARY, args, { cwd: dir.path, stdio: ['ignore', 'ignore', 'pipe'] });
    child = started;
    started.stderr?.on('data', (d: Buffer) => {
      err = (err + d.toString()).slice(-4000);
    });
    const url = `http://127.0.0.1:${port}`;
    await waitUntilReady(url, started, () => err);
    const authHeader: Record<string, string> = options.basicAuth
      ? { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` }
      : {};
    const query = async (promql: string): Promise<PrometheusTestSample[]> => {
      const res = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query: promql })}`, {
        headers: authHeader,
        signal: AbortSignal.timeout(5000),
      });
      const json = (await res.json()) as {
        status: string;
        error?: string;
        data?: { result?: { metric: Record<string, string>; value: [number, string] }[] };
      };
      if (json.status !== 'success') throw new Error(`query ${promql} failed: ${json.error ?? res.status}`);
      return (json.data?.result ?? []).map((s) => ({ labels: s.metric, value: s.value[1] }));
    };
    const waitFor = async (
      promql: string,
      accept: (samples: PrometheusTestSample[]) => boolean,
      timeoutMs = 30_000,
    ): Promise<PrometheusTestSample[]> => {
      const deadline = Date.now() + timeoutMs;
      let last: PrometheusTestSample[] = [];
      while (Date.now() < deadline) {
        last = await query(promql);
        if (accept(last)) return last;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(
        `${promql} did not reach the expected value within ${timeoutMs} ms; last: ${JSON.stringify(last)}`,
      );
    };
    return { url, ...(options.basicAuth ? { username, password } : {}), query, waitFor, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
