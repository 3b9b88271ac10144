import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { credentialsFromDockerConfig, dockerConfigPath, loadDockerCredentials } from './docker-config.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('credentialsFromDockerConfig', () => {
  it('GIVEN an auths entry with base64 user:pass WHEN looked up by host THEN both parts are decoded', () => {
    const config = { auths: { 'registry.example.com': { auth: b64('robot:pa:ss') } } };
    expect(credentialsFromDockerConfig(config, 'registry.example.com')).toEqual({
      username: 'robot',
      password: 'pa:ss',
    });
  });

  it('GIVEN a key with scheme and path as docker login writes it WHEN looked up by host:port THEN it matches', () => {
    const config = { auths: { 'https://127.0.0.1:5000/v1/': { username: 'u', password: 'p' } } };
    expect(credentialsFromDockerConfig(config, '127.0.0.1:5000')).toEqual({ username: 'u', password: 'p' });
  });

  it('GIVEN the Docker Hub key WHEN looked up as registry-1.docker.io THEN it matches', () => {
    const config = { auths: { 'https://index.docker.io/v1/': { auth: b64('me:secret') } } };
    expect(credentialsFromDockerConfig(config, 'registry-1.docker.io')?.username).toBe('me');
  });

  it('GIVEN no entry for the host WHEN looked up THEN there are no credentials', () => {
    expect(credentialsFromDockerConfig({ auths: { other: { auth: b64('a:b') } } }, 'r.example')).toBeUndefined();
    expect(credentialsFromDockerConfig({ credsStore: 'desktop' }, 'r.example')).toBeUndefined();
  });

  it('GIVEN a malformed auth value WHEN looked up THEN the error names the entry but not the secret', () => {
    const secret = b64('nocolon-s3cr3t');
    expect(() => credentialsFromDockerConfig({ auths: { 'r.example': { auth: secret } } }, 'r.example')).toThrow(
      expect.objectContaining({ code: 'invalid_docker_config', message: expect.not.stringContaining('s3cr3t') }),
    );
  });
});

describe('loadDockerCredentials', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gantry-docker-config-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('GIVEN DOCKER_CONFIG names a directory WHEN loading THEN its config.json is read', async () => {
    await writeFile(join(dir, 'config.json'), JSON.stringify({ auths: { 'r.example': { auth: b64('a:b') } } }));
    expect(await dockerConfigPath(undefined, { DOCKER_CONFIG: dir })).toBe(join(dir, 'config.json'));
    expect(await loadDockerCredentials('r.example', undefined, { DOCKER_CONFIG: dir })).toEqual({
      username: 'a',
      password: 'b',
    });
  });

  it('GIVEN an explicit file path WHEN loading THEN that file is read', async () => {
    const file = join(dir, 'creds.json');
    await writeFile(file, JSON.stringify({ auths: { 'r.example': { username: 'x', password: 'y' } } }));
    expect(await loadDockerCredentials('r.example', file, {})).toEqual({ username: 'x', password: 'y' });
  });

  it('GIVEN no config file at the default place WHEN loading THEN access is anonymous', async () => {
    expect(await loadDockerCredentials('r.example', undefined, { DOCKER_CONFIG: join(dir, 'none') })).toBeUndefined();
  });

  it('GIVEN an explicit path that does not exist WHEN loading THEN it is an error', async () => {
    await expect(loadDockerCredentials('r.example', join(dir, 'missing.json'), {})).rejects.toMatchObject({
      code: 'invalid_docker_config',
    });
  });

  it('GIVEN a file that is not JSON WHEN loading THEN the error does not quote its content', async () => {
    const file = join(dir, 'config.json');
    await writeFile(file, '{"auths": {"r": {"auth": "c2VjcmV0OnB3"}} oops');
    await expect(loadDockerCredentials('r', file, {})).rejects.toSatisfy(
      (e: Error) => !e.message.includes('c2VjcmV0') && (e as { code?: string }).code === 'invalid_docker_config',
    );
  });
});
