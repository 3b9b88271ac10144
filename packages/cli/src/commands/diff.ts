import { colorDiff, hostNotes } from '../format-diff.js';
import type { Io } from '../io.js';
import { EXIT } from '../io.js';
import { toJson } from '../json.js';
import type { PlanView } from '../plan-view.js';
import { progress } from '../progress.js';
import { remoteClient } from '../remote.js';
import type { GlobalOptions } from '../runtime.js';
import { withRuntime } from '../runtime.js';

/** Exactly what `promote` would write, from the same plan (the server's, in remote mode). */
export async function diffCommand(
  io: Io,
  g: GlobalOptions,
  pipeline: string,
  phase: string,
  o: { json?: boolean },
): Promise<number> {
  const p = progress(io, `planning ${pipeline}/${phase}`);
  const client = remoteClient(io);
  const plan: PlanView = await (client
    ? client.plan(pipeline, phase)
    : withRuntime(io, g, (rt) => rt.engine.plan(pipeline, phase))
  ).finally(() => p.done());
  if (o.json) {
    io.out(toJson(plan));
    return plan.kind === 'blocked' ? EXIT.blocked : EXIT.ok;
  }
  switch (plan.kind) {
    case 'in-sync':
      io.out(`${pipeline}/${phase} is in sync at ${plan.current.version}; a promotion would change nothing\n`);
      return EXIT.ok;
    case 'blocked':
      io.err(`${pipeline}/${phase} cannot be promoted now: ${plan.reason}\n`);
      return EXIT.blocked;
    case 'promote':
      io.out(`# ${plan.current?.version ?? '(none)'} -> ${plan.target.version} (${plan.reason})\n`);
      io.out(hostNotes(plan.diff));
      io.out(colorDiff(plan.diff, io.color));
      return EXIT.ok;
  }
}
