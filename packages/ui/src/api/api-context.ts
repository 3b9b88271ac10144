import type { ApiMe, GantryClient } from '@gantry/client';
import { createContext, useContext } from 'react';

/** The signed-in API: a client carrying the token, and who the token belongs to. */
export interface Api {
  readonly client: GantryClient;
  /** Undefined while unknown (a server without /me). */
  readonly me: ApiMe | undefined;
  readonly token: string | undefined;
  /** Tries a token; resolves once the server accepted it. */
  signIn(token: string): Promise<void>;
  signOut(): void;
  /** A call answered 401: the token expired or was revoked. */
  unauthorized(): void;
}

export const ApiContext = createContext<Api | undefined>(undefined);

export function useApi(): Api {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside <ApiProvider>');
  return api;
}
