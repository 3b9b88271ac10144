import type { ApiArtifact } from '@gantry/api';
import { shortDigest } from '../../shared/format.js';

const STEP_MARK: Readonly<Record<ApiArtifact['steps'][number]['status'], string>> = {
  succeeded: '✓',
  failed: '✗',
  running: '…',
  skipped: '–',
};

/**
 * What was built, as people name it: the image without its registry host and a short digest
 * (`acme/app@sha256:0123456789ab…`), or the chart and its version.
 */
export function artifactName(a: ApiArtifact): string {
  if (a.kind === 'chart') return `${(a.chart ?? '').replace(/^oci:\/\//, '').replace(/^.*\//, '')}@${a.version ?? ''}`;
  const [first, ...rest] = (a.image ?? '').split('/');
  // a first part with a dot, a port or `localhost` is a registry host (Docker's rule)
  const isHost = rest.length > 0 && first !== undefined && (/[.:]/.test(first) || first === 'localhost');
  const name = isHost ? rest.join('/') : (a.image ?? '');
  return a.digest ? `${name}@sha256:${shortDigest(a.digest)}…` : name;
}

/** The steps of its run in one line: `build ✓ test ✗`. */
export const stepsText = (a: ApiArtifact): string => a.steps.map((s) => `${s.name} ${STEP_MARK[s.status]}`).join(' ');

/** `CI reported acme/app@sha256:0123456789ab… from main (build ✓ test ✓)` */
export function artifactText(a: ApiArtifact, outcome: 'created' | 'updated'): string {
  const steps = stepsText(a);
  return `CI ${outcome === 'created' ? 'reported' : 'updated'} ${artifactName(a)}${a.source.branch ? ` from ${a.source.branch}` : ''}${steps ? ` (${steps})` : ''}`;
}
