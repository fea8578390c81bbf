// What the browser sends: hello, ping and commands, each one JSON object per frame.
// Command builders name every field explicitly, so a renamed field on either side shows up
// in golden.test.ts instead of in a workshop.
import { PROTOCOL_VERSION, type ClientMessage, type Command, type CommandDataMap, type CommandType } from './protocol';

export function hello(workshop: string, token: string, since: number): ClientMessage {
  const m: ClientMessage = { t: 'hello', proto: PROTOCOL_VERSION, workshop, token };
  if (since > 0) m.since = since;
  return m;
}

export function ping(n: number): ClientMessage {
  return { t: 'ping', n };
}

export function cmd(id: string, c: Command): ClientMessage {
  return { t: 'cmd', id, type: c.type, data: c.data } as ClientMessage;
}

export function encode(m: ClientMessage): string {
  return JSON.stringify(m);
}

/** Keeps only the listed keys that are set, in the listed order. */
function pick<T extends object>(src: T, keys: readonly (keyof T)[]): T {
  const out = {} as T;
  for (const k of keys) if (src[k] !== undefined) out[k] = src[k];
  return out;
}

type Builder<K extends CommandType> = (d: CommandDataMap[K]) => { type: K; data: CommandDataMap[K] };
function builder<K extends CommandType>(type: K, keys: readonly (keyof CommandDataMap[K])[]): Builder<K> {
  return (d) => ({ type, data: pick(d, keys) });
}

/** One builder per command of PROTOCOL.md §3. */
export const commands: { [K in CommandType]: Builder<K> } = {
  'workshop.edit': builder('workshop.edit', ['title', 'subtitle', 'date', 'venue', 'language', 'allowAnonymous']),
  'table.add': builder('table.add', ['id', 'name', 'question', 'colour', 'capacity', 'number']),
  'table.edit': builder('table.edit', ['table', 'number', 'name', 'question', 'colour', 'capacity']),
  'table.remove': builder('table.remove', ['table']),
  'participant.edit': builder('participant.edit', ['participant', 'name', 'organisation', 'email']),
  'participant.move': (d) => ({ type: 'participant.move', data: { participant: d.participant, table: d.table ?? null } }),
  'participant.remove': builder('participant.remove', ['participant']),
  'note.post': builder('note.post', ['note', 'table', 'text', 'colour', 'anonymous', 'for']),
  'note.edit': builder('note.edit', ['note', 'text', 'colour']),
  'note.delete': builder('note.delete', ['note']),
  'note.hide': builder('note.hide', ['note']),
  'note.restore': builder('note.restore', ['note']),
  'vote.toggle': builder('vote.toggle', ['note']),
  'rounds.set': (d) => ({ type: 'rounds.set', data: { rounds: d.rounds.map((r) => ({ minutes: r.minutes, question: r.question })) } }),
  'round.start': () => ({ type: 'round.start', data: {} }),
  'round.pause': () => ({ type: 'round.pause', data: {} }),
  'round.resume': () => ({ type: 'round.resume', data: {} }),
  'round.extend': builder('round.extend', ['minutes']),
  'round.end': () => ({ type: 'round.end', data: {} }),
  'plan.make': () => ({ type: 'plan.make', data: {} }),
  'seating.set': builder('seating.set', ['seating']),
  'host.set': (d) => ({ type: 'host.set', data: { table: d.table, participant: d.participant ?? null } }),
  'synthesis.push': (d) => ({
    type: 'synthesis.push',
    data: { doc: d.doc, version: d.version, updates: d.updates.map((u) => ({ clientID: u.clientID, changes: u.changes })) },
  }),
};

export function command<K extends CommandType>(type: K, data: CommandDataMap[K]): Command {
  return (commands[type] as Builder<K>)(data) as Command;
}
