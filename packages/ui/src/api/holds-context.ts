import type { ApiHold } from '@gantry/api';
import { createContext, useContext } from 'react';

/** The pins and pauses in force across all pipelines, and a way to read them again after a change. */
export interface Holds {
  readonly items: readonly ApiHold[];
  refresh(): void;
}

const NONE: Holds = { items: [], refresh: () => undefined };

export const HoldsContext = createContext<Holds | undefined>(undefined);

/** Outside a <HoldsProvider> (a component test of something else): no holds. */
export function useHolds(): Holds {
  return useContext(HoldsContext) ?? NONE;
}
