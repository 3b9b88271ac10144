import type { ApiArtifact } from '@gantry/api';

/** `1m01s`, `42s`, `850ms`. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60
    ? `${m}m${String(s % 60).padStart(2, '0')}s`
    : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** What the artifact is: `ghcr.io/acme/app@sha256:1a2b3c4d5e6f` or `app 1.2.0`. */
export const artifactName = (a: ApiArtifact): string =>
  a.kind === 'image' ? `${a.image ?? ''}@${(a.digest ?? '').slice(0, 19)}` : `${a.chart ?? ''} ${a.version ?? ''}`;

const trust = (a: ApiArtifact) => (a.verified ? 'verified' : `unverified: ${a.unverifiedReason ?? 'not checked'}`);

const firstLine = (text: string) => text.split('\n')[0] ?? '';

/** One artifact, as `artifact report`, `artifact step` and `artifact show` print it. */
export function describeArtifact(a: ApiArtifact, outcome?: 'created' | 'updated' | 'unchanged'): string {
  const s = a.source;
  const author = s.author
    ? [s.author.name, s.author.email ? `<${s.author.email}>` : undefined].filter(Boolean).join(' ')
    : '';
  const lines = [
    `artifact ${a.id}${outcome ? ` ${outcome === 'unchanged' ? 'unchanged (already reported)' : outcome}` : ''}`,
    `  ${artifactName(a)} (${trust(a)})`,
    `  source    ${[s.commit?.slice(0, 12), s.branch, author].filter(Boolean).join('  ') || '(unknown)'}${
      a.sourceFrom !== 'report' ? `  [from ${a.sourceFrom === 'labels' ? 'OCI labels' : 'report and OCI labels'}]` : ''
    }`,
    ...(s.message ? [`  message   ${firstLine(s.message)}`] : []),
    ...(s.repository ? [`  repo      ${s.repository}`] : []),
    ...(a.ci.runUrl ? [`  ci run    ${a.ci.runUrl}${a.ci.provider ? ` (${a.ci.provider})` : ''}`] : []),
    `  pipelines ${a.pipelines.length > 0 ? a.pipelines.join(', ') : '(none reads this image)'}`,
    `  reported  ${a.reportedAt} by ${a.reportedBy}`,
    ...(a.steps.length > 0 ? ['  steps'] : []),
    ...a.steps.map((st) =>
      `    ${st.name.padEnd(16)} ${st.status.padEnd(9)} ${st.durationMs !== undefined ? formatMs(st.durationMs).padEnd(7) : '-'.padEnd(7)} ${st.url ?? ''}`.trimEnd(),
    ),
  ];
  return `${lines.join('\n')}\n`;
}

/** The artifact list: newest first, one line each. */
export function artifactTable(items: readonly ApiArtifact[]): string {
  if (items.length === 0) return 'no artifacts reported\n';
  const rows = items.map((a) => [
    a.id.slice(0, 8),
    a.reportedAt.replace('T', ' ').slice(0, 19),
    artifactName(a),
    a.source.branch ?? '-',
    a.source.commit?.slice(0, 7) ?? '-',
    a.verified ? 'verified' : 'unverified',
    a.steps.map((s) => `${s.name}:${s.status}`).join(',') || '-',
  ]);
  const header = ['ID', 'REPORTED', 'ARTIFACT', 'BRANCH', 'COMMIT', 'REGISTRY', 'STEPS'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return `${[header, ...rows].map(line).join('\n')}\n`;
}
