// Routes on location.pathname (PROTOCOL.md §1 "Browser routes"). Secrets stay in the hash.
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

if (typeof window !== 'undefined') {
  window.addEventListener('popstate', () => {
    route = parseRoute(location.pathname);
    hash = location.hash;
  });
  window.addEventListener('hashchange', () => {
    hash = location.hash;
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
  window.scrollTo(0, 0);
}

/** onclick for in-app links: lets modified clicks (new tab) through. */
export function follow(e: MouseEvent): void {
  const a = e.currentTarget as HTMLAnchorElement;
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate(a.href);
}
