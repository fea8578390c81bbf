// The dependency-free applier against the golden vectors that @codemirror/state made (the same
// ones the Go server's textsync checks), and the reading of a synthesis as paragraphs and bullets.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ChangeSetJSON } from '../net/protocol';
import { ChangeMismatch, applyChangeSet, applyUpdates, blocks, bulletOf, bulletsToAppend, hasBullet } from './text';

interface Vector {
  name: string;
  doc: string;
  changes: ChangeSetJSON;
  result: string;
}
const FILE = fileURLToPath(new URL('../../../internal/textsync/testdata/vectors.json', import.meta.url));
const { vectors } = JSON.parse(readFileSync(FILE, 'utf8')) as { vectors: Vector[] };

describe('applyChangeSet', () => {
  it.each(vectors)('$name', (v) => {
    expect(applyChangeSet(v.doc, v.changes)).toBe(v.result);
  });

  it('counts UTF-16 code units: an emoji is two', () => {
    // "J'aime 😀 !": 😀 is at units 7 and 8.
    expect(applyChangeSet("J'aime 😀 !", [7, [2, '🎉'], 2])).toBe("J'aime 🎉 !");
    expect(applyChangeSet('é', [1, [0, '', '- x']])).toBe('é\n- x');
  });

  it('refuses changes made for another length', () => {
    expect(() => applyChangeSet('abc', [2])).toThrow(ChangeMismatch);
    expect(() => applyChangeSet('abc', [4])).toThrow(ChangeMismatch);
    expect(() => applyChangeSet('abc', [[5, 'x']])).toThrow(ChangeMismatch);
  });

  it('applies updates in order', () => {
    expect(applyUpdates('', [{ clientID: 'a', changes: [[0, 'un']] }, { clientID: 'b', changes: [2, [0, ' deux']] }])).toBe('un deux');
  });
});

describe('blocks', () => {
  it('reads paragraphs and bullets; blank lines separate paragraphs', () => {
    const text = 'Ce que nous retenons\nen deux lignes\n\n- écouter\n- relier 🤝\n\n\nEnfin.\n-pas une puce';
    expect(blocks(text)).toEqual([
      { kind: 'paragraph', lines: ['Ce que nous retenons', 'en deux lignes'] },
      { kind: 'bullets', items: ['écouter', 'relier 🤝'] },
      { kind: 'paragraph', lines: ['Enfin.', '-pas une puce'] },
    ]);
  });

  it('a paragraph right after bullets starts a new block; empty text has none', () => {
    expect(blocks('- a\nb')).toEqual([
      { kind: 'bullets', items: ['a'] },
      { kind: 'paragraph', lines: ['b'] },
    ]);
    expect(blocks('')).toEqual([]);
    expect(blocks('\n\n')).toEqual([]);
  });

  it('keeps markup as text (the views never render HTML)', () => {
    expect(blocks('<b>gras</b>\n- <img src=x onerror=alert(1)>')).toEqual([
      { kind: 'paragraph', lines: ['<b>gras</b>'] },
      { kind: 'bullets', items: ['<img src=x onerror=alert(1)>'] },
    ]);
  });
});

describe('bullets from notes', () => {
  it('one line per note', () => {
    expect(bulletOf('deux\nlignes ')).toBe('- deux lignes');
    expect(bulletsToAppend('', ['a', 'b'])).toBe('- a\n- b');
    expect(bulletsToAppend('Titre', ['a'])).toBe('\n- a');
    expect(bulletsToAppend('Titre\n', ['a'])).toBe('- a');
    expect(bulletsToAppend('x', [])).toBe('');
  });

  it('knows a note already sent', () => {
    expect(hasBullet('Intro\n- écouter avant\n- b', 'écouter avant')).toBe(true);
    expect(hasBullet('Intro\nécouter avant', 'écouter avant')).toBe(false);
  });
});
