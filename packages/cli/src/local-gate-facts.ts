import type { Runtime } from '@gantry/config';
import type { LifecycleOptions } from '@gantry/lifecycle';

/**
 * What a local command's lifecycle judges signature gates on, as `gantry serve` does: the
 * version's signatures and attestations looked up in the registry its images come from and
 * verified with each gate's keys. Every local lifecycle that may judge gates takes it (a
 * request, a run, a verification that reconsiders waiting promotions), so a gate never lacks
 * its fact only because no server asked. The verifier (its crypto) is loaded only when a
 * signature gate is judged: most commands never need it, and the CLI starts at once.
 */
export function localGateFacts(rt: Runtime): Pick<LifecycleOptions, 'signatures'> {
  let facts: Promise<NonNullable<LifecycleOptions['signatures']>> | undefined;
  return {
    signatures: async (q) => {
      facts ??= import('@gantry/signatures').then((m) => m.signatureFacts(rt.system, rt.registries));
      return (await facts)(q);
    },
  };
}
