// The interface language: remembered choice, else the browser's language; French and English.
// Only the dictionary in use is downloaded. Components read `i18n.t` inside their markup, so
// switching re-renders every text at once.
import type { Language } from '../net/protocol';
import type { Dict } from './fr';

const KEY = 'nappe.lang';
const loaders: Record<Language, () => Promise<Dict>> = {
  fr: () => import('./fr').then((m) => m.fr),
  en: () => import('./en').then((m) => m.en),
};
const loaded: Partial<Record<Language, Dict>> = {};

export function pickLanguage(remembered: string | null, browser: readonly string[]): Language {
  if (remembered === 'fr' || remembered === 'en') return remembered;
  for (const l of browser) {
    const base = l.toLowerCase().slice(0, 2);
    if (base === 'fr' || base === 'en') return base;
  }
  return 'fr';
}

function remembered(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

function initial(): Language {
  if (typeof navigator === 'undefined') return 'fr';
  return pickLanguage(remembered(), navigator.languages?.length ? navigator.languages : [navigator.language]);
}

let lang = $state<Language>('fr');
let dict = $state.raw<Dict | null>(null);

async function use(l: Language): Promise<void> {
  const d = (loaded[l] ??= await loaders[l]());
  lang = l;
  dict = d;
  if (typeof document !== 'undefined') document.documentElement.lang = l;
}

export const i18n = {
  get lang(): Language {
    return lang;
  },
  /** The dictionary; `init()` has loaded it before the app is mounted. */
  get t(): Dict {
    return dict!;
  },
  /** Loads the first dictionary: call before mounting. */
  init(): Promise<void> {
    return use(initial());
  },
  /** A choice made by the person: remembered on this device. */
  async set(l: Language): Promise<void> {
    await use(l);
    try {
      localStorage.setItem(KEY, l);
    } catch {
      // private mode: the choice lasts for this page only
    }
  },
  /** A default from elsewhere (the workshop's language on the projector), not remembered. */
  suggest(l: string): void {
    if (remembered() !== null || (l !== 'fr' && l !== 'en') || l === lang) return;
    void use(l);
  },
};

/** "Table 2 · Atelier 2", or just "Table 2" when that is already its name. */
export function tableLabel(t: Dict, tb: { number: number; name: string }): string {
  const n = t.app.tableN(tb.number);
  return tb.name.trim() === n ? n : `${n} · ${tb.name}`;
}

export function errorText(t: Dict, code: string): string {
  const e = t.errors as Record<string, unknown>;
  return typeof e[code] === 'string' ? (e[code] as string) : t.errors.generic;
}
