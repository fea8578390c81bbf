import { describe, expect, it, vi } from 'vitest';
import type { EventDataMap, EventType, Role, Snapshot, WorkshopEvent } from '../net/protocol';
import { ADA, BOB, CLEO, T1, T2, clock, note, person, snapshot, table, workshop } from '../testing/fakes';
import { applyEvent, applySnapshot, emptyModel, hostedBy, moderates, setIdentity, toSnapshot, type WorkshopModel } from './workshop';

function model(role: Role, s: Snapshot = snapshot(), v = 10): WorkshopModel {
  const m = emptyModel();
  setIdentity(m, role, role === 'participant' ? ADA : null);
  applySnapshot(m, v, s);
  return m;
}

let nextV = 100;
function ev<K extends EventType>(type: K, data: EventDataMap[K], v = ++nextV): WorkshopEvent {
  return { t: 'ev', v, at: 1_700_000_002_000, type, data } as WorkshopEvent;
}

const participantSnapshot = (): Snapshot =>
  snapshot({ you: { participant: ADA, table: T1, mine: ['n1'] } });

describe('snapshot', () => {
  it('replaces the whole state and sets the version', () => {
    const m = model('board');
    m.notes.extra = note('extra', T2, null);
    applySnapshot(m, 42, snapshot({ notes: [] }));
    expect(m.v).toBe(42);
    expect(Object.keys(m.notes)).toEqual([]);
    expect(m.tables.map((t) => t.number)).toEqual([1, 2]);
  });

  it('takes the participant, its table and its notes from `you`', () => {
    const m = model('participant', participantSnapshot());
    expect(m.me).toBe(ADA);
    expect(m.myTable).toBe(T1);
    expect(m.mine).toEqual(['n1']);
  });

  it('sorts tables by number', () => {
    const m = model('board', snapshot({ tables: [table(T2, 2), table(T1, 1)] }));
    expect(m.tables.map((t) => t.id)).toEqual([T1, T2]);
  });
});

describe('versions', () => {
  it('ignores an event whose v is not above the last applied', () => {
    const m = model('board', snapshot(), 10);
    expect(applyEvent(m, ev('note.deleted', { note: 'n1' }, 10))).toBe(false);
    expect(applyEvent(m, ev('note.deleted', { note: 'n1' }, 9))).toBe(false);
    expect(m.notes.n1).toBeDefined();
    expect(applyEvent(m, ev('note.deleted', { note: 'n1' }, 11))).toBe(true);
    expect(m.notes.n1).toBeUndefined();
    expect(m.v).toBe(11);
  });

  it('applies a duplicate event once', () => {
    const m = model('board', snapshot({ notes: [] }), 10);
    const e = ev('note.posted', { note: note('n2', T1, BOB) }, 11);
    applyEvent(m, e);
    applyEvent(m, e);
    expect(Object.keys(m.notes)).toEqual(['n2']);
  });
});

describe('events, for every role', () => {
  it('workshop.created and workshop.edited replace the workshop', () => {
    const m = emptyModel();
    setIdentity(m, 'board', null);
    applyEvent(m, ev('workshop.created', { workshop: workshop({ title: 'A' }) }));
    expect(m.workshop?.title).toBe('A');
    applyEvent(m, ev('workshop.edited', { workshop: workshop({ title: 'B', allowAnonymous: false }) }));
    expect(m.workshop?.title).toBe('B');
    expect(m.workshop?.allowAnonymous).toBe(false);
  });

  it('table.added, table.edited, table.removed', () => {
    const m = model('facilitator');
    applyEvent(m, ev('table.added', { table: table('t3', 0, { name: 'Zéro' }) }));
    expect(m.tables.map((t) => t.id)).toEqual(['t3', T1, T2]);
    applyEvent(m, ev('table.edited', { table: table('t3', 3, { name: 'Trois' }) }));
    expect(m.tables.map((t) => t.id)).toEqual([T1, T2, 't3']);
    expect(m.tables[2].name).toBe('Trois');
    applyEvent(m, ev('table.removed', { table: 't3' }));
    expect(m.tables.map((t) => t.id)).toEqual([T1, T2]);
  });

  it('participant.joined and participant.edited (facilitator keeps e-mail)', () => {
    const m = model('facilitator');
    applyEvent(m, ev('participant.joined', { participant: person(CLEO, 'Cléo', null, { email: 'c@example.org' }) }));
    expect(m.participants[CLEO].email).toBe('c@example.org');
    applyEvent(m, ev('participant.edited', { participant: person(CLEO, 'Cléo B.', null, { email: 'c@example.org' }) }));
    expect(m.participants[CLEO].name).toBe('Cléo B.');
  });

  it('participant.moved and participant.removed on the board', () => {
    const m = model('board');
    applyEvent(m, ev('participant.moved', { participant: BOB, table: T2, from: T1 }));
    expect(m.participants[BOB].table).toBe(T2);
    applyEvent(m, ev('participant.removed', { participant: BOB }));
    expect(m.participants[BOB]).toBeUndefined();
    expect(m.removed).toBe(false);
  });

  it('note.posted, note.edited, note.deleted', () => {
    const m = model('board');
    applyEvent(m, ev('note.posted', { note: note('n2', T2, null, { text: 'Mettre en réseau' }) }));
    expect(m.notes.n2.text).toBe('Mettre en réseau');
    applyEvent(m, ev('note.edited', { note: 'n2', text: 'Décloisonner', colour: 'green', editedAt: 5 }));
    expect(m.notes.n2).toMatchObject({ text: 'Décloisonner', colour: 'green', editedAt: 5 });
    applyEvent(m, ev('note.deleted', { note: 'n2' }));
    expect(m.notes.n2).toBeUndefined();
  });

  it('vote.toggled adds and removes a voter once', () => {
    const m = model('board');
    applyEvent(m, ev('vote.toggled', { note: 'n1', participant: BOB, on: true }));
    applyEvent(m, ev('vote.toggled', { note: 'n1', participant: BOB, on: true }));
    expect(m.notes.n1.voters).toEqual([BOB]);
    applyEvent(m, ev('vote.toggled', { note: 'n1', participant: BOB, on: false }));
    expect(m.notes.n1.voters).toEqual([]);
  });
});

describe('hidden notes', () => {
  it('the facilitator keeps a hidden note, marked hidden, and gets it back restored', () => {
    const m = model('facilitator');
    applyEvent(m, ev('note.hidden', { note: 'n1' }));
    expect(m.notes.n1.hidden).toBe(true);
    applyEvent(m, ev('note.restored', { note: note('n1', T1, ADA) }));
    expect(m.notes.n1.hidden).toBe(false);
  });

  it('the board and participants drop a hidden note and add it back when restored', () => {
    for (const role of ['board', 'participant'] as const) {
      const m = model(role, role === 'participant' ? participantSnapshot() : snapshot());
      applyEvent(m, ev('note.hidden', { note: 'n1' }));
      expect(m.notes.n1, role).toBeUndefined();
      applyEvent(m, ev('note.restored', { note: note('n1', T1, ADA, { text: 'back' }) }));
      expect(m.notes.n1.text, role).toBe('back');
      expect(m.notes.n1.hidden, role).toBeUndefined();
    }
  });

  it('a hidden note is never shown to a participant restored on another table', () => {
    const m = model('participant', participantSnapshot());
    applyEvent(m, ev('note.restored', { note: note('n9', T2, BOB) }));
    expect(m.notes.n9).toBeUndefined();
  });
});

describe('a participant', () => {
  it('sees only its own table’s notes and people', () => {
    const m = model('participant', participantSnapshot());
    applyEvent(m, ev('note.posted', { note: note('other', T2, BOB) }));
    expect(m.notes.other).toBeUndefined();
    applyEvent(m, ev('participant.joined', { participant: person(CLEO, 'Cléo', T2) }));
    expect(m.participants[CLEO]).toBeUndefined();
    applyEvent(m, ev('participant.joined', { participant: person('p4', 'Dan', T1) }));
    expect(m.participants.p4).toBeDefined();
  });

  it('counts its own notes as mine, anonymous ones through `you.mine`', () => {
    const m = model('participant', participantSnapshot());
    applyEvent(m, ev('note.posted', { note: note('n2', T1, ADA) }));
    expect(m.mine).toEqual(['n1', 'n2']);
    applyEvent(m, ev('note.posted', { note: note('n3', T1, BOB) }));
    expect(m.mine).toEqual(['n1', 'n2']);
  });

  it('a tablemate who moves away leaves the view', () => {
    const m = model('participant', participantSnapshot());
    applyEvent(m, ev('participant.moved', { participant: BOB, table: T2, from: T1 }));
    expect(m.participants[BOB]).toBeUndefined();
  });

  it('a newcomer to my table arrives with their name', () => {
    const m = model('participant', participantSnapshot());
    const carol = { id: 'carol', name: 'Carol', organisation: 'Mairie', table: T1, joinedAt: 5 };
    applyEvent(m, ev('participant.moved', { participant: 'carol', table: T1, from: T2, person: carol }));
    expect(m.participants['carol']).toEqual(carol);
  });

  it('moving to another table: the old table goes at once, the snapshot brings the new one', () => {
    const m = model('participant', participantSnapshot(), 10);
    applyEvent(m, ev('participant.moved', { participant: ADA, table: T2, from: T1 }, 11));
    expect(m.myTable).toBe(T2);
    expect(m.notes).toEqual({});
    expect(m.participants[BOB]).toBeUndefined();
    expect(m.participants[ADA].table).toBe(T2);
    applySnapshot(
      m,
      12,
      snapshot({
        participants: [person(ADA, 'Ada', T2), person(CLEO, 'Cléo', T2)],
        notes: [note('t2note', T2, CLEO)],
        you: { participant: ADA, table: T2, mine: ['n1'] },
      }),
    );
    expect(Object.keys(m.notes)).toEqual(['t2note']);
    expect(Object.keys(m.participants).sort()).toEqual([ADA, CLEO].sort());
    expect(m.v).toBe(12);
  });

  it('learns it was removed', () => {
    const m = model('participant', participantSnapshot());
    applyEvent(m, ev('participant.removed', { participant: ADA }));
    expect(m.removed).toBe(true);
  });
});

describe('toSnapshot', () => {
  it('gives back what a snapshot put in', () => {
    const s = participantSnapshot();
    const m = model('participant', s);
    expect(toSnapshot(m)).toEqual(s);
  });
});

// ---- Rounds, clock, seating, hosts ----

const T3 = '0b7d3c2a-0000-4000-8000-0000000000a3';
const running1 = clock({ round: 1, status: 'running', startedAt: 1000, endsAt: 1_201_000 });

function boardWithPlan(): WorkshopModel {
  return model(
    'board',
    snapshot({
      tables: [table(T1, 1), table(T2, 2), table(T3, 3)],
      participants: [person(ADA, 'Ada', T1), person(BOB, 'Bob', T1)],
      itineraries: { [ADA]: ['', '', ''], [BOB]: ['', '', ''] },
    }),
  );
}

describe('snapshot with rounds', () => {
  it('takes the schedule, clock, seating and itineraries', () => {
    const m = model('facilitator', snapshot({ clock: running1, seating: 'planned', itineraries: { [ADA]: [T1, T2, T1] } }));
    expect(m.rounds.length).toBe(3);
    expect(m.clock).toEqual(running1);
    expect(m.seating).toBe('planned');
    expect(m.itineraries).toEqual({ [ADA]: [T1, T2, T1] });
  });

  it('a participant has no itineraries', () => {
    expect(model('participant', participantSnapshot()).itineraries).toBeNull();
  });
});

describe('round events', () => {
  it('rounds.set replaces the schedule and resizes itineraries', () => {
    const m = boardWithPlan();
    m.itineraries![ADA] = [T1, T2, T3];
    applyEvent(m, ev('rounds.set', { rounds: [{ minutes: 15, question: 'Et après ?' }, { minutes: 10, question: '' }] }));
    expect(m.rounds).toEqual([{ minutes: 15, question: 'Et après ?' }, { minutes: 10, question: '' }]);
    expect(m.itineraries![ADA]).toEqual([T1, T2]);
    applyEvent(m, ev('rounds.set', { rounds: [1, 2, 3, 4].map(() => ({ minutes: 5, question: '' })) }));
    expect(m.itineraries![ADA]).toEqual([T1, T2, '', '']);
  });

  it('plan.made sets planned seating and the itineraries', () => {
    const m = boardWithPlan();
    applyEvent(m, ev('plan.made', { seating: 'planned', from: 1, itineraries: { [ADA]: [T1, T1, T1], [BOB]: [T2, T3, T1] } }));
    expect(m.seating).toBe('planned');
    expect(m.itineraries![BOB]).toEqual([T2, T3, T1]);
  });

  it('round.started with seats (board) moves people and records the round in the itineraries', () => {
    const m = boardWithPlan();
    applyEvent(m, ev('plan.made', { seating: 'planned', from: 1, itineraries: { [ADA]: [T1, T1, T1], [BOB]: [T2, T3, T1] } }));
    applyEvent(m, ev('round.started', { clock: running1, seats: { [ADA]: T1, [BOB]: T2 } }));
    expect(m.clock).toEqual(running1);
    expect(m.participants[BOB].table).toBe(T2);
    expect(m.itineraries![BOB]).toEqual([T2, T3, T1]);
    // Round 2: Bob is not in the seats this time (say he left his phone): unknown for round 2.
    applyEvent(m, ev('round.started', { clock: { ...running1, round: 2 }, seats: { [ADA]: T1 } }));
    expect(m.itineraries![BOB]).toEqual([T2, '', T1]);
    expect(m.participants[BOB].table).toBe(T2);
  });

  it('round.started without seats (a phone) only sets the clock', () => {
    const m = model('participant', participantSnapshot());
    applyEvent(m, ev('round.started', { clock: running1 }));
    expect(m.clock).toEqual(running1);
    expect(m.myTable).toBe(T1);
  });

  it('round.paused, round.resumed, round.extended and round.ended replace the clock', () => {
    const m = model('participant', participantSnapshot());
    applyEvent(m, ev('round.started', { clock: running1 }));
    const paused = { ...running1, status: 'paused' as const, remaining: 60_000 };
    applyEvent(m, ev('round.paused', { clock: paused }));
    expect(m.clock).toEqual(paused);
    const resumed = { ...running1, endsAt: 2_000_000 };
    applyEvent(m, ev('round.resumed', { clock: resumed }));
    expect(m.clock).toEqual(resumed);
    const extended = { ...running1, endsAt: 2_300_000 };
    applyEvent(m, ev('round.extended', { clock: extended }));
    expect(m.clock).toEqual(extended);
    const ended = { ...running1, status: 'ended' as const, endsAt: 1_500_000 };
    applyEvent(m, ev('round.ended', { clock: ended }));
    expect(m.clock).toEqual(ended);
  });

  it('seating.changed to free drops the plan of the rounds not started yet', () => {
    const m = boardWithPlan();
    applyEvent(m, ev('plan.made', { seating: 'planned', from: 1, itineraries: { [ADA]: [T1, T1, T1], [BOB]: [T2, T3, T1] } }));
    applyEvent(m, ev('round.started', { clock: running1, seats: { [ADA]: T1, [BOB]: T2 } }));
    applyEvent(m, ev('seating.changed', { seating: 'free' }));
    expect(m.seating).toBe('free');
    expect(m.itineraries![BOB]).toEqual([T2, '', '']);
  });

  it('someone who joins or moves during a round is seated for that round', () => {
    const m = boardWithPlan();
    applyEvent(m, ev('round.started', { clock: running1, seats: { [ADA]: T1, [BOB]: T1 } }));
    applyEvent(m, ev('participant.joined', { participant: person(CLEO, 'Cléo', T3) }));
    expect(m.itineraries![CLEO]).toEqual([T3, '', '']);
    applyEvent(m, ev('participant.moved', { participant: BOB, table: T2, from: T1 }));
    expect(m.itineraries![BOB]).toEqual([T2, '', '']);
    // Between rounds a move changes nothing that was played.
    applyEvent(m, ev('round.ended', { clock: { ...running1, status: 'ended' } }));
    applyEvent(m, ev('participant.moved', { participant: BOB, table: T3, from: T2 }));
    expect(m.itineraries![BOB]).toEqual([T2, '', '']);
  });

  it('participant.removed drops their itinerary and the table they hosted', () => {
    const m = boardWithPlan();
    applyEvent(m, ev('table.edited', { table: table(T1, 1, { host: BOB }) }));
    applyEvent(m, ev('participant.removed', { participant: BOB }));
    expect(m.itineraries![BOB]).toBeUndefined();
    expect(m.tables[0].host).toBe('');
  });
});

describe('table hosts', () => {
  const hostSnapshot = () =>
    snapshot({
      tables: [table(T1, 1, { host: ADA }), table(T2, 2)],
      notes: [note('n1', T1, ADA), note('h1', T1, BOB, { hidden: true }), note('v1', T1, BOB, { hidden: false })],
      you: { participant: ADA, table: T1, mine: ['n1'] },
    });

  it('hostedBy and moderates tell who moderates what', () => {
    const m = model('participant', hostSnapshot());
    expect(hostedBy(m, ADA)).toBe(T1);
    expect(hostedBy(m, BOB)).toBeNull();
    expect(moderates(m, T1)).toBe(true);
    expect(moderates(m, T2)).toBe(false);
    expect(moderates(model('facilitator'), T2)).toBe(true);
    expect(moderates(model('board'), T1)).toBe(false);
  });

  it('the host keeps the hidden notes of their table, marked, and gets them back restored', () => {
    const m = model('participant', hostSnapshot());
    expect(m.notes.h1.hidden).toBe(true);
    applyEvent(m, ev('note.hidden', { note: 'v1' }));
    expect(m.notes.v1.hidden).toBe(true);
    applyEvent(m, ev('note.restored', { note: note('h1', T1, BOB) }));
    expect(m.notes.h1.hidden).toBe(false);
  });

  it('someone who is no longer host loses the hidden notes', () => {
    const m = model('participant', hostSnapshot());
    applyEvent(m, ev('table.edited', { table: table(T1, 1, { host: BOB }) }));
    expect(m.notes.h1).toBeUndefined();
    expect(m.notes.v1).toBeDefined();
    expect(hostedBy(m, ADA)).toBeNull();
  });

  it('a note written by a host for someone keeps both names', () => {
    const m = model('board');
    applyEvent(m, ev('note.posted', { note: note('d', T1, ADA, { authorName: 'Dan', via: 'Ada', round: 1 }) }));
    expect(m.notes.d).toMatchObject({ author: ADA, authorName: 'Dan', via: 'Ada', round: 1 });
  });
});

describe('plan.made on a phone', () => {
  it('the public form sets planned seating and keeps no itineraries', () => {
    const m = model('participant', participantSnapshot());
    applyEvent(m, ev('plan.made', { seating: 'planned', from: 2 }));
    expect(m.seating).toBe('planned');
    expect(m.itineraries).toBeNull();
  });
});

// ---- Syntheses ----

describe('syntheses', () => {
  const sy = (doc: string, version: number, text: string, rounds: Record<string, string> = {}) => ({ doc, version, text, editedAt: 1, rounds });
  const changed = (doc: string, version: number, changes: import('../net/protocol').ChangeSetJSON[], by: string | null = BOB, v?: number) =>
    ev('synthesis.changed', { doc, version, updates: changes.map((c, i) => ({ clientID: `c${i}`, changes: c })), by }, v);

  it('a snapshot brings the syntheses, and toSnapshot gives them back, the plenary first', () => {
    const s = snapshot({ syntheses: [sy('plenary', 2, 'Ensemble'), sy(T1, 1, '- un', { '1': '' })] });
    const m = model('board', s);
    expect(m.syntheses[T1]).toEqual(sy(T1, 1, '- un', { '1': '' }));
    expect(toSnapshot(m).syntheses.map((x) => x.doc)).toEqual(['plenary', T1]);
  });

  it('synthesis.changed applies the updates in UTF-16 units and moves the version on', () => {
    const m = model('board', snapshot({ syntheses: [sy(T1, 3, 'Café 😀')] }));
    applyEvent(m, changed(T1, 3, [[7, [0, ' 👍🏽']], [[0, '- '], 12]]));
    expect(m.syntheses[T1]).toMatchObject({ text: '- Café 😀 👍🏽', version: 5, editedAt: 1_700_000_002_000 });
  });

  it('the first change of a synthesis creates it', () => {
    const m = model('participant', participantSnapshot());
    applyEvent(m, changed('plenary', 0, [[[0, 'Synthèse']]], null));
    expect(m.syntheses.plenary).toMatchObject({ doc: 'plenary', version: 1, text: 'Synthèse', rounds: {} });
    expect(m.synthesisActivity.plenary).toEqual({ '': 1_700_000_002_000 });
  });

  it('skips updates it has, applies only the new ones, and leaves the text alone on a gap', () => {
    const m = model('board', snapshot({ syntheses: [sy(T1, 2, 'ab')] }));
    // Updates at version 1 and 2: the first is already in the text.
    applyEvent(m, changed(T1, 1, [[1, [0, 'X']], [2, [0, 'c']]]));
    expect(m.syntheses[T1]).toMatchObject({ text: 'abc', version: 3 });
    applyEvent(m, changed(T1, 1, [[1, [0, 'Y']]]));
    expect(m.syntheses[T1].text).toBe('abc');
    applyEvent(m, changed(T1, 7, [[3, [0, '?']]])); // a gap: never sent by the server
    expect(m.syntheses[T1]).toMatchObject({ text: 'abc', version: 3 });
  });

  it('a change that does not fit the text is refused, not half applied', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const m = model('board', snapshot({ syntheses: [sy(T1, 0, 'abc')] }));
    applyEvent(m, changed(T1, 0, [[9, [0, 'x']]]));
    expect(m.syntheses[T1]).toMatchObject({ text: 'abc', version: 0 });
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
  });

  it('records who changed it and when, for "who is writing"', () => {
    const m = model('participant', participantSnapshot());
    applyEvent(m, changed(T1, 0, [[[0, 'a']]], BOB));
    applyEvent(m, changed(T1, 1, [[1, [0, 'b']]], ADA));
    expect(Object.keys(m.synthesisActivity[T1]).sort()).toEqual([ADA, BOB].sort());
  });

  it('round.ended keeps each synthesis as it stands', () => {
    const m = model('board', snapshot({ syntheses: [sy(T1, 1, 'Tour un'), sy('plenary', 0, '')], clock: running1 }));
    applyEvent(m, ev('round.ended', { clock: { ...running1, status: 'ended' } }));
    expect(m.syntheses[T1].rounds).toEqual({ '1': 'Tour un' });
    expect(m.syntheses.plenary.rounds).toEqual({ '1': '' });
  });

  it('a participant who changes table drops the old table’s synthesis, keeps the plenary', () => {
    const m = model('participant', { ...participantSnapshot(), syntheses: [sy('plenary', 1, 'P'), sy(T1, 1, 'T1')] });
    applyEvent(m, ev('participant.moved', { participant: ADA, table: T2, from: T1 }));
    expect(Object.keys(m.syntheses)).toEqual(['plenary']);
  });
});
