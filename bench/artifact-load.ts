/**
 * The artifact bench's load, in a process of its own: `POST /api/v1/artifacts` open loop at a
 * steady rate (each report leaves on schedule whether or not earlier ones have answered, so a
 * slow server shows as latency, not as a lower rate), every report a new build (a new digest)
 * with two steps, one in ten a replay of an earlier one. Prints one JSON line: latencies (as
 * answered, and by when each was sent) and statuses.
 */
import { createHash } from 'node:crypto';

const [url, token, host, rateArg, secondsArg] = process.argv.slice(2);
if (!url || !token || !host) throw new Error('usage: artifact-load <url> <token> <registry host> <rate> <seconds>');
const RATE = Number(rateArg ?? 200);
const SECONDS = Number(secondsArg ?? 10);

const digestOf = (i: number) => `sha256:${createHash('sha256').update(`build ${i}`).digest('hex')}`;

const body = (n: number) =>
  JSON.stringify({
    image: `${host}/app`,
    digest: digestOf(n),
    source: {
      repository: 'https://github.com/acme/app',
      commit: createHash('sha1').update(String(n)).digest('hex'),
      branch: n % 3 === 0 ? 'main' : `feature/${n % 7}`,
      author: { name: 'Ann Example', email: 'ann@example.com' },
      message: `build ${n}`,
    },
    ci: { runUrl: `https://github.com/acme/app/actions/runs/${n}`, provider: 'github-actions' },
    steps: [
      { name: 'build', status: 'succeeded', durationMs: 60_000 },
      { name: 'test', status: 'succeeded', durationMs: 120_000 },
    ],
  });

const total = RATE * SECONDS;
const latencies: number[] = [];
/** Each report's latency by when it was sent (in order of sending). */
const bySend: number[] = new Array(total).fill(0);
const statuses: Record<string, number> = {};
const post = async (i: number) => {
  // one in ten repeats an earlier report (a retried job)
  const n = i % 10 === 9 ? i - 5 : i;
  const started = performance.now();
  const res = await fetch(`${url}/api/v1/artifacts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-gantry-request': '1' },
    body: body(n),
  }).catch((e: unknown) => e as Error);
  const status =
    res instanceof Response ? String(res.status) : `error ${(res.cause as { code?: string })?.code ?? res.message}`;
  if (res instanceof Response) await res.arrayBuffer();
  latencies.push(performance.now() - started);
  bySend[i] = performance.now() - started;
  statuses[status] = (statuses[status] ?? 0) + 1;
};

const begin = performance.now();
const inflight: Promise<void>[] = [];
for (let i = 0; i < total; i++) {
  const due = begin + (i * 1000) / RATE;
  const wait = due - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  inflight.push(post(i));
}
const sentMs = performance.now() - begin;
await Promise.all(inflight);
process.stdout.write(
  `${JSON.stringify({ latencies, bySend, statuses, sentMs, elapsedMs: performance.now() - begin })}\n`,
);
