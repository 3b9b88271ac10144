import type { ApiMe } from '@gantry/client';
import { ApiProblemError, createClient } from '@gantry/client';
import type { ReactNode } from 'react';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { ErrorNotice } from '../shared/ErrorNotice.js';
import { Loading } from '../shared/Loading.js';
import { SignIn } from '../features/auth/SignIn.js';
import type { Api } from './api-context.js';
import { ApiContext } from './api-context.js';
import { useConnectionStore } from './connection.js';
import { takeEarlyMe } from './early-fetch.js';
import { readToken, writeToken } from './token-storage.js';

type Session =
  | { readonly kind: 'checking' }
  | { readonly kind: 'ready'; readonly me: ApiMe | undefined }
  | { readonly kind: 'sign-in'; readonly rejected: boolean }
  | { readonly kind: 'error'; readonly error: unknown };

/** Holds the token and the caller's identity; shows sign-in when the server asks for a token. */
export function ApiProvider(props: { children: ReactNode }) {
  const [token, setToken] = useState(readToken);
  const [session, setSession] = useState<Session>({ kind: 'checking' });
  const [attempt, setAttempt] = useState(0);
  const connection = useConnectionStore();
  // every request tells the connection whether the server answers (a lost connection marks the page stale)
  const client = useMemo(
    () =>
      createClient({
        baseUrl: '',
        fetch: connection.wrapFetch(globalThis.fetch.bind(globalThis)),
        ...(token ? { token } : {}),
      }),
    [token, connection],
  );

  useEffect(() => {
    let live = true;
    // the attempt counter re-runs this check on Retry
    void attempt;
    (async () => (await takeEarlyMe(token)) ?? client.me())().then(
      (me) => live && setSession({ kind: 'ready', me }),
      (e: unknown) => {
        if (!live) return;
        if (e instanceof ApiProblemError && e.status === 401) setSession({ kind: 'sign-in', rejected: !!token });
        // a server without /me still serves the rest
        else if (e instanceof ApiProblemError && e.status === 404) setSession({ kind: 'ready', me: undefined });
        else setSession({ kind: 'error', error: e });
      },
    );
    return () => {
      live = false;
    };
  }, [client, token, attempt]);

  const signIn = useCallback(async (candidate: string) => {
    const me = await createClient({ baseUrl: '', token: candidate }).me();
    writeToken(candidate);
    setToken(candidate);
    setSession({ kind: 'ready', me });
  }, []);
  const signOut = useCallback(() => {
    writeToken(undefined);
    setToken(undefined);
    setSession({ kind: 'checking' });
  }, []);
  const unauthorized = useCallback(() => setSession({ kind: 'sign-in', rejected: true }), []);

  const api: Api | undefined = useMemo(
    () => (session.kind === 'ready' ? { client, me: session.me, token, signIn, signOut, unauthorized } : undefined),
    [session, client, token, signIn, signOut, unauthorized],
  );

  if (session.kind === 'checking') return <Loading what="Connecting to the Gantry server" />;
  if (session.kind === 'sign-in')
    return <SignIn rejected={session.rejected} signIn={signIn} {...(token ? { withoutToken: signOut } : {})} />;
  if (session.kind === 'error' || !api) {
    return (
      <main className="page">
        <ErrorNotice
          error={session.kind === 'error' ? session.error : undefined}
          retry={() => setAttempt((n) => n + 1)}
        />
      </main>
    );
  }
  return <ApiContext.Provider value={api}>{props.children}</ApiContext.Provider>;
}
