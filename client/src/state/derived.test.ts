import { describe, expect, it } from 'vitest';
import type { PendingCommand } from '../net/outbox';
import type { Snapshot } from '../net/protocol';
import { ADA, BOB, CLEO, T1, T2, clock, note, person, snapshot, table } from '../testing/fakes';
import {
  amHostHere,
  authorOf,
  canEditSynthesis,
  briefRound,
  countsByTable,
  currentRound,
  hasPlan,
  myHostedTable,
  nextRound,
  roundAt,
  roundInProgress,
  roundPrompt,
  seatingOf,
  seatedNow,
  seatingRound,
  shownNotes,
  splitByRound,
  synthesisEditors,
  tableById,
  tableFull,
} from './derived';
import { applyHeadcount, applySnapshot, emptyModel, setIdentity } from './workshop';

function participantModel() {
  const m = emptyModel();
  setIdentity(m, 'participant', ADA);
  applySnapshot(
    m,
    5,
    snapshot({
      notes: [note('n1', T1, ADA, { createdAt: 1 }), note('n2', T1, BOB, { createdAt: 2, voters: [BOB] })],
      you: { participant: ADA, table: T1, mine: ['n1'] },
    }),
  );
  return m;
}

const pending = (type: PendingCommand['type'], data: object, extra: Partial<PendingCommand> = {}): PendingCommand =>
  ({ id: `c-${type}`, type, data, createdAt: 10, ...extra }) as PendingCommand;

describe('shownNotes', () => {
  it('shows the model’s notes newest first, mine marked, nothing pending', () => {
    const s = shownNotes(participantModel(), T1, []);
    expect(s.map((x) => [x.note.id, x.mine, x.pending])).toEqual([
      ['n2', false, false],
      ['n1', true, false],
    ]);
  });

  it('shows a note still in the outbox as mine and pending, on top', () => {
    const s = shownNotes(participantModel(), T1, [pending('note.post', { note: 'p', table: T1, text: 'hors ligne', colour: 'green', anonymous: false })], 'Ada');
    expect(s[0]).toMatchObject({ note: { id: 'p', text: 'hors ligne', authorName: 'Ada' }, pending: true, mine: true });
  });

  it('a posted note whose event arrived but whose ack has not is still pending, shown once', () => {
    const s = shownNotes(participantModel(), T1, [pending('note.post', { note: 'n1', text: 'x', colour: 'yellow', anonymous: false })]);
    expect(s.filter((x) => x.note.id === 'n1')).toMatchObject([{ pending: true }]);
  });

  it('lays pending edits, deletes and votes over the model', () => {
    const s = shownNotes(participantModel(), T1, [
      pending('note.edit', { note: 'n1', text: 'corrigé' }),
      pending('note.delete', { note: 'n1' }),
      pending('vote.toggle', { note: 'n2' }, { voteOn: true }),
    ]);
    const n1 = s.find((x) => x.note.id === 'n1')!;
    expect(n1).toMatchObject({ note: { text: 'corrigé' }, deleting: true, pending: true });
    const n2 = s.find((x) => x.note.id === 'n2')!;
    expect(n2).toMatchObject({ voted: true, votes: 2, pending: true });
  });

  it('does not count a vote twice when its event arrived before its ack', () => {
    const m = participantModel();
    m.notes.n2 = { ...m.notes.n2, voters: [BOB, ADA] };
    const s = shownNotes(m, T1, [pending('vote.toggle', { note: 'n2' }, { voteOn: true })]);
    expect(s.find((x) => x.note.id === 'n2')).toMatchObject({ voted: true, votes: 2 });
  });
});

describe('countsByTable', () => {
  it('counts visible notes, votes and seated people per table', () => {
    const m = emptyModel();
    setIdentity(m, 'facilitator', null);
    applySnapshot(m, 1, snapshot({ notes: [note('a', T1, ADA, { voters: [BOB] }), note('h', T1, ADA, { hidden: true })] }));
    expect(countsByTable(m)).toEqual({ [T1]: { notes: 1, people: 2, votes: 1 }, [T2]: { notes: 0, people: 0, votes: 0 } });
  });

  it('a table is full at its capacity; capacity 0 has no limit', () => {
    expect(tableFull(6, 5)).toBe(false);
    expect(tableFull(6, 6)).toBe(true);
    expect(tableFull(6, 7)).toBe(true);
    expect(tableFull(0, 500)).toBe(false);
  });

  it("takes people from the server's headcount on a phone, which sees only its own table", () => {
    const m = participantModel();
    applyHeadcount(m, { [T1]: 4, [T2]: 6 });
    expect(countsByTable(m)[T2].people).toBe(6);
    expect(countsByTable(m)[T1].people).toBe(4);
  });
});

// ---- Rounds ----

const T3 = '0b7d3c2a-0000-4000-8000-0000000000a3';
const running = (round: number) => clock({ round, status: 'running', startedAt: 1, endsAt: 1_200_001 });

function phoneModel(over: Partial<Snapshot> = {}) {
  const m = emptyModel();
  setIdentity(m, 'participant', ADA);
  applySnapshot(m, 5, snapshot({ you: { participant: ADA, table: T1, mine: [] }, ...over }));
  return m;
}

describe('rounds helpers', () => {
  it('current, next and the round at n', () => {
    const m = phoneModel({ clock: running(2), rounds: [{ minutes: 20, question: 'Q1' }, { minutes: 20, question: 'Q2' }, { minutes: 10, question: '' }] });
    expect(currentRound(m)).toBe(2);
    expect(nextRound(m)).toBe(3);
    expect(roundAt(m, 2)?.question).toBe('Q2');
    expect(roundAt(m, 0)).toBeNull();
    m.clock = running(3);
    expect(nextRound(m)).toBeNull();
  });

  it('a round is in progress while running or paused', () => {
    expect(roundInProgress(running(1))).toBe(true);
    expect(roundInProgress(clock({ round: 1, status: 'paused' }))).toBe(true);
    expect(roundInProgress(clock({ round: 1, status: 'ended' }))).toBe(false);
    expect(roundInProgress(clock())).toBe(false);
  });

  it('my table, and whether I host it', () => {
    const m = phoneModel({ tables: [table(T1, 1, { host: ADA }), table(T2, 2)] });
    expect(myHostedTable(m)?.id).toBe(T1);
    expect(amHostHere(m)).toBe(true);
    m.myTable = T2;
    expect(amHostHere(m)).toBe(false);
    expect(tableById(phoneModel(), phoneModel().myTable)?.id).toBe(T1);
  });

  it('names a note written for someone "Dan (via Ada)"', () => {
    expect(authorOf({ authorName: 'Dan', via: 'Ada' }, 'Anonyme')).toBe('Dan (via Ada)');
    expect(authorOf({ authorName: 'Dan', via: 'Ada' }, 'Anonyme', (a, h) => `${a}, par ${h}`)).toBe('Dan, par Ada');
    expect(authorOf({ authorName: null, via: null }, 'Anonyme')).toBe('Anonyme');
  });

  it('splits notes of earlier rounds from this round’s', () => {
    const m = phoneModel({
      clock: running(2),
      notes: [note('r0', T1, BOB, { round: 0 }), note('r1', T1, BOB, { round: 1 }), note('r2', T1, BOB, { round: 2 })],
    });
    const { current, earlier } = splitByRound(shownNotes(m, T1, []), 2);
    expect(current.map((s) => s.note.id)).toEqual(['r2']);
    expect(earlier.map((s) => s.note.id).sort()).toEqual(['r0', 'r1']);
    expect(splitByRound(shownNotes(m, T1, []), 0).earlier).toEqual([]);
  });

  it('the round a host briefs newcomers about', () => {
    expect(briefRound(running(2))).toBe(1);
    expect(briefRound(running(1))).toBeNull();
    expect(briefRound(clock({ round: 1, status: 'ended' }))).toBe(1);
    expect(briefRound(clock())).toBeNull();
  });
});

describe('seating', () => {
  function board() {
    const m = emptyModel();
    setIdentity(m, 'board', null);
    applySnapshot(
      m,
      5,
      snapshot({
        tables: [table(T1, 1), table(T2, 2), table(T3, 3)],
        participants: [person(ADA, 'Ada', T1), person(BOB, 'Bob', T1), person(CLEO, 'Cléo', T2)],
        seating: 'planned',
        itineraries: { [ADA]: [T1, T1, T1], [BOB]: [T2, T3, ''], [CLEO]: ['', T2, T3] },
      }),
    );
    return m;
  }

  it('shows the next round before it starts and the round going on while it runs', () => {
    const m = board();
    expect(seatingRound(m)).toBe(1);
    m.clock = running(1);
    expect(seatingRound(m)).toBe(1);
    m.clock = clock({ round: 1, status: 'ended' });
    expect(seatingRound(m)).toBe(2);
    m.clock = clock({ round: 3, status: 'ended' });
    expect(seatingRound(m)).toBe(3);
  });

  it('who sits where in a round, from the itineraries', () => {
    const m = board();
    const r2 = seatingOf(m, 2);
    expect(r2.byTable[T1].map((p) => p.name)).toEqual(['Ada']);
    expect(r2.byTable[T2].map((p) => p.name)).toEqual(['Cléo']);
    expect(r2.byTable[T3].map((p) => p.name)).toEqual(['Bob']);
    expect(r2.unknown).toEqual([]);
    expect(seatingOf(m, 3).unknown.map((p) => p.name)).toEqual(['Bob']);
  });

  it('free seating: where people sit now', () => {
    const m = board();
    const now = seatedNow(m);
    expect(now.byTable[T1].map((p) => p.name)).toEqual(['Ada', 'Bob']);
    expect(now.byTable[T2].map((p) => p.name)).toEqual(['Cléo']);
    expect(now.unknown).toEqual([]);
  });

  it('for the round going on, someone the itineraries miss is where they sit', () => {
    const m = board();
    m.clock = running(1);
    expect(seatingOf(m, 1).byTable[T2].map((p) => p.name)).toEqual(['Bob', 'Cléo']);
    expect(hasPlan(m)).toBe(true);
    m.seating = 'free';
    expect(hasPlan(m)).toBe(false);
  });
});

describe('roundPrompt: what a phone says when a round starts', () => {
  const tables = [table(T1, 1, { colour: 'blue' }), table(T2, 2)];

  it('nothing before the first round or between rounds', () => {
    expect(roundPrompt(phoneModel({ seating: 'planned' }), null)).toBeNull();
    expect(roundPrompt(phoneModel({ seating: 'planned', clock: clock({ round: 1, status: 'ended' }) }), null)).toBeNull();
  });

  it('planned: "go to table N" on the first round, then only when my table changes', () => {
    const m = phoneModel({ tables, seating: 'planned', clock: running(1), rounds: [{ minutes: 20, question: 'Pourquoi ?' }] });
    expect(roundPrompt(m, null)).toMatchObject({ kind: 'goto', round: 1, table: { id: T1 }, question: 'Pourquoi ?', host: false });
    expect(roundPrompt(m, { round: 0, table: T1 })).toMatchObject({ kind: 'goto' });
    expect(roundPrompt(m, { round: 1, table: T1 })).toBeNull();
    m.clock = running(2);
    expect(roundPrompt(m, { round: 1, table: T1 })).toBeNull(); // same table: stay
    m.myTable = T2;
    expect(roundPrompt(m, { round: 1, table: T1 })).toMatchObject({ kind: 'goto', round: 2, table: { id: T2 } });
  });

  it('planned: a host is told they host', () => {
    const m = phoneModel({ tables: [table(T1, 1, { host: ADA })], seating: 'planned', clock: running(1) });
    expect(roundPrompt(m, null)).toMatchObject({ kind: 'goto', host: true });
  });

  it('free: "round N, choose your table" once per round', () => {
    const m = phoneModel({ tables, clock: running(2) });
    expect(roundPrompt(m, { round: 1, table: T1 })).toMatchObject({ kind: 'choose', round: 2, table: { id: T1 } });
    expect(roundPrompt(m, { round: 2, table: T1 })).toBeNull();
    m.myTable = null;
    expect(roundPrompt(m, null)).toBeNull(); // the table picker is showing already
  });

  it('a host is told where they host, whatever the seating, then left alone while they stay', () => {
    const host = phoneModel({ tables: [table(T1, 1, { host: ADA })], clock: running(2) });
    expect(host.seating).toBe('free');
    expect(roundPrompt(host, null)).toMatchObject({ kind: 'goto', round: 2, host: true });
    expect(roundPrompt(host, { round: 2, table: T1 })).toBeNull();
    host.clock = running(3);
    expect(roundPrompt(host, { round: 2, table: T1 })).toBeNull();
  });
});

describe('shownNotes for a host', () => {
  function host() {
    return phoneModel({
      tables: [table(T1, 1, { host: ADA })],
      clock: running(2),
      notes: [note('a', T1, BOB, { createdAt: 1 }), note('h', T1, BOB, { hidden: true, createdAt: 2 })],
    });
  }

  it('shows hidden notes only when asked, marked hidden', () => {
    expect(shownNotes(host(), T1, []).map((s) => s.note.id)).toEqual(['a']);
    expect(shownNotes(host(), T1, [], '', true).map((s) => [s.note.id, !!s.note.hidden])).toEqual([
      ['h', true],
      ['a', false],
    ]);
  });

  it('lays pending hides and restores over the notes', () => {
    const s = shownNotes(host(), T1, [pending('note.hide', { note: 'a' }), { ...pending('note.restore', { note: 'h' }), id: 'c2' }], '', true);
    expect(s.find((x) => x.note.id === 'a')).toMatchObject({ note: { hidden: true }, pending: true });
    expect(s.find((x) => x.note.id === 'h')).toMatchObject({ note: { hidden: false }, pending: true });
  });

  it('a note written for someone shows as theirs, via me, in the current round, while pending', () => {
    const s = shownNotes(host(), T1, [pending('note.post', { note: 'p', table: T1, text: 'Dit par Dan', colour: 'yellow', anonymous: false, for: 'Dan' })], 'Ada');
    expect(s[0].note).toMatchObject({ id: 'p', authorName: 'Dan', via: 'Ada', round: 2 });
  });
});

// ---- Syntheses ----

describe('who is writing a synthesis', () => {
  it('names the table mates whose changes arrived in the last 10 s, most recent first, not me', () => {
    const m = phoneModel({ participants: [person(ADA, 'Ada', T1), person(BOB, 'Bob', T1), person(CLEO, 'Cléo', T1)] });
    m.synthesisActivity[T1] = { [ADA]: 10_000, [BOB]: 5_000, [CLEO]: 9_000, '': 8_000, stranger: 9_500 };
    expect(synthesisEditors(m, T1, 15_001)).toEqual([
      { id: 'stranger', name: null },
      { id: CLEO, name: 'Cléo' },
      { id: '', name: null },
    ]);
    expect(synthesisEditors(m, T1, 15_000).map((e) => e.id)).toEqual(['stranger', CLEO, '', BOB]);
    expect(synthesisEditors(m, T1, 30_000)).toEqual([]);
    expect(synthesisEditors(m, 'plenary', 14_000)).toEqual([]);
  });
});

describe('who may edit a synthesis', () => {
  it('the table’s people theirs; hosts the plenary; facilitators all; the board none', () => {
    const m = phoneModel({ tables: [table(T1, 1), table(T2, 2)] });
    expect(canEditSynthesis(m, T1)).toBe(true);
    expect(canEditSynthesis(m, T2)).toBe(false);
    expect(canEditSynthesis(m, 'plenary')).toBe(false);
    m.tables = [table(T1, 1, { host: ADA }), table(T2, 2)];
    expect(canEditSynthesis(m, 'plenary')).toBe(true);
    const f = emptyModel();
    setIdentity(f, 'facilitator', null);
    expect(canEditSynthesis(f, T2) && canEditSynthesis(f, 'plenary')).toBe(true);
    const b = emptyModel();
    setIdentity(b, 'board', null);
    expect(canEditSynthesis(b, T1)).toBe(false);
  });
});
