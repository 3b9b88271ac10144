import { hostname } from 'node:os';
import type { Runtime } from '@gantry/config';
import type { Lifecycle, LifecycleOptions } from '@gantry/lifecycle';
import { createLifecycle } from '@gantry/lifecycle';
import type { Store } from '@gantry/store';

/**
 * What a local command's lifecycle judges gates on, as `gantry serve` does: the version's
 * signatures and attestations looked up in the registry its images come from and verified
 * with each gate's keys, and its source commit (CI's artifact reports recorded in this store
 * first, then the image's labels) for commit and branch gates. Every local lifecycle that may
 * judge gates takes it (a request, a run, a verification that reconsiders waiting promotions),
 * so a gate never lacks its fact only because no server asked. Both are loaded only when such
 * a gate is judged: most commands never need them, and the CLI starts at once.
 */
export function localGateFacts(rt: Runtime, store: Store): Pick<LifecycleOptions, 'signatures' | 'sourceFacts'> {
  let signatures: Promise<NonNullable<LifecycleOptions['signatures']>> | undefined;
  let sources: Promise<NonNullable<LifecycleOptions['sourceFacts']>> | undefined;
  return {
    signatures: async (q) => {
      signatures ??= import('@gantry/signatures').then((m) => m.signatureFacts(rt.system, rt.registries));
      return (await signatures)(q);
    },
    sourceFacts: async (q) => {
      sources ??= import('@gantry/server').then((m) =>
        m.runtimeSourceFacts(rt, [
          m.artifactSupplier(store, m.runtimeArtifactReports(rt, store, m.createEventBus()).reverify),
        ]),
      );
      return (await sources)(q);
    },
  };
}

/**
 * A lifecycle for one local command on the configured system and its store: the same gate
 * facts and check settings for every command, and no background work (only what it asks for).
 */
export function localLifecycleOn(
  rt: Runtime,
  store: Store,
  extra: Pick<LifecycleOptions, 'events' | 'clock'> = {},
): Lifecycle {
  return createLifecycle({
    engine: rt.engine,
    store,
    logger: rt.logger,
    owner: `cli-${hostname()}-${process.pid}`,
    checkDeps: { workDir: rt.loaded.dir },
    ...localGateFacts(rt, store),
    ...extra,
  });
}
