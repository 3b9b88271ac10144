import { SourceError } from '@gantry/core';

const COMPONENT = '[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*';
const REPOSITORY_RE = new RegExp(`^${COMPONENT}(?:/${COMPONENT})*$`);
const TAG_RE = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
const DIGEST_RE = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

/** Checks a repository name against the Distribution spec's grammar (so it is safe in URLs and paths). */
export function checkRepository(repository: string): string {
  if (!REPOSITORY_RE.test(repository)) {
    throw new SourceError('invalid_reference', `"${repository}" is not a valid repository name`, { repository });
  }
  return repository;
}

export const isDigest = (reference: string): boolean => DIGEST_RE.test(reference);

/** Checks a tag or digest. */
export function checkReference(repository: string, reference: string): string {
  if (!TAG_RE.test(reference) && !isDigest(reference)) {
    throw new SourceError('invalid_reference', `"${reference}" is neither a tag nor a digest`, {
      repository,
      reference,
    });
  }
  return reference;
}

/** `app:1.2.0` or `app@sha256:...`, as messages name a manifest. */
export const refName = (repository: string, reference: string): string =>
  `${repository}${isDigest(reference) ? '@' : ':'}${reference}`;
