/**
 * Server figures (issue 3): API latency for the pipeline list with 1,000 pipelines, under a
 * fixed request rate from a second process (autocannon); and registry push (webhook) to
 * pushed config commit, beside the same promotion started by hand.
 */
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initSandbox, pushSandboxImage } from '@gantry/cli';
import { openRuntime } from '@gantry/config';
import { silentLogger } from '@gantry/core';
import type { GantryEvent, RunningServer } from '@gantry/server';
import { signBody, startServer } from '@gantry/server';
import { resetDir } from './git-bench.js';
import { ENVS, servicePath } from './realistic-repo.js';
import { fmt, median, row } from './sh.js';

const AUTOCANNON = fileURLToPath(new URL('../node_modules/autocannon/autocannon.js', import.meta.url));

interface CannonResult {
  latency: { p50: number; p99: number; average: number };
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
}

/** autocannon in its own process, so the load generator does not share the server's event loop. */
export function cannon(
  url: string,
  rate: number,
  seconds: number,
  headers: Readonly<Record<string, string>> = {},
): Promise<CannonResult> {
  const extra = Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}=${v}`]);
  return new Promise((resolve, reject) => {
    const p = spawn(
      process.execPath,
      [
        AUTOCANNON,
        '-j',
        '-c',
        '20',
        '-H',
        'accept-encoding=gzip',
        ...extra,
        '-R',
        String(rate),
        '-d',
        String(seconds),
        url,
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    p.on('error', reject);
    p.on('close', (code) =>
      code === 0 ? resolve(JSON.parse(out) as CannonResult) : reject(new Error(`autocannon ${code}`)),
    );
  });
}

/** Parses wrk's `--latency` output: the percentile line (e.g. `99%   22.19ms`) in milliseconds. */
function wrkPercentile(out: string, p: string): number {
  const m = new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s)`, 'm').exec(out);
  if (!m) return Number.NaN;
  const v = Number(m[1]);
  return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v;
}

/**
 * wrk (C, Debian's `wrk`) paced to about `rate` requests/s: each of 10 connections waits
 * a little under 10000/rate ms between requests. A load generator in C keeps the client from being the
 * limit on a 2-core machine, which autocannon (JavaScript) is for large bodies.
 */
export function wrkPaced(
  url: string,
  rate: number,
  seconds: number,
  dir: string,
  headers: Readonly<Record<string, string>> = {},
): Promise<{ p50: number; p99: number; rps: number } | undefined> {
  return new Promise((resolve) => {
    const script = join(dir, 'paced.lua');
    const lines = Object.entries({ 'Accept-Encoding': 'gzip', ...headers }).map(
      ([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`,
    );
    void writeFile(script, `${lines.join('\n')}\nfunction delay() return ${Math.floor(10_000 / rate) - 1} end\n`).then(
      () => {
        const p = spawn('wrk', ['-t2', '-c10', `-d${seconds}s`, '--latency', '-s', script, url], {
          stdio: ['ignore', 'pipe', 'ignore'],
        });
        let out = '';
        p.stdout.on('data', (d: Buffer) => {
          out += d.toString();
        });
        p.on('error', () => resolve(undefined));
        p.on('close', (code) => {
          const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
          resolve(code === 0 ? { p50: wrkPercentile(out, '50'), p99: wrkPercentile(out, '99'), rps } : undefined);
        });
      },
    );
  });
}

function fleetYaml(services: number): string {
  const lines = [
    'repositories:',
    '  config: { url: ./remote.git, branch: main }',
    'server:',
    '  schedules: []',
    'pipelines:',
  ];
  for (let i = 0; i < services; i++) {
    lines.push(`  - name: svc-${i}`, '    resource: oci-image', '    labels: { team: bench }', '    phases:');
    ENVS.forEach((env, k) => {
      lines.push(`      - name: ${env}`);
      if (k > 0) lines.push(`        promotesFrom: ${ENVS[k - 1]}`);
      lines.push(
        `        source: { type: git, repository: config, path: ${servicePath(i, env)}, updater: { type: kubernetes-image, container: app } }`,
      );
    });
  }
  return `${lines.join('\n')}\n`;
}

/** API p50/p99 and throughput for GET /api/v1/pipelines with `services` pipelines of 3 phases. */
export async function apiLatencyBench(root: string, services: number): Promise<void> {
  console.log(
    `\nAPI: GET /api/v1/pipelines with ${services} pipelines x 3 phases, load from a second process (wrk, autocannon)`,
  );
  await writeFile(join(root, 'gantry.yaml'), fleetYaml(services));
  const runtime = await openRuntime({ cwd: root, env: {}, logger: silentLogger });
  const started = performance.now();
  const server = await startServer({ runtime, port: 0 });
  row('server start (first read of every phase)', fmt(performance.now() - started));
  try {
    const url = `${server.url}/api/v1/pipelines`;
    const size = (await (await fetch(url)).text()).length;
    row('response size', `${(size / 1024).toFixed(0)} KiB`);
    // the floor on this machine now: the same server answering its smallest route at the same rate
    const floor = await cannon(`${server.url}/healthz`, 500, 10);
    row(
      'baseline GET /healthz at 500/s: p50 / p99',
      `${floor.latency.p50} / ${floor.latency.p99} ms`,
      `${floor.requests.average.toFixed(0)} req/s served`,
    );
    const paced = await wrkPaced(url, 500, 10, root);
    if (paced) {
      row(
        'wrk (C) paced to ~500/s: p50 / p99',
        `${paced.p50.toFixed(1)} / ${paced.p99.toFixed(1)} ms`,
        `${paced.rps.toFixed(0)} req/s served (target p99 < 20 ms at 500/s)`,
      );
    } else {
      row('wrk (C) paced to ~500/s', 'skipped', 'apt-get install wrk for the figure with a C load generator');
    }
    for (const rate of [500, 1000]) {
      const r = await cannon(url, rate, 10);
      row(
        `autocannon (JS) at ${rate}/s: p50 / p99`,
        `${r.latency.p50} / ${r.latency.p99} ms`,
        `${r.requests.average.toFixed(0)} req/s served, ${r.non2xx + r.errors} errors (target p99 < 20 ms at 500/s)`,
      );
    }
  } finally {
    await server.close();
    await runtime.close();
  }
}

export function settled(server: RunningServer, match: (e: GantryEvent) => boolean): Promise<void> {
  return new Promise((resolve) => {
    const off = server.deps.bus.subscribe((e) => {
      if (match(e)) {
        off();
        resolve();
      }
    });
  });
}

/** Registry push -> config commit through the webhook, beside a promotion started by hand. */
export async function webhookBench(root: string, runs: number): Promise<void> {
  console.log(`\nregistry push (webhook) -> config commit, beside the same promotion by hand, median of ${runs}`);
  const dir = await resetDir(join(root, 'sandbox'));
  await initSandbox(dir, { yaml: true });
  const file = join(dir, 'gantry.yaml');
  const text = await readFile(file, 'utf8');
  const secret = 'bench-secret';
  await writeFile(
    file,
    `${text.replace('promotesFrom: oci', 'promotesFrom: oci\n        autoPromote: true')}server:\n  webhookSecret: ${secret}\n  schedules: []\n`,
  );
  const runtime = await openRuntime({ cwd: dir, env: {}, logger: silentLogger });
  const server = await startServer({ runtime, listen: false });
  const done = (digest: string) =>
    settled(
      server,
      (e) =>
        e.type === 'promotion' &&
        e.promotion.phase === 'staging' &&
        e.promotion.toDigest === digest &&
        e.promotion.state === 'succeeded',
    );
  const byHand: number[] = [];
  const byWebhook: number[] = [];
  try {
    for (let r = 0; r < runs; r++) {
      // by hand: the image is already pushed and seen; a person asks for the promotion
      let digest = await pushSandboxImage(dir);
      await server.deps.state.refresh(['app']);
      let t0 = performance.now();
      let landed = done(digest);
      const res = await server.app.request('/api/v1/pipelines/app/phases/staging/promotions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      if (res.status !== 202) throw new Error(`promote: ${res.status} ${await res.text()}`);
      await landed;
      byHand.push(performance.now() - t0);

      // by webhook: the registry reports the push; Gantry reconciles and auto-promotes
      digest = await pushSandboxImage(dir);
      const body = JSON.stringify({
        events: [{ action: 'push', target: { repository: 'app', tag: 'latest', digest } }],
      });
      t0 = performance.now();
      landed = done(digest);
      const hook = await server.app.request('/api/v1/webhooks/registry', {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', 'x-gantry-signature-256': signBody(secret, body) },
      });
      if (hook.status !== 202) throw new Error(`webhook: ${hook.status} ${await hook.text()}`);
      await landed;
      byWebhook.push(performance.now() - t0);
    }
  } finally {
    await server.close();
    await runtime.close();
  }
  const h = median(byHand);
  const w = median(byWebhook);
  row('promotion started by hand (API)', fmt(h), 'baseline');
  row('registry webhook -> pushed commit', fmt(w), `${(w / h).toFixed(2)}x by hand (target <= 1.3x)`);
}
