// Opening a page of the harvest (report, badges, table cards) in a new tab. The console cannot
// just link to it: the facilitator's key must travel in a header, never in an address. So the
// page is read with fetch and shown from a blob: URL — self-contained HTML (inline CSS and SVG,
// nothing fetched), which the browser prints or saves as PDF like any page.

export interface OpenedPage {
  /** The blob: URL of the page; revoke it when the console goes away. */
  url: string;
  /** The browser refused the new tab: offer `url` as a link instead. */
  blocked: boolean;
}

/** How long to wait for the new tab to show the page before printing it. */
const PRINT_WAIT_MS = 15_000;

/**
 * Opens the page `load` reads in a new tab, and prints it when `print`. The tab is opened at
 * once, while the click still counts as the person's (a tab opened after an await is blocked as
 * a pop-up), showing `waiting` until the page is there.
 */
export async function openPrintable(load: () => Promise<string>, o: { print: boolean; waiting: string }): Promise<OpenedPage> {
  const w = window.open('', '_blank');
  if (w) {
    try {
      w.opener = null; // the page has no business with the console
      w.document.title = o.waiting;
      w.document.body.style.font = '1.2rem system-ui, sans-serif';
      w.document.body.style.padding = '2rem';
      w.document.body.textContent = o.waiting;
    } catch {
      // not ours to write into: it will show the page all the same
    }
  }
  let html: string;
  try {
    html = await load();
  } catch (err) {
    w?.close();
    throw err;
  }
  const url = URL.createObjectURL(new Blob([html], { type: 'text/html;charset=utf-8' }));
  if (!w || w.closed) return { url, blocked: true };
  w.location.replace(url);
  if (o.print) printWhenShown(w, url);
  return { url, blocked: false };
}

function printWhenShown(w: Window, url: string): void {
  const until = Date.now() + PRINT_WAIT_MS;
  const timer = setInterval(() => {
    try {
      if (w.closed || Date.now() > until) return clearInterval(timer);
      if (w.location.href !== url || w.document.readyState !== 'complete') return;
      clearInterval(timer);
      w.focus();
      w.print();
    } catch {
      clearInterval(timer);
    }
  }, 150);
}

/** Saves a Blob as a file, as a download link would. */
export function saveFile(blob: Blob, filename: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}
