/**
 * The registries' own floor for the fleet's reads: the same request per image repository from a
 * bare keep-alive client at the same concurrency per registry, nothing done with the answers.
 * `HEAD` with `If-None-Match` (the digest known, as Gantry asks when every tag is asked again),
 * or `GET` of the manifest (as Gantry's first observation reads each tag). Gantry's figures are
 * printed beside it, measured against the same registries.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { fleetManifest, registryOf } from './fleet-gen.js';

const ACCEPT = 'application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json';

/** Clock ticks per second of /proc's CPU times. */
const TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** User + system CPU time of these processes so far, in ms (Linux /proc). */
export function processCpuMs(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    // fields after the command's closing parenthesis: utime and stime are the 12th and 13th
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1000) / TICKS;
}

export interface Floor {
  readonly ms: number;
  /** The client's CPU. */
  readonly cpuMs: number;
  /** The registries' CPU meanwhile. */
  readonly registriesCpuMs: number;
  readonly notModified: number;
  readonly ok: number;
}

function ask(agent: Agent, method: 'HEAD' | 'GET', url: URL, digest: string): Promise<number> {
  const headers: Record<string, string> = { accept: ACCEPT };
  if (method === 'HEAD') headers['if-none-match'] = `"${digest}"`;
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

/** `pipelines` requests over the two registries, `concurrency` at once per registry. */
export async function registryFloor(
  registries: readonly string[],
  pids: readonly number[],
  pipelines: number,
  method: 'HEAD' | 'GET',
  concurrency = 16,
): Promise<Floor> {
  const agents = registries.map(() => new Agent({ keepAlive: true, maxSockets: concurrency }));
  const byRegistry = registries.map((_, r) =>
    Array.from({ length: pipelines }, (_, i) => i).filter((i) => registryOf(i) === r),
  );
  let notModified = 0;
  let ok = 0;
  const t = performance.now();
  const c = process.cpuUsage();
  const r0 = processCpuMs(pids);
  await Promise.all(
    byRegistry.flatMap((images, r) => {
      let next = 0;
      return Array.from({ length: concurrency }, async () => {
        while (next < images.length) {
          const i = images[next++] as number;
          const url = new URL(`/v2/svc-${i}/manifests/latest`, registries[r]);
          const status = await ask(agents[r] as Agent, method, url, fleetManifest(i).digest);
          if (status === 304) notModified++;
          else if (status === 200) ok++;
        }
      });
    }),
  );
  const u = process.cpuUsage(c);
  for (const a of agents) a.destroy();
  const ms = performance.now() - t;
  return { ms, cpuMs: (u.user + u.system) / 1000, registriesCpuMs: processCpuMs(pids) - r0, notModified, ok };
}
