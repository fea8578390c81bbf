import { describe, expect, it } from 'vitest';
import { base64url, newToken, uuid } from './ids';

describe('ids made in the browser', () => {
  it('uuid is a lower-case version 4 UUID', () => {
    for (let i = 0; i < 50; i++) expect(uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
  it('a token is 32 random bytes in 43 base64url characters', () => {
    const t = newToken();
    expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newToken()).not.toBe(t);
  });
  it('base64url has no padding and uses - and _', () => {
    expect(base64url(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
  });
});
