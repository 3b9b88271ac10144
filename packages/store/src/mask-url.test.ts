import { describe, expect, it } from 'vitest';
import { maskDatabaseUrl, urlPassword } from './mask-url.js';

describe('maskDatabaseUrl', () => {
  it('GIVEN a URL with a password WHEN masked THEN the password is replaced and the rest kept', () => {
    const masked = maskDatabaseUrl('postgres://u:secret@127.0.0.1:1/x');
    expect(masked).toBe('postgres://u:***@127.0.0.1:1/x');
    expect(urlPassword('postgres://u:secret@127.0.0.1:1/x')).toBe('secret');
  });

  it('GIVEN a password in the query WHEN masked THEN it is hidden too', () => {
    const masked = maskDatabaseUrl('postgresql://db.example/app?password=hunter2&sslmode=require');
    expect(masked).not.toContain('hunter2');
    expect(masked).toContain('sslmode=require');
  });

  it('GIVEN a URL without a password WHEN masked THEN it is unchanged', () => {
    expect(maskDatabaseUrl('postgres://postgres@127.0.0.1:5432/test')).toBe('postgres://postgres@127.0.0.1:5432/test');
    expect(urlPassword('postgres://postgres@127.0.0.1:5432/test')).toBeUndefined();
  });

  it('GIVEN an unparseable URL with a password WHEN masked THEN the password is still hidden', () => {
    const masked = maskDatabaseUrl('postgres://u:p@ss w0rd@host:notaport/x');
    expect(masked).not.toContain('ss w0rd');
  });
});
