// The synthesis editor: CodeMirror 6 with a minimal setup for writing prose on a phone. No line
// numbers or gutters; soft wrap; large type; the platform's spelling, autocorrection and
// capitalisation (the text is prose, not code); undo; lines starting with "- " shown as bullets
// with a hanging indent. Composition (Android keyboards, iOS, emoji pickers) is CodeMirror's own
// contenteditable handling. The view shows a DocSession's state; every change it makes goes
// back to the session, which pushes it (collab.ts).
import { cursorDocEnd, cursorDocStart, deleteCharBackward, deleteCharForward, history, historyKeymap, insertNewline } from '@codemirror/commands';
import { type Extension, RangeSetBuilder } from '@codemirror/state';
import { Decoration, EditorView, ViewPlugin, keymap, placeholder, type DecorationSet, type ViewUpdate } from '@codemirror/view';
import { KEY_HOLD_MS, type DocSession } from './collab';

const bulletLine = Decoration.line({ class: 'cm-bullet' });

/** Marks bullet lines ("- " first) so they read as a list while they are written. */
const bullets = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;
    constructor(view: EditorView) {
      this.decorations = this.build(view);
    }
    update(u: ViewUpdate) {
      if (u.docChanged || u.viewportChanged) this.decorations = this.build(u.view);
    }
    build(view: EditorView): DecorationSet {
      const b = new RangeSetBuilder<Decoration>();
      for (const { from, to } of view.visibleRanges) {
        for (let pos = from; pos <= to; ) {
          const line = view.state.doc.lineAt(pos);
          if (/^\s*- /.test(line.text)) b.add(line.from, line.from, bulletLine);
          pos = line.to + 1;
        }
      }
      return b.finish();
    }
  },
  { decorations: (v) => v.decorations },
);

const theme = EditorView.theme({
  '&': { fontSize: 'var(--synthesis-size, 1.15rem)', backgroundColor: '#fff', color: 'var(--ink)' },
  '&.cm-focused': { outline: '3px solid var(--focus)', outlineOffset: '2px' },
  '.cm-scroller': { fontFamily: 'inherit', lineHeight: '1.5', minHeight: 'var(--synthesis-min-height, 14rem)' },
  '.cm-content': { padding: '0.75rem 0.85rem 2.5rem', caretColor: 'var(--ink)' },
  '.cm-line': { padding: '0' },
  '.cm-line.cm-bullet': { paddingLeft: '1.1em', textIndent: '-1.1em' },
  '.cm-placeholder': { color: '#5f6770' },
  '.cm-cursor': { borderLeftWidth: '2px', borderLeftColor: 'var(--ink)' },
  '.cm-selectionBackground, &.cm-focused .cm-selectionBackground, ::selection': { backgroundColor: '#b9d7f7' },
});

export interface EditorOptions {
  /** The accessible name of the text box. */
  label: string;
  placeholder: string;
  /** Another element that describes it (help, status). */
  describedBy?: string;
}

/** Keys and inputs that CodeMirror handles a frame late on Android (see DocSession.holdRemote). */
const DELAYED_KEYS = new Set(['Enter', 'Backspace', 'Delete']);
const DELAYED_INPUTS = new Set(['insertParagraph', 'insertLineBreak', 'deleteContentBackward', 'deleteContentForward']);

/**
 * Holds remote changes while such a key is handled. Listened to in the capture phase on the
 * editor's outer element: on Android, CodeMirror takes Enter and Backspace in its own keydown
 * listener and runs no extension handler for them.
 */
function holdOnKeys(view: EditorView, session: DocSession): () => void {
  const key = (e: KeyboardEvent) => {
    if (DELAYED_KEYS.has(e.key)) session.holdRemote(KEY_HOLD_MS);
  };
  const input = (e: InputEvent) => {
    if (DELAYED_INPUTS.has(e.inputType)) session.holdRemote(KEY_HOLD_MS);
  };
  view.dom.addEventListener('keydown', key, true);
  view.dom.addEventListener('beforeinput', input, true);
  return () => {
    view.dom.removeEventListener('keydown', key, true);
    view.dom.removeEventListener('beforeinput', input, true);
  };
}

function extensions(o: EditorOptions): Extension {
  const attrs: Record<string, string> = {
    'aria-label': o.label,
    'aria-multiline': 'true',
    spellcheck: 'true',
    autocorrect: 'on',
    autocapitalize: 'sentences',
    inputmode: 'text',
    enterkeyhint: 'enter',
  };
  if (o.describedBy) attrs['aria-describedby'] = o.describedBy;
  return [
    history(),
    keymap.of([
      { key: 'Enter', run: insertNewline },
      // Whole characters: an emoji is deleted at once, never half of it.
      { key: 'Backspace', run: deleteCharBackward },
      { key: 'Delete', run: deleteCharForward },
      { key: 'Mod-Home', run: cursorDocStart },
      { key: 'Mod-End', run: cursorDocEnd },
      ...historyKeymap,
    ]),
    EditorView.lineWrapping,
    EditorView.contentAttributes.of(attrs),
    placeholder(o.placeholder),
    bullets,
    theme,
  ];
}

/** Shows session in a new editor inside parent; returns the function that removes it. */
export function mountEditor(parent: HTMLElement, session: DocSession, o: EditorOptions): () => void {
  session.configure(extensions(o));
  const view = new EditorView({
    state: session.state,
    parent,
    dispatchTransactions(trs, v) {
      v.update(trs);
      session.viewUpdated(v, trs);
    },
  });
  session.attach(view);
  const unhold = holdOnKeys(view, session);
  return () => {
    unhold();
    session.detach(view);
    view.destroy();
  };
}

/** Focuses the editor inside parent (after "write" is pressed). */
export function focusEditor(parent: HTMLElement): void {
  EditorView.findFromDOM(parent.querySelector('.cm-editor') as HTMLElement)?.focus();
}
