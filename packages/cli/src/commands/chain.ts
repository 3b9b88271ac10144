import type { ApiChain, ApiChainLink } from '@gantry/api';
import { GantryError } from '@gantry/core';
import { readChain, runtimeProvenance } from '@gantry/server';
import { withConfiguredStore } from '../configured-store.js';
import type { Io } from '../io.js';
import { EXIT } from '../io.js';
import { toJson } from '../json.js';
import { remoteClient } from '../remote.js';
import type { GlobalOptions } from '../runtime.js';
import { withRuntime } from '../runtime.js';

export interface ChainFlags {
  readonly version?: string;
  readonly digest?: string;
  readonly json?: boolean;
}

/**
 * `gantry chain <pipeline> <phase>`: how a version got into a phase (default: what it runs now),
 * source commit -> CI run -> image -> config commit -> applied -> healthy -> verified. Remote
 * mode asks the server; locally the same records are read from the configured store, Git
 * and the registries.
 */
export async function chainCommand(
  io: Io,
  g: GlobalOptions,
  pipeline: string,
  phase: string,
  o: ChainFlags,
): Promise<number> {
  if (o.version !== undefined && o.digest !== undefined)
    throw new GantryError('invalid_request', 'give --version or --digest, not both', { field: 'version' });
  const named = {
    ...(o.version !== undefined ? { version: o.version } : {}),
    ...(o.digest !== undefined ? { digest: o.digest } : {}),
  };
  const client = remoteClient(io);
  const chain: ApiChain = client
    ? await client.chain(pipeline, phase, named)
    : await withRuntime(io, g, (rt) =>
        withConfiguredStore(io, g, async (store) => {
          const [status] = await rt.engine.status(pipeline);
          const current = status?.phases.find((p) => p.phase === phase);
          const chain = await readChain(
            { system: rt.system, store, provenance: runtimeProvenance(rt) },
            { pipeline, phase, ...named },
            current,
          );
          // the same JSON as the server's answer (dates as ISO text)
          return JSON.parse(JSON.stringify(chain)) as ApiChain;
        }),
      );
  io.out(o.json ? toJson(chain) : renderChain(chain));
  return EXIT.ok;
}

const MARK: Record<ApiChainLink['state'], string> = { done: '✓', pending: '…', failed: '✗', unknown: '?' };

const when = (at: string | undefined) => (at ? at.replace('T', ' ').replace(/\.\d+Z$|Z$/, 'Z') : '');

/** The chain as a vertical timeline: one link a line, who and when beside it, its page below. */
export function renderChain(c: ApiChain): string {
  const lines = [`${c.pipeline}/${c.phase}  ${c.version}${c.current ? '  (current)' : ''}`];
  for (const l of c.chain) {
    const meta = [l.by, when(l.at)].filter(Boolean).join(' · ');
    lines.push(`  ${MARK[l.state]} ${l.kind.padEnd(8)} ${l.summary}${meta ? `  [${meta}]` : ''}`);
    if (l.kind === 'ci')
      for (const s of l.steps)
        lines.push(
          `      - ${s.name}: ${s.status}${s.durationMs !== undefined ? ` (${Math.round(s.durationMs / 1000)}s)` : ''}`,
        );
    if (l.url) lines.push(`      ${l.url}`);
  }
  return `${lines.join('\n')}\n`;
}
