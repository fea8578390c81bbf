import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { emptyModel } from '../../state/workshop';
import { note, person, table, T1, T2, ADA, BOB } from '../../testing/fakes';
import { CHART_MIN_INTERVAL_MS, CHART_NAMES, CHART_SETTLE_MS, ChartSet, Throttle, chartSignature, inlineSVG } from './charts.svelte';

const SVG = `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 720 134" width="720" height="134" role="img" aria-labelledby="chart-contributions-title"><title id="chart-contributions-title">Contributions</title><rect width="100%" height="100%" fill="#ffffff"/></svg>`;

describe('inlineSVG', () => {
  it('drops the XML prolog and the root’s size, keeps the viewBox and the rest', () => {
    const s = inlineSVG(SVG);
    expect(s.startsWith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 720 134" role="img"')).toBe(true);
    expect(s).not.toMatch(/<\?xml/);
    expect(s).toContain('<rect width="100%" height="100%"'); // inner sizes untouched
  });

  it('gives nothing for what is not an SVG', () => {
    expect(inlineSVG('{"code":"forbidden"}')).toBe('');
    expect(inlineSVG('<html><svg></svg></html>')).toBe('');
    expect(inlineSVG('\uFEFF<svg viewBox="0 0 1 1"></svg>')).toBe('<svg viewBox="0 0 1 1"></svg>');
  });
});

describe('chartSignature', () => {
  function model() {
    const m = emptyModel();
    m.tables = [table(T1, 1), table(T2, 2)];
    m.participants = { [ADA]: person(ADA, 'Ada', T1), [BOB]: person(BOB, 'Bob', T2) };
    m.notes = { n1: note('n1', T1, ADA), n2: note('n2', T2, BOB, { round: 1 }) };
    return m;
  }

  it('changes with what the charts show', () => {
    const base = chartSignature(model());
    const more = model();
    more.notes.n3 = note('n3', T1, ADA);
    expect(chartSignature(more)).not.toBe(base);
    const hidden = model();
    hidden.notes.n1 = { ...hidden.notes.n1, hidden: true };
    expect(chartSignature(hidden)).not.toBe(base);
    const round = model();
    round.clock = { ...round.clock, round: 2, status: 'running' };
    expect(chartSignature(round)).not.toBe(base);
    const moved = model();
    moved.participants[ADA] = { ...moved.participants[ADA], table: T2 };
    expect(chartSignature(moved)).not.toBe(base);
  });

  it('does not change with what they do not show (a note edited, a vote)', () => {
    const base = chartSignature(model());
    const edited = model();
    edited.notes.n1 = { ...edited.notes.n1, text: 'autre chose', voters: [BOB], editedAt: 5 };
    expect(chartSignature(edited)).toBe(base);
  });
});

describe('Throttle', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs once per interval however often it is poked, the last change included', () => {
    const run = vi.fn();
    const th = new Throttle(run, 10_000, 1_000);
    th.ran(); // the first load
    for (let i = 0; i < 50; i++) {
      th.poke();
      vi.advanceTimersByTime(100); // a note every 100 ms for 5 s
    }
    expect(run).not.toHaveBeenCalled();
    vi.advanceTimersByTime(5_000);
    expect(run).toHaveBeenCalledTimes(1);
    th.poke();
    vi.advanceTimersByTime(9_999);
    expect(run).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(run).toHaveBeenCalledTimes(2);
  });

  it('after a quiet while, runs soon after a change', () => {
    const run = vi.fn();
    const th = new Throttle(run, 10_000, 1_000);
    th.ran();
    vi.advanceTimersByTime(60_000);
    th.poke();
    vi.advanceTimersByTime(999);
    expect(run).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(run).toHaveBeenCalledTimes(1);
    th.stop();
  });
});

describe('ChartSet', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('reads the three charts with the key, in the language and time zone asked, at most every 10 s', async () => {
    const asked: string[] = [];
    const fetch = vi.fn(async (_w: string, token: string, path: string) => {
      asked.push(`${token} ${path}`);
      return SVG;
    });
    let lang = 'fr';
    const set = new ChartSet({ workshop: 'w1', token: 'KEY', lang: () => lang, fetch, timeZone: 'Europe/Paris' });
    await set.load();
    expect(set.status).toBe('ready');
    expect(Object.keys(set.svg).sort()).toEqual([...CHART_NAMES].sort());
    expect(set.svg.activity).toMatch(/^<svg/);
    expect(asked).toEqual(CHART_NAMES.map((n) => `KEY charts/${n}.svg?lang=fr&tz=Europe%2FParis`));

    lang = 'en';
    for (let i = 0; i < 20; i++) set.changed();
    await vi.advanceTimersByTimeAsync(CHART_SETTLE_MS);
    expect(fetch).toHaveBeenCalledTimes(3); // not yet: the last read was less than 10 s ago
    await vi.advanceTimersByTimeAsync(CHART_MIN_INTERVAL_MS);
    expect(fetch).toHaveBeenCalledTimes(6);
    expect(asked.at(-1)).toContain('lang=en');
    set.stop();
    set.changed();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fetch).toHaveBeenCalledTimes(6);
  });

  it('says it failed only when it has nothing to show', async () => {
    let fail = true;
    const set = new ChartSet({
      workshop: 'w1',
      token: 'KEY',
      lang: () => 'fr',
      fetch: async () => {
        if (fail) throw new Error('down');
        return SVG;
      },
    });
    await set.load();
    expect(set.status).toBe('failed');
    fail = false;
    await set.load();
    expect(set.status).toBe('ready');
    fail = true;
    await set.load();
    expect(set.status).toBe('ready'); // the charts shown stay
    set.stop();
  });
});
