// Routes on location.pathname (PROTOCOL.md §1 "Browser routes"). Secrets stay in the hash.
import { adoptToken, confirmIdentity, tokenFromHash } from './state/identity';

export type Route =
  | { name: 'landing' }
  | { name: 'join'; code: string }
  | { name: 'phone'; workshop: string }
  | { name: 'board'; workshop: string }
  | { name: 'console'; workshop: string }
  | { name: 'notFound' };

const patterns: [RegExp, (m: RegExpExecArray) => Route][] = [
  [/^\/$/, () => ({ name: 'landing' })],
  [/^\/j\/([^/]+)\/?$/, (m) => ({ name: 'join', code: decodeURIComponent(m[1]) })],
  [/^\/p\/([^/]+)\/?$/, (m) => ({ name: 'phone', workshop: decodeURIComponent(m[1]) })],
  [/^\/board\/([^/]+)\/?$/, (m) => ({ name: 'board', workshop: decodeURIComponent(m[1]) })],
  [/^\/console\/([^/]+)\/?$/, (m) => ({ name: 'console', workshop: decodeURIComponent(m[1]) })],
];

export function parseRoute(pathname: string): Route {
  for (const [re, make] of patterns) {
    const m = re.exec(pathname);
    if (m) return make(m);
  }
  return { name: 'notFound' };
}

let route = $state<Route>(typeof location === 'undefined' ? { name: 'landing' } : parseRoute(location.pathname));
let hash = $state(typeof location === 'undefined' ? '' : location.hash);

/**
 * A personal link (`/p/{workshop}#t={token}`): this browser becomes that participant, as if it
 * had joined, and the token leaves the address bar at once so that the address can be shared
 * (or end up in a screenshot) without it. Returns true when it took a token.
 */
export function takePersonalLink(): boolean {
  const r = route;
  const token = r.name === 'phone' ? tokenFromHash(location.hash) : null;
  if (r.name !== 'phone' || !token) return false;
  adoptToken(r.workshop, token);
  history.replaceState(history.state, '', location.pathname + location.search);
  hash = '';
  // Who this token is, for the next visits (the join page says "you joined as …").
  void import('./net/api')
    .then(({ workshopState }) => workshopState(r.workshop, token))
    .then(({ state }) => {
      const me = state.you?.participant ?? '';
      const name = state.participants.find((p) => p.id === me)?.name ?? '';
      if (me) confirmIdentity(r.workshop, token, { participant: me, code: state.workshop.code, name });
    })
    .catch(() => {}); // a bad token: the phone is told so by the server (close 4001) and forgets it
  return true;
}

if (typeof window !== 'undefined') {
  takePersonalLink();
  window.addEventListener('popstate', () => {
    route = parseRoute(location.pathname);
    hash = location.hash;
    if (takePersonalLink()) location.reload();
  });
  window.addEventListener('hashchange', () => {
    hash = location.hash;
    // A personal link pasted into a phone view already open: start it again as that person.
    if (takePersonalLink()) location.reload();
  });
}

export const router = {
  get route(): Route {
    return route;
  },
  get hash(): string {
    return hash;
  },
};

/** Goes to an in-app path (with its #fragment) without reloading. */
export function navigate(href: string, replace = false): void {
  const u = new URL(href, location.href);
  if (u.origin !== location.origin) {
    location.href = href;
    return;
  }
  history[replace ? 'replaceState' : 'pushState'](null, '', u.pathname + u.search + u.hash);
  route = parseRoute(u.pathname);
  hash = u.hash;
  takePersonalLink();
  window.scrollTo(0, 0);
}

/** onclick for in-app links: lets modified clicks (new tab) through. */
export function follow(e: MouseEvent): void {
  const a = e.currentTarget as HTMLAnchorElement;
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate(a.href);
}
