// The harvest's three charts (GET /api/workshops/{id}/charts/{name}.svg), read with the
// facilitator's or the projector's key and inlined, so they scale with the screen and take the
// page's fonts. They are read again when notes or rounds change, at most every 10 seconds: a
// room posting a note a second must not make every screen fetch three charts a second.
import { fetchArtefact } from '../../net/api';
import type { WorkshopModel } from '../../state/workshop';

export const CHART_NAMES = ['contributions', 'activity', 'encounters'] as const;
export type ChartName = (typeof CHART_NAMES)[number];

/** At most one refresh this often. */
export const CHART_MIN_INTERVAL_MS = 10_000;
/** A burst of changes is waited out this long before a refresh (when the interval allows one). */
export const CHART_SETTLE_MS = 1_000;

/**
 * The server's SVG, ready to inline: no XML prolog or doctype, and the root's width and height
 * left to CSS (the viewBox keeps the proportions). Anything that is not an SVG gives ''.
 */
export function inlineSVG(text: string): string {
  const s = text
    .replace(/^\uFEFF/, '')
    .replace(/^\s*<\?xml[^>]*\?>\s*/, '')
    .replace(/^\s*<!DOCTYPE[^>]*>\s*/i, '')
    .trim();
  if (!/^<svg[\s>]/.test(s)) return '';
  return s.replace(/^<svg\b[^>]*>/, (root) => root.replace(/\s(?:width|height)="[^"]*"/g, ''));
}

/**
 * What the charts are drawn from, in a word: when it changes, they are worth reading again
 * (visible notes per table and round, the rounds, who sits where, the tables' labels).
 */
export function chartSignature(m: Pick<WorkshopModel, 'notes' | 'clock' | 'participants' | 'tables'>): string {
  const perTableRound = new Map<string, number>();
  for (const n of Object.values(m.notes)) {
    if (n.hidden) continue;
    const k = `${n.table}.${n.round}`;
    perTableRound.set(k, (perTableRound.get(k) ?? 0) + 1);
  }
  const notes = [...perTableRound].map(([k, n]) => `${k}=${n}`).sort().join(',');
  const seats = Object.values(m.participants)
    .map((p) => `${p.id}>${p.table ?? '-'}`)
    .sort()
    .join(',');
  const tables = m.tables.map((t) => `${t.id}:${t.number}:${t.name}`).join(',');
  return `${notes}|${m.clock.round}:${m.clock.status}|${seats}|${tables}`;
}

/** Runs `run` at most once per `minMs`, after a short settling delay; `poke` says "something changed". */
export class Throttle {
  private last = -Infinity;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly run: () => void,
    private readonly minMs = CHART_MIN_INTERVAL_MS,
    private readonly settleMs = CHART_SETTLE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  poke(): void {
    if (this.timer !== null) return; // one is coming, and will see this change too
    const wait = Math.max(this.settleMs, this.last + this.minMs - this.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.ran();
      this.run();
    }, wait);
  }

  /** A run happened outside (the first load): the interval counts from now. */
  ran(): void {
    this.last = this.now();
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}

export interface ChartSetOptions {
  workshop: string;
  token: string;
  names?: readonly ChartName[];
  /** The language the charts are written in (read at each refresh). */
  lang: () => string;
  minIntervalMs?: number;
  fetch?: typeof fetchArtefact;
  timeZone?: string;
}

function localTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** The charts of a workshop, kept fresh for a view (console or projector). */
export class ChartSet {
  svg = $state<Partial<Record<ChartName, string>>>({});
  status = $state<'loading' | 'ready' | 'failed'>('loading');
  /** When the charts shown were read (ms), null before. */
  updatedAt = $state<number | null>(null);

  private readonly throttle: Throttle;
  private abort: AbortController | null = null;
  private stopped = false;

  constructor(private readonly o: ChartSetOptions) {
    this.throttle = new Throttle(() => void this.load(), o.minIntervalMs ?? CHART_MIN_INTERVAL_MS);
  }

  get names(): readonly ChartName[] {
    return this.o.names ?? CHART_NAMES;
  }

  /** Reads every chart now (the first time, "retry", a language change). */
  async load(): Promise<void> {
    if (this.stopped) return;
    this.throttle.ran();
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    const get = this.o.fetch ?? fetchArtefact;
    const query = `lang=${encodeURIComponent(this.o.lang())}&tz=${encodeURIComponent(this.o.timeZone ?? localTimeZone())}`;
    try {
      const texts = await Promise.all(this.names.map((n) => get(this.o.workshop, this.o.token, `charts/${n}.svg?${query}`, abort.signal)));
      if (abort.signal.aborted || this.stopped) return;
      const next: Partial<Record<ChartName, string>> = {};
      this.names.forEach((n, i) => (next[n] = inlineSVG(texts[i])));
      this.svg = next;
      this.status = 'ready';
      this.updatedAt = Date.now();
    } catch {
      if (abort.signal.aborted || this.stopped) return;
      // Keep what is shown (a blip on the network); say so only when there is nothing to show.
      if (this.status !== 'ready') this.status = 'failed';
    }
  }

  /** Something the charts show changed: read them again soon, within the interval. */
  changed(): void {
    if (!this.stopped) this.throttle.poke();
  }

  stop(): void {
    this.stopped = true;
    this.throttle.stop();
    this.abort?.abort();
  }
}
