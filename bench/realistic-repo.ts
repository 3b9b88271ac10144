import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { git } from './sh.js';

export const ENVS = ['dev', 'staging', 'production'] as const;

export const fakeDigest = (seed: string): string => `sha256:${createHash('sha256').update(seed).digest('hex')}`;

export const servicePath = (i: number, env: string): string => `apps/svc-${i}/${env}/deployment.yaml`;

/** A ~20-line Deployment whose image is pinned by digest, as BENCHMARKS.md describes. */
export function deployment(i: number, env: string, digest: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: svc-${i}
  namespace: ${env} # one namespace per environment
  labels:
    app: svc-${i}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: svc-${i}
  template:
    metadata:
      labels:
        app: svc-${i}
    spec:
      containers:
        - name: app
          image: registry.example.com/svc-${i}@${digest}
          ports:
            - containerPort: 8080
`;
}

/**
 * Generates the realistic config repository with `git fast-import` into a bare repo:
 * `services` x 3 environments in one commit, then `history` commits that each change one file.
 */
export async function generateRealisticRepo(dir: string, services = 2000, history = 3000): Promise<string> {
  await mkdir(dir, { recursive: true });
  await git(['init', '-q', '--bare', '-b', 'main', dir]);
  const chunks: string[] = [];
  const t0 = 1_700_000_000;
  const data = (s: string) => `data ${Buffer.byteLength(s)}\n${s}\n`;
  const files: string[] = [];
  for (let i = 0; i < services; i++)
    for (const env of ENVS)
      files.push(`M 100644 inline ${servicePath(i, env)}\n${data(deployment(i, env, fakeDigest(`${i}/${env}/0`)))}`);
  chunks.push(
    `commit refs/heads/main\nmark :1\ncommitter Bench <bench@example.com> ${t0} +0000\n${data('initial layout')}${files.join('')}\n`,
  );
  let rnd = 42;
  const next = () => {
    rnd = (rnd * 1103515245 + 12345) & 0x7fffffff;
    return rnd;
  };
  for (let c = 1; c <= history; c++) {
    const i = next() % services;
    const env = ENVS[next() % ENVS.length] as string;
    chunks.push(
      `commit refs/heads/main\ncommitter Bench <bench@example.com> ${t0 + c * 60} +0000\n${data(`bump svc-${i} in ${env}`)}M 100644 inline ${servicePath(i, env)}\n${data(deployment(i, env, fakeDigest(`${i}/${env}/${c}`)))}\n`,
    );
  }
  await new Promise<void>((resolve, reject) => {
    const p = spawn('git', ['fast-import', '--quiet'], { cwd: dir, stdio: ['pipe', 'ignore', 'inherit'] });
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`fast-import exited ${code}`))));
    p.stdin.end(chunks.join(''));
  });
  return `file://${dir}`;
}
