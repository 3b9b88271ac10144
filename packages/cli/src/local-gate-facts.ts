import type { Runtime } from '@gantry/config';
import type { LifecycleOptions } from '@gantry/lifecycle';
import { signatureFacts } from '@gantry/signatures';

/**
 * What a local command's lifecycle judges signature gates on, as `gantry serve` does: the
 * version's signatures and attestations looked up in the registry its images come from and
 * verified with each gate's keys. Every local lifecycle that may judge gates takes it (a
 * request, a run, a verification that reconsiders waiting promotions), so a gate never lacks
 * its fact only because no server asked.
 */
export function localGateFacts(rt: Runtime): Pick<LifecycleOptions, 'signatures'> {
  return { signatures: signatureFacts(rt.system, rt.registries) };
}
