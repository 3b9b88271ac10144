import { execFile } from 'node:child_process';
import { createPrivateKey, randomUUID, sign, timingSafeEqual, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port.js';

const run = promisify(execFile);

export interface TokenServer {
  /** The realm the registry sends clients to. */
  readonly realm: string;
  readonly service: string;
  readonly issuer: string;
  /** PEM file with the signing certificate: the registry's `rootcertbundle`. */
  readonly certFile: string;
  /** Tokens issued so far. */
  issued(): number;
  stop(): Promise<void>;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/** `repository:team/app:pull,push` -> the JWT `access` entry the registry checks. */
function accessOf(scope: string): { type: string; name: string; actions: string[] } | undefined {
  const last = scope.lastIndexOf(':');
  const first = scope.indexOf(':');
  if (first < 0 || last <= first) return undefined;
  return { type: scope.slice(0, first), name: scope.slice(first + 1, last), actions: scope.slice(last + 1).split(',') };
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * A Distribution token server for tests (docs: "Token Authentication Specification"):
 * checks basic credentials, grants every scope asked for, and signs an ES256 JWT whose
 * `x5c` header carries a self-signed certificate made with the `openssl` CLI; the
 * registry trusts it through `rootcertbundle`.
 */
export async function startTokenServer(dir: string, username: string, password: string): Promise<TokenServer> {
  const keyFile = join(dir, 'token-key.pem');
  const certFile = join(dir, 'token-cert.pem');
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    keyFile,
    '-out',
    certFile,
    '-days',
    '2',
    '-subj',
    '/CN=gantry-test-token-issuer',
  ]);
  const key = createPrivateKey(await readFile(keyFile));
  const x5c = [new X509Certificate(await readFile(certFile)).raw.toString('base64')];
  const service = 'gantry-test-registry';
  const issuer = 'gantry-test-token-issuer';
  let issued = 0;

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const header = req.headers.authorization ?? '';
    const given = header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString('utf8') : '';
    if (url.pathname !== '/token' || !sameText(given, `${username}:${password}`)) {
      res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Basic realm="gantry-test"' });
      res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'bad credentials' }] }));
      return;
    }
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: issuer,
      sub: username,
      aud: url.searchParams.get('service') ?? service,
      exp: now + 300,
      nbf: now - 10,
      iat: now,
      jti: randomUUID(),
      access: url.searchParams.getAll('scope').flatMap((s) => s.split(' ').flatMap((x) => accessOf(x) ?? [])),
    };
    const signingInput = `${b64url(JSON.stringify({ typ: 'JWT', alg: 'ES256', x5c }))}.${b64url(JSON.stringify(claims))}`;
    const signature = sign('sha256', Buffer.from(signingInput), { key, dsaEncoding: 'ieee-p1363' });
    const token = `${signingInput}.${b64url(signature)}`;
    issued++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({ token, access_token: token, expires_in: 300, issued_at: new Date(now * 1000).toISOString() }),
    );
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    certFile,
    issued: () => issued,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
