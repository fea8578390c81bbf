// What the console says about a participant list the server has read (PROTOCOL.md §1,
// "Participant lists"): pure functions of the preview and the dictionary, tested apart.
import type { Dict } from '../../i18n/fr';
import type { RosterField, RosterIssue, RosterPreview } from '../../net/api';

/** Problems on one line: the rest of the file is still imported. */
export const ROSTER_ISSUE_CODES = ['missing_name', 'bad_email', 'too_long', 'duplicate', 'bad_encoding', 'bad_line'] as const;
/** Problems with the whole file (the server answers them as a problem's `code`). */
export const ROSTER_FILE_ERRORS = ['empty_file', 'no_name_column', 'too_large'] as const;
/** The server reads 1 MiB at most (internal/roster MaxBytes): larger files are refused here already. */
export const ROSTER_MAX_BYTES = 1 << 20;

const FIELD_ORDER: RosterField[] = ['full_name', 'first_name', 'last_name', 'organisation', 'email'];

/** What is wrong with a line and what happens to it, in the reader's language. */
export function issueText(t: Dict, issue: Pick<RosterIssue, 'code' | 'field'>): string {
  const say = t.people.issues[issue.code] ?? t.people.issues.other;
  return say(issue.field);
}

/** The message for a whole-file error, or null when `code` is not one (a network error, say). */
export function fileErrorText(t: Dict, code: string): string | null {
  return (ROSTER_FILE_ERRORS as readonly string[]).includes(code) ? t.people.fileErrors[code] : null;
}

export interface RosterSummary {
  /** People the import would add. */
  toImport: number;
  /** Rows that are someone already in the workshop (not imported again). */
  existing: number;
  /** Lines of the file with at least one issue. */
  linesToCheck: number;
}

export function summarise(p: Pick<RosterPreview, 'people' | 'issues'>): RosterSummary {
  const existing = p.people.filter((x) => x.existing).length;
  return { toImport: p.people.length - existing, existing, linesToCheck: new Set(p.issues.map((i) => i.line)).size };
}

/** Issues in line order, the whole-line ones (field '') first on a line. */
export function sortedIssues(issues: readonly RosterIssue[]): RosterIssue[] {
  return [...issues].sort((a, b) => a.line - b.line || (a.field === '' ? -1 : 0) - (b.field === '' ? -1 : 0));
}

/** The columns the server recognised, in reading order: "Prénom ← « Prénom »". */
export function columnList(t: Dict, columns: RosterPreview['columns']): { field: RosterField; label: string; header: string }[] {
  return FIELD_ORDER.filter((f) => columns[f] !== undefined).map((f) => ({ field: f, label: t.people.fields[f] ?? f, header: columns[f]! }));
}

export function encodingLabel(t: Dict, encoding: string): string {
  return t.people.encodings[encoding] ?? encoding;
}

export function delimiterLabel(t: Dict, delimiter: string): string {
  return t.people.delimiters[delimiter] ?? JSON.stringify(delimiter);
}

export function sizeLabel(t: Dict, bytes: number): string {
  return t.people.kb(Math.max(0.1, Math.round((bytes / 1024) * 10) / 10));
}

/** A personal link as the server gives it ("/p/…#t=…"), made absolute for sharing. */
export function absoluteLink(origin: string, link: string): string {
  return /^https?:\/\//.test(link) ? link : origin.replace(/\/$/, '') + link;
}

/** Tab-separated "name, link" lines: pasted into a spreadsheet for a mail merge. */
export function linksAsTSV(origin: string, links: readonly { name: string; link: string }[]): string {
  return links.map((l) => `${l.name.replace(/[\t\r\n]+/g, ' ')}\t${absoluteLink(origin, l.link)}`).join('\n');
}
