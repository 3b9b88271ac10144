import type { ApiArtifact, ApiEvent } from '@gantry/api';
import { artifactEventSchema } from '@gantry/api';
import { describe, expect, it } from 'vitest';
import { createClient } from './client.js';

const artifact: ApiArtifact = {
  id: '00000000-0000-4000-8000-00000000000a',
  kind: 'image',
  image: 'registry.example.com/app',
  digest: `sha256:${'a'.repeat(64)}`,
  source: { repository: 'https://github.com/acme/app', commit: 'abcdef1', branch: 'main' },
  sourceFrom: 'report',
  ci: { runUrl: 'https://github.com/acme/app/actions/runs/1' },
  pipelines: ['app'],
  verified: true,
  reportedAt: '2030-01-01T10:00:00.000Z',
  reportedBy: 'ci',
  updatedAt: '2030-01-01T10:00:00.000Z',
  steps: [{ name: 'build', status: 'succeeded', durationMs: 1000, updatedAt: '2030-01-01T10:00:00.000Z' }],
};

/** A server that answers /api/v1/events with these SSE messages, then ends the stream. */
function serving(messages: readonly { event: string; data: unknown }[]): typeof fetch {
  const text = messages.map((m, i) => `event: ${m.event}\ndata: ${JSON.stringify(m.data)}\nid: ${i}\n\n`).join('');
  return (async () =>
    new Response(text, { status: 200, headers: { 'content-type': 'text/event-stream' } })) as typeof fetch;
}

describe('client events()', () => {
  it('GIVEN the stream sends ready, hold, artifact and a kind this client does not know THEN hold and artifact are handed on, parsed, in order', async () => {
    const hold = {
      id: 'h1',
      kind: 'pin',
      pipeline: 'app',
      phase: 'production',
      at: '2030-01-01T09:00:00.000Z',
      by: 'ann',
    };
    const client = createClient({
      baseUrl: 'http://gantry.test',
      fetch: serving([
        { event: 'ready', data: { observedAt: null } },
        { event: 'hold', data: { type: 'hold', hold, change: 'set' } },
        { event: 'artifact', data: { type: 'artifact', artifact, outcome: 'created' } },
        { event: 'lineage', data: { type: 'lineage' } },
        {
          event: 'artifact',
          data: { type: 'artifact', artifact: { ...artifact, verified: false }, outcome: 'updated' },
        },
      ]),
    });
    const got: ApiEvent[] = [];
    await client.events((e) => got.push(e));
    expect(got.map((e) => (e.type === 'artifact' ? `artifact ${e.outcome}` : e.type))).toEqual([
      'hold',
      'artifact created',
      'artifact updated',
    ]);
    const first = got[1];
    expect(first?.type === 'artifact' && first.artifact).toEqual(artifact);
    // what the server sends is what the contract's schema describes
    for (const e of got.filter((x) => x.type === 'artifact')) expect(artifactEventSchema.parse(e)).toEqual(e);
  });
});
