import { describe, expect, it } from 'vitest';
import type { GateFacts } from './facts.js';
import { autoFactsAt, evidenceOf, factsAt, verdictOf } from './facts.test-support.js';

const NOW = '2025-12-05T12:00:00Z';
const withMessage = (f: GateFacts, message: string | undefined): GateFacts => ({
  ...f,
  version: { ...f.version, source: { ...f.version.source, message } },
});

describe('the commit gate', () => {
  const ticket = { kind: 'commit', ticket: '[A-Z]+-\\d+', ticketExample: 'SHOP-123' };

  it('GIVEN a message with a ticket WHEN evaluated THEN it passes and names the ticket', () => {
    const v = verdictOf(ticket, autoFactsAt(NOW));
    expect(v).toMatchObject({ outcome: 'pass', reason: '0123456789: ticket SHOP-42' });
    expect(evidenceOf(v, 'commit')).toMatchObject({
      ticket: 'SHOP-42',
      subject: 'Add the checkout button',
      failed: [],
    });
  });

  it('GIVEN a message without a ticket WHEN evaluated THEN it blocks and asks for a commit with a ticket like the example', () => {
    const v = verdictOf(ticket, withMessage(autoFactsAt(NOW), 'quick fix'));
    expect(v).toMatchObject({
      outcome: 'block',
      reason: 'the message of 0123456789 has no ticket reference ([A-Z]+-\\d+)',
      unblock: 'release from a commit whose message has a ticket like SHOP-123',
    });
    expect(evidenceOf(v, 'commit')).toMatchObject({ subject: 'quick fix', failed: ['ticket'] });
  });

  it('GIVEN a skip marker WHEN promoted automatically THEN it blocks; released by hand THEN it passes, noting the marker', () => {
    const skip = { kind: 'commit', skipMarkers: ['[skip deploy]', '[no release]'] };
    const auto = verdictOf(skip, withMessage(autoFactsAt(NOW), 'Docs only [Skip Deploy]'));
    expect(auto).toMatchObject({ outcome: 'block', reason: '0123456789 says [skip deploy]' });
    expect(auto.unblock).toMatch(/^release it by hand/);
    const manual = verdictOf(skip, withMessage(factsAt(NOW), 'Docs only [skip deploy]'));
    expect(manual).toMatchObject({ outcome: 'pass', reason: '0123456789: [skip deploy] ignored: released by hand' });
    expect(verdictOf(skip, autoFactsAt(NOW)).outcome).toBe('pass');
  });

  it('GIVEN a committer allow-list WHEN the committer matches a glob THEN it passes; another committer blocks', () => {
    const list = { kind: 'commit', committers: ['*@EXAMPLE.com', 'bot+release@ci.test'] };
    expect(verdictOf(list, autoFactsAt(NOW)).outcome).toBe('pass');
    const f = autoFactsAt(NOW);
    const stranger = {
      ...f,
      version: { ...f.version, source: { ...f.version.source, committer: { email: 'x@evil.test' } } },
    };
    const v = verdictOf(list, stranger);
    expect(v).toMatchObject({ outcome: 'block', reason: 'committer x@evil.test is not allowed' });
    expect(v.unblock).toBe('release a version committed by an allowed committer (*@EXAMPLE.com, bot+release@ci.test)');
  });

  it('GIVEN identity author WHEN the author is not allowed THEN it blocks on the author', () => {
    const v = verdictOf({ kind: 'commit', committers: ['/@example\\.com$/'], identity: 'author' }, autoFactsAt(NOW));
    expect(v).toMatchObject({ outcome: 'block', reason: 'author author@contractor.test is not allowed' });
  });

  it('GIVEN no source commit known WHEN a rule needs it THEN it blocks for the missing fact, never passes', () => {
    const f = autoFactsAt(NOW);
    const unknown = { ...f, version: { digest: f.version.digest } };
    const v = verdictOf({ kind: 'commit', ticket: 'X-\\d+', committers: ['*@example.com'] }, unknown);
    expect(v.outcome).toBe('block');
    expect(v.reason).toBe(
      'the message of the source commit is not known; the committer of the source commit is not known',
    );
    expect(evidenceOf(v, 'commit').failed).toEqual(['message-unknown', 'email-unknown']);
  });

  it('GIVEN several rules failing WHEN evaluated THEN every failure is listed', () => {
    const f = withMessage(autoFactsAt(NOW), 'wip [skip deploy]');
    const v = verdictOf(
      { kind: 'commit', skipMarkers: '[skip deploy]', ticket: 'SHOP-\\d+', committers: ['ci@x.test'] },
      f,
    );
    expect(evidenceOf(v, 'commit').failed).toEqual(['skip-marker', 'ticket', 'committer']);
  });
});
