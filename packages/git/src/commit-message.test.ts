import { describe, expect, it } from 'vitest';
import { formatCommitMessage, parseLogRecords, parseTrailerList } from './commit-message.js';

describe('commit messages', () => {
  it('GIVEN a message and trailers WHEN formatted THEN a blank line separates them, one Key: value per line', () => {
    const text = formatCommitMessage('promote app/staging to app@1234\n\n', {
      'Gantry-Pipeline': 'app',
      'Gantry-Phase': 'staging',
      'Gantry-Digest': 'sha256:abc',
      'Gantry-Promotion-Id': 'p-1',
    });
    expect(text).toBe(
      'promote app/staging to app@1234\n\nGantry-Pipeline: app\nGantry-Phase: staging\nGantry-Digest: sha256:abc\nGantry-Promotion-Id: p-1\n',
    );
  });

  it('GIVEN a trailer value with a newline WHEN formatted THEN it stays on one line', () => {
    expect(formatCommitMessage('m', { Reason: 'two\nlines' })).toBe('m\n\nReason: two lines\n');
  });

  it('GIVEN a trailer key git would not read WHEN formatted THEN it is refused', () => {
    expect(() => formatCommitMessage('m', { 'Bad Key': 'x' })).toThrow(/invalid commit trailer key/);
  });

  it('GIVEN no trailers WHEN formatted THEN only the message is written', () => {
    expect(formatCommitMessage('just this', {})).toBe('just this\n');
  });

  it('GIVEN git log records WHEN parsed THEN revision, trailers, message without trailers and paths come back', () => {
    const record = (sha: string, body: string, trailers: string, paths: string[]) =>
      `\x1e${sha}\x00Ada\x00ada@example.com\x001700000000\x00${trailers}\0${body}\0\n${paths.join('\n')}\n`;
    const out =
      record(
        'a'.repeat(40),
        'promote x\n\nbody text\n\nGantry-Phase: prod\nGantry-Digest: sha256:1\n',
        'Gantry-Phase: prod\x1fGantry-Digest: sha256:1',
        ['env/a.yaml', 'env/b c.yaml'],
      ) + record('b'.repeat(40), 'plain commit\n', '', []);

    const [first, second] = parseLogRecords(out);

    expect(first?.revision).toEqual({
      id: 'a'.repeat(40),
      time: new Date(1_700_000_000_000),
      author: 'Ada <ada@example.com>',
      message: 'promote x\n\nbody text',
      trailers: { 'Gantry-Phase': 'prod', 'Gantry-Digest': 'sha256:1' },
    });
    expect(first?.paths).toEqual(['env/a.yaml', 'env/b c.yaml']);
    expect(second?.revision.message).toBe('plain commit');
    expect(second?.paths).toEqual([]);
  });

  it('GIVEN a trailer list WHEN parsed THEN values keep their colons', () => {
    expect(parseTrailerList('Url: https://x/y\x1fKey: v')).toEqual({ Url: 'https://x/y', Key: 'v' });
  });
});
