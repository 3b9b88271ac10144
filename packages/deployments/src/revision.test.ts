import { describe, expect, it } from 'vitest';
import { describeRevision, parseRevision, withOrigin } from './revision.js';

const SHA = '5394cb7f48332b2de7c17dd8b8384bbc84b7e738';
const DIGEST = 'sha256:6ca1d018a562caa81bfee3c56c41d255b085bbdb30da79e09849559680df8675';

describe('parseRevision', () => {
  it.each([
    // GIVEN each revision shape Flux and Argo CD report THEN branch, commit, digest and version are split out
    [`main@sha1:${SHA}`, { branch: 'main', commit: SHA }],
    [`refs/heads/main@sha1:${SHA}`, { branch: 'main', commit: SHA }],
    [`feature/login@sha1:${SHA}`, { branch: 'feature/login', commit: SHA }],
    [`v1.0.0@sha1:${SHA}`, { version: 'v1.0.0', commit: SHA }],
    [`refs/tags/v1.0.0@sha1:${SHA}`, { version: 'v1.0.0', commit: SHA }],
    [`refs/pull/420/head@sha1:${SHA}`, { commit: SHA }],
    [`sha1:${SHA}`, { commit: SHA }],
    [`main/${SHA}`, { branch: 'main', commit: SHA }],
    [`feature/login/${SHA}`, { branch: 'feature/login', commit: SHA }],
    [`HEAD/${SHA}`, { commit: SHA }],
    [SHA, { commit: SHA }],
    [SHA.toUpperCase(), { commit: SHA }],
    [`v1.2.3@${DIGEST}`, { version: 'v1.2.3', digest: DIGEST }],
    [`latest@${DIGEST}`, { version: 'latest', digest: DIGEST }],
    [DIGEST, { digest: DIGEST }],
    [DIGEST.slice('sha256:'.length), { digest: DIGEST }],
    ['6.5.4', { version: '6.5.4' }],
    ['v2.0.0-rc.1', { version: 'v2.0.0-rc.1' }],
    [`0.1.0+${SHA.slice(0, 12)}`, { version: '0.1.0', commit: SHA.slice(0, 12) }],
    [`0.1.0+${SHA.slice(0, 12)}.3`, { version: '0.1.0', commit: SHA.slice(0, 12) }],
    ['0.1.0+3', { version: '0.1.0+3' }],
  ])('%s', (raw, expected) => {
    expect(parseRevision(raw)).toEqual({ raw, ...expected });
  });

  it('GIVEN a named pointer holding "@" THEN the digest is what follows the last "@" (RFC-0005)', () => {
    expect(parseRevision(`pkg@v1@sha1:${SHA}`)).toMatchObject({ branch: 'pkg@v1', commit: SHA });
  });

  it('GIVEN something that is no known shape THEN only the raw text is kept', () => {
    expect(parseRevision('not a revision')).toEqual({ raw: 'not a revision' });
    expect(parseRevision('')).toEqual({ raw: '' });
  });
});

describe('withOrigin', () => {
  it('GIVEN an OCI revision and the Git revision it was built from THEN the digest and tag stay and branch and commit are added', () => {
    const r = withOrigin(parseRevision(`v1.2.3@${DIGEST}`), `main@sha1:${SHA}`);
    expect(r).toEqual({
      raw: `v1.2.3@${DIGEST}`,
      version: 'v1.2.3',
      digest: DIGEST,
      branch: 'main',
      commit: SHA,
      originRevision: `main@sha1:${SHA}`,
    });
  });
});

describe('describeRevision', () => {
  it('is short and names what is known', () => {
    expect(describeRevision(parseRevision(`main@sha1:${SHA}`))).toBe('main@5394cb7f48');
    expect(describeRevision(parseRevision('6.5.4'))).toBe('6.5.4');
    expect(describeRevision(parseRevision('what'))).toBe('what');
  });
});
