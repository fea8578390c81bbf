import { describe, expect, it } from 'vitest';
import { en } from '../../i18n/en';
import { fr, type Dict } from '../../i18n/fr';
import type { RosterPreview } from '../../net/api';
import {
  absoluteLink,
  columnList,
  delimiterLabel,
  encodingLabel,
  fileErrorText,
  issueText,
  linksAsTSV,
  ROSTER_FILE_ERRORS,
  ROSTER_ISSUE_CODES,
  sizeLabel,
  sortedIssues,
  summarise,
} from './roster';

const dicts: [string, Dict][] = [
  ['fr', fr],
  ['en', en],
];

// The server's preview of a Windows-1252 file with a duplicate, a bad e-mail and a nameless line.
const preview: RosterPreview = {
  encoding: 'windows-1252',
  delimiter: ';',
  columns: { last_name: 'NOM', first_name: 'Prénom', organisation: 'Organisation', email: 'Courriel' },
  people: [
    { name: 'Hélène Dupré', organisation: 'Agence du numérique', email: 'helene@example.org', existing: null, id: null, link: null },
    { name: 'Bob Martin', organisation: 'Ouishare', email: '', existing: '4f43eacb-9c5f-556f-a601-2fa721a85eb6', id: null, link: null },
  ],
  issues: [
    { line: 5, field: 'name', code: 'missing_name', message: 'line 5: no name; the line is not imported' },
    { line: 3, field: 'email', code: 'bad_email', message: 'line 3: "pas-un-mail" is not an e-mail address; it is left out' },
    { line: 3, field: '', code: 'duplicate', message: 'line 3: …' },
    { line: 4, field: '', code: 'duplicate', message: 'line 4: Hélène Dupré is already on line 2 (same e-mail)' },
  ],
};

describe.each(dicts)('roster issues in %s', (_, t) => {
  it('every line issue code has its own message, never the fallback', () => {
    const texts = ROSTER_ISSUE_CODES.map((code) => issueText(t, { code, field: code === 'too_long' ? 'name' : '' }));
    for (const [i, text] of texts.entries()) {
      expect(text, ROSTER_ISSUE_CODES[i]).toMatch(/\S{3}/);
      expect(text, ROSTER_ISSUE_CODES[i]).not.toBe(t.people.issues.other(''));
    }
    expect(new Set(texts).size).toBe(texts.length);
  });

  it('the dictionary has no message for a code the server does not send', () => {
    expect(Object.keys(t.people.issues).sort()).toEqual([...ROSTER_ISSUE_CODES, 'other'].sort());
    expect(Object.keys(t.people.fileErrors).sort()).toEqual([...ROSTER_FILE_ERRORS].sort());
  });

  it('a text too long says what happens to the line, per field', () => {
    const name = issueText(t, { code: 'too_long', field: 'name' });
    const org = issueText(t, { code: 'too_long', field: 'organisation' });
    const email = issueText(t, { code: 'too_long', field: 'email' });
    expect(new Set([name, org, email]).size).toBe(3);
  });

  it('an unknown code still says something', () => {
    expect(issueText(t, { code: 'new_in_v2', field: '' })).toBe(t.people.issues.other(''));
  });

  it('whole-file errors have a message each; other codes are not theirs', () => {
    for (const code of ROSTER_FILE_ERRORS) expect(fileErrorText(t, code), code).toMatch(/\S{3}/);
    expect(new Set(ROSTER_FILE_ERRORS.map((c) => fileErrorText(t, c))).size).toBe(ROSTER_FILE_ERRORS.length);
    expect(fileErrorText(t, 'network')).toBeNull();
    expect(fileErrorText(t, 'forbidden')).toBeNull();
  });

  it('names the encodings and delimiters the server detects', () => {
    for (const e of ['utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be', 'windows-1252']) expect(encodingLabel(t, e)).toMatch(/^(UTF-(8|16)|Windows-1252)/);
    expect(encodingLabel(t, 'ebcdic')).toBe('ebcdic');
    for (const d of [',', ';', '\t', '']) expect(delimiterLabel(t, d)).toMatch(/^[\p{L} -]+$/u);
    expect(delimiterLabel(t, '|')).toBe('"|"');
  });
});

describe('the preview', () => {
  it('counts who would be imported, who is already there and the lines to check', () => {
    expect(summarise(preview)).toEqual({ toImport: 1, existing: 1, linesToCheck: 3 });
    expect(summarise({ people: [], issues: [] })).toEqual({ toImport: 0, existing: 0, linesToCheck: 0 });
  });

  it('lists issues by line, the whole-line ones first on a line', () => {
    expect(sortedIssues(preview.issues).map((i) => `${i.line}${i.code}`)).toEqual(['3duplicate', '3bad_email', '4duplicate', '5missing_name']);
    expect(preview.issues[0].line).toBe(5); // not sorted in place
  });

  it('shows the columns found in reading order, with the file’s own headers', () => {
    expect(columnList(fr, preview.columns)).toEqual([
      { field: 'first_name', label: 'Prénom', header: 'Prénom' },
      { field: 'last_name', label: 'Nom', header: 'NOM' },
      { field: 'organisation', label: 'Organisation', header: 'Organisation' },
      { field: 'email', label: 'E-mail', header: 'Courriel' },
    ]);
    expect(columnList(en, { full_name: 'Participant' })).toEqual([{ field: 'full_name', label: 'Full name', header: 'Participant' }]);
  });

  it('says the size in kilobytes', () => {
    expect(sizeLabel(fr, 2560)).toBe('2,5 ko');
    expect(sizeLabel(en, 2560)).toBe('2.5 kB');
    expect(sizeLabel(en, 3)).toBe('0.1 kB');
  });
});

describe('personal links', () => {
  it('are made absolute, and listed for a spreadsheet', () => {
    expect(absoluteLink('http://10.0.0.2:8080/', '/p/w1#t=abc')).toBe('http://10.0.0.2:8080/p/w1#t=abc');
    expect(absoluteLink('http://x', 'https://nappe.example/p/w1#t=abc')).toBe('https://nappe.example/p/w1#t=abc');
    expect(
      linksAsTSV('https://n.example', [
        { name: 'Hélène\tDupré', link: '/p/w#t=a' },
        { name: 'Bob', link: '/p/w#t=b' },
      ]),
    ).toBe('Hélène Dupré\thttps://n.example/p/w#t=a\nBob\thttps://n.example/p/w#t=b');
  });
});
