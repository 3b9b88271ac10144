import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DIR = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** A fixture's bytes as a deployer sends them. */
export function fixture(name: string): string {
  return readFileSync(`${DIR}${name}`, 'utf8');
}

/** The names of the fixtures whose name starts with `prefix`. */
export function fixtureNames(prefix: string): string[] {
  return readdirSync(DIR).filter((f) => f.startsWith(prefix) && f.endsWith('.json'));
}

/** The template variables an Argo CD fixture was rendered from. */
export function argoCdApplication(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(`${DIR}tools/argocd-apps/${name}`, 'utf8')) as Record<string, unknown>;
}

export const COMMIT = '5394cb7f48332b2de7c17dd8b8384bbc84b7e738';
export const COMMIT2 = '9b1e2c0d4f6a8e3b7c5d1f0a2e4c6b8d0f1a3c5e';
