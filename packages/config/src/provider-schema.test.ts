import { describe, expect, it } from 'vitest';
import { repositorySchema } from './schema.js';

const repo = (provider: Record<string, unknown>) =>
  repositorySchema.safeParse({ url: 'https://github.com/acme/config.git', provider });
const app = { id: 1, installationId: 2, privateKey: '-----BEGIN RSA PRIVATE KEY-----\n…' };

describe('the provider of a repository', () => {
  it('GIVEN GitHub with an App and no token WHEN parsed THEN it is accepted', () => {
    expect(repo({ kind: 'github', repository: 'acme/config', app }).success).toBe(true);
    expect(
      repo({
        kind: 'github',
        repository: 'acme/config',
        app: { id: '1', installationId: '2', privateKeyFile: 'k.pem' },
      }).success,
    ).toBe(true);
  });
  it('GIVEN both a token and an App, or neither WHEN parsed THEN it is refused', () => {
    expect(repo({ kind: 'github', repository: 'acme/config', app, token: 't' }).success).toBe(false);
    expect(repo({ kind: 'github', repository: 'acme/config' }).success).toBe(false);
  });
  it('GIVEN an App without a key, or with both key forms WHEN parsed THEN it is refused', () => {
    expect(repo({ kind: 'github', repository: 'acme/config', app: { id: 1, installationId: 2 } }).success).toBe(false);
    expect(repo({ kind: 'github', repository: 'acme/config', app: { ...app, privateKeyFile: 'k.pem' } }).success).toBe(
      false,
    );
  });
  it('GIVEN GitLab with an App WHEN parsed THEN it is refused: GitLab takes a token', () => {
    expect(repo({ kind: 'gitlab', repository: 'acme/config', app }).success).toBe(false);
    expect(repo({ kind: 'gitlab', repository: 'acme/config', token: 't' }).success).toBe(true);
  });
});
