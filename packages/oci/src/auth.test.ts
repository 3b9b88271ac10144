import { describe, expect, it } from 'vitest';
import type { TokenFetch } from './auth.js';
import { createAuthenticator } from './auth.js';
import { parseWwwAuthenticate } from './www-authenticate.js';

const bearer = parseWwwAuthenticate(
  'Bearer realm="https://auth.example/token",service="reg",scope="repository:app:pull"',
);
const basic = parseWwwAuthenticate('Basic realm="reg"');

function tokenServer(body: (n: number) => object = (n) => ({ token: `t${n}`, expires_in: 300 })) {
  const calls: { url: URL; headers: Record<string, string> }[] = [];
  const fetchToken: TokenFetch = async (url, headers) => {
    calls.push({ url, headers });
    return new Response(JSON.stringify(body(calls.length)), { status: 200 });
  };
  return { calls, fetchToken };
}

describe('createAuthenticator', () => {
  it('GIVEN a bearer challenge WHEN answered THEN the realm is asked with service, scopes and basic creds', async () => {
    const server = tokenServer();
    const auth = createAuthenticator({
      auth: { username: 'robot', password: 'pw' },
      registryHost: 'reg.example',
      fetchToken: server.fetchToken,
    });
    expect(await auth.answer(bearer, 'repository:app:pull,push')).toBe('Bearer t1');
    const call = server.calls[0];
    expect(call?.url.origin + (call?.url.pathname ?? '')).toBe('https://auth.example/token');
    expect(call?.url.searchParams.get('service')).toBe('reg');
    expect(call?.url.searchParams.getAll('scope')).toEqual(['repository:app:pull', 'repository:app:pull,push']);
    expect(call?.headers.authorization).toBe(`Basic ${Buffer.from('robot:pw').toString('base64')}`);
  });

  it('GIVEN a token fetched for a scope WHEN the same scope is asked again THEN the cached token is sent', async () => {
    const server = tokenServer();
    const auth = createAuthenticator({ auth: undefined, registryHost: 'r', fetchToken: server.fetchToken });
    expect(await auth.authorization('repository:app:pull')).toBeUndefined();
    await auth.answer(bearer, 'repository:app:pull');
    expect(await auth.authorization('repository:app:pull')).toBe('Bearer t1');
    // a new scope gets its own token before its first request, without a 401 first
    expect(await auth.authorization('repository:other:pull')).toBe('Bearer t2');
    expect(server.calls).toHaveLength(2);
    expect(server.calls[0]?.headers.authorization).toBeUndefined();
  });

  it('GIVEN a cached token WHEN it expires THEN a new one is fetched', async () => {
    let now = Date.parse('2024-01-01T00:00:00Z');
    const server = tokenServer((n) => ({ token: `t${n}`, expires_in: 60 }));
    const auth = createAuthenticator({
      auth: undefined,
      registryHost: 'r',
      fetchToken: server.fetchToken,
      now: () => now,
    });
    await auth.answer(bearer, 's');
    now += 50_000;
    expect(await auth.authorization('s')).toBe('Bearer t1');
    now += 10_000;
    expect(await auth.authorization('s')).toBe('Bearer t2');
  });

  it('GIVEN a token the registry rejects WHEN challenged again THEN a fresh token is fetched, not the cached one', async () => {
    const server = tokenServer();
    const auth = createAuthenticator({ auth: undefined, registryHost: 'r', fetchToken: server.fetchToken });
    await auth.answer(bearer, 's');
    expect(await auth.answer(bearer, 's')).toBe('Bearer t2');
  });

  it('GIVEN the token server refuses the credentials WHEN answered THEN registry_unauthorized without the password', async () => {
    const auth = createAuthenticator({
      auth: { username: 'robot', password: 'hunter2' },
      registryHost: 'r',
      fetchToken: async () => new Response('{}', { status: 401 }),
    });
    const e = await auth.answer(bearer, 's').catch((x: unknown) => x as Error & { code: string });
    expect(e).toMatchObject({ code: 'registry_unauthorized' });
    expect(JSON.stringify({ m: (e as Error).message, c: (e as { context?: unknown }).context })).not.toContain(
      'hunter2',
    );
  });

  it("GIVEN one repository's token refused WHEN another repository asks first THEN it goes without a token, and its own challenge decides", async () => {
    // the token server refuses repository "secret" and grants "app"
    const asked: string[] = [];
    const auth = createAuthenticator({
      auth: undefined,
      registryHost: 'r',
      fetchToken: async (url) => {
        asked.push(url.searchParams.getAll('scope').join(' '));
        return url.searchParams.getAll('scope').some((s) => s.includes(':secret:'))
          ? new Response('{}', { status: 403 })
          : new Response(JSON.stringify({ token: 'app-token' }), { status: 200 });
      },
    });
    const secret = parseWwwAuthenticate('Bearer realm="https://auth.example/token",scope="repository:secret:pull"');
    await expect(auth.answer(secret, 'repository:secret:pull')).rejects.toMatchObject({
      code: 'registry_unauthorized',
      message: expect.stringContaining('repository:secret:pull'),
    });
    // "app" was never challenged: the hint gets its token, or nothing, never secret's error
    expect(await auth.authorization('repository:app:pull')).toBe('Bearer app-token');
    // secret's own realm refusing again is secret's own error
    await expect(auth.authorization('repository:secret:pull')).rejects.toMatchObject({ code: 'registry_unauthorized' });
    expect(asked).toEqual(['repository:secret:pull', 'repository:app:pull', 'repository:secret:pull']);
  });

  it('GIVEN a realm that refuses a scope it never challenged WHEN that scope asks THEN no error: the request goes without', async () => {
    const auth = createAuthenticator({
      auth: undefined,
      registryHost: 'r',
      fetchToken: async () => new Response('{}', { status: 401 }),
    });
    await expect(auth.answer(bearer, 'repository:app:pull')).rejects.toMatchObject({ code: 'registry_unauthorized' });
    expect(await auth.authorization('repository:public:pull')).toBeUndefined();
  });

  it('GIVEN two repositories challenged by different realms WHEN tokens are renewed THEN each goes to its own realm', async () => {
    const realms: string[] = [];
    const auth = createAuthenticator({
      auth: undefined,
      registryHost: 'r',
      now: () => 0,
      fetchToken: async (url) => {
        realms.push(url.host);
        return new Response(JSON.stringify({ token: url.host, expires_in: 1 }), { status: 200 });
      },
    });
    const at = (host: string, repo: string) =>
      parseWwwAuthenticate(`Bearer realm="https://${host}/token",scope="repository:${repo}:pull"`);
    expect(await auth.answer(at('one.example', 'a'), 'repository:a:pull')).toBe('Bearer one.example');
    expect(await auth.answer(at('two.example', 'b'), 'repository:b:pull')).toBe('Bearer two.example');
    // tokens live 1 s minus the margin: expired at once, so these fetch again, each from its own realm
    expect(await auth.authorization('repository:a:pull')).toBe('Bearer one.example');
    expect(await auth.authorization('repository:b:pull')).toBe('Bearer two.example');
    expect(realms).toEqual(['one.example', 'two.example', 'one.example', 'two.example']);
  });

  it('GIVEN a token response without a token WHEN answered THEN registry_error', async () => {
    const auth = createAuthenticator({
      auth: undefined,
      registryHost: 'r',
      fetchToken: async () => new Response('{"expires_in": 5}', { status: 200 }),
    });
    await expect(auth.answer(bearer, 's')).rejects.toMatchObject({ code: 'registry_error' });
  });

  it('GIVEN a basic challenge WHEN answered THEN basic credentials go with every later request', async () => {
    const auth = createAuthenticator({
      auth: { username: 'u', password: 'p' },
      registryHost: 'r',
      fetchToken: async () => {
        throw new Error('no token server here');
      },
    });
    const header = `Basic ${Buffer.from('u:p').toString('base64')}`;
    expect(await auth.answer(basic, 's')).toBe(header);
    expect(await auth.authorization('other')).toBe(header);
    // already sent and still refused: nothing more would help
    expect(await auth.answer(basic, 's')).toBeUndefined();
  });

  it('GIVEN anonymous access and a basic challenge WHEN answered THEN there is nothing to retry with', async () => {
    const auth = createAuthenticator({ auth: undefined, registryHost: 'r', fetchToken: async () => new Response() });
    expect(await auth.answer(basic, 's')).toBeUndefined();
  });

  it('GIVEN a static token WHEN any request is made THEN it is sent as a bearer token', async () => {
    const auth = createAuthenticator({
      auth: { token: 'abc' },
      registryHost: 'r',
      fetchToken: async () => new Response(),
    });
    expect(await auth.authorization('s')).toBe('Bearer abc');
    expect(await auth.answer(bearer, 's')).toBeUndefined();
  });
});
