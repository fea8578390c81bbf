import { describe, expect, it } from 'vitest';
import type { PendingCommand } from '../net/outbox';
import { ADA, BOB, T1, T2, note, snapshot } from '../testing/fakes';
import { countsByTable, shownNotes } from './derived';
import { applySnapshot, emptyModel, setIdentity } from './workshop';

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
});
