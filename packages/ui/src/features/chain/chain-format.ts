import type { ApiChainLink, ApiChainLinkState } from '@gantry/api';

const TITLES: Record<ApiChainLink['kind'], string> = {
  source: 'Source commit',
  ci: 'CI run',
  image: 'Image',
  config: 'Config commit',
  applied: 'Applied',
  healthy: 'Healthy',
  verified: 'Verified',
};

/** A chain link's name in the timeline. */
export const linkTitle = (kind: ApiChainLink['kind']): string => TITLES[kind];

const WORDS: Record<ApiChainLinkState, string> = {
  done: 'done',
  pending: 'waiting',
  failed: 'failed',
  unknown: 'not known',
};

/** A link's state in words (`pending` reads as waiting: nothing has failed). */
export const stateWord = (s: ApiChainLinkState): string => WORDS[s];
