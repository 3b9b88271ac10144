import type { FormEvent } from 'react';
import { useEffect, useState } from 'react';
import { describeError } from '../../api/describe-error.js';

/** Asks for an API token when the server requires one; the token is kept in this browser only. */
export function SignIn(props: {
  rejected: boolean;
  signIn: (token: string) => Promise<void>;
  /** Forget the saved token and try again without one (the server may have no tokens any more). */
  withoutToken?: () => void;
}) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | undefined>(
    props.rejected ? 'The saved token was not accepted (revoked or expired). Sign in again.' : undefined,
  );
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    document.title = 'Sign in — Gantry';
  }, []);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await props.signIn(token.trim());
    } catch (err) {
      const v = describeError(err);
      setError(v.status === 401 ? 'The server does not know this token (or it was revoked).' : v.detail);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="page sign-in">
      <form className="card" onSubmit={submit}>
        <h1>Sign in to Gantry</h1>
        <p>
          This server requires an API token. Create one with <code>gantry token create --name you --role promoter</code>{' '}
          and paste it here. It is kept in this browser only.
        </p>
        <label htmlFor="token">API token</label>
        <input
          id="token"
          type="password"
          autoComplete="off"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          placeholder="gty_…"
        />
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy || token.trim() === ''}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {props.rejected && props.withoutToken && (
          <button type="button" className="link" onClick={props.withoutToken}>
            Forget the saved token and try without one
          </button>
        )}
      </form>
    </main>
  );
}
