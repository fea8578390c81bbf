import { describe, expect, it } from 'vitest';
import { parseRoute } from './router.svelte';
import { keyFromHash } from './state/identity';
import { normaliseCode } from './net/ids';
import { pickLanguage } from './i18n/index.svelte';

describe('routes (PROTOCOL.md §1)', () => {
  it.each([
    ['/', { name: 'landing' }],
    ['/j/K7QX4M', { name: 'join', code: 'K7QX4M' }],
    ['/p/6937a2a9', { name: 'phone', workshop: '6937a2a9' }],
    ['/board/6937a2a9', { name: 'board', workshop: '6937a2a9' }],
    ['/console/6937a2a9/', { name: 'console', workshop: '6937a2a9' }],
    ['/nope', { name: 'notFound' }],
  ])('%s', (path, want) => expect(parseRoute(path)).toEqual(want));

  it('reads the key from the fragment only', () => {
    expect(keyFromHash('#k=abc_DEF-123')).toBe('abc_DEF-123');
    expect(keyFromHash('#x=1&k=abc')).toBe('abc');
    expect(keyFromHash('')).toBeNull();
  });
});

describe('join codes and languages', () => {
  it('forgives case and spaces in a typed code', () => {
    expect(normaliseCode(' k7q x4m ')).toBe('K7QX4M');
    expect(normaliseCode('k7q-x4m')).toBe('K7QX4M');
  });

  it('prefers the remembered language, then the browser’s, then French', () => {
    expect(pickLanguage('en', ['fr-FR'])).toBe('en');
    expect(pickLanguage(null, ['de-DE', 'en-GB'])).toBe('en');
    expect(pickLanguage(null, ['fr-CA'])).toBe('fr');
    expect(pickLanguage(null, ['de'])).toBe('fr');
  });
});
