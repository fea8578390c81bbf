// Package textsync applies CodeMirror ChangeSets to text in Go, in UTF-16 positions, so the server
// can hold the authoritative text of a synthesis.
//
// It follows the @codemirror/collab authority model: a client sends ChangeSets in their JSON form
// (ChangeSet.toJSON()), the server parses them strictly (ParseChangeSet) and applies them in order
// to its Text (ChangeSet.Apply). Every position and length is counted in UTF-16 code units, as
// JavaScript strings are, so an emoji counts two.
//
// Three rules are stricter than CodeMirror's, so that the text always converts to UTF-8 and back
// without loss and every client rebuilds the same document:
//   - a change must not leave an unpaired surrogate in the result (ErrSurrogate). Halves of a pair
//     may still be replaced one at a time: CodeMirror's DOM diff compares code units, so a phone
//     replacing 😀 by 😃 (same first unit) sends a change of the second unit only;
//   - an inserted line must not contain a line break (ErrMalformed): CodeMirror's documents never
//     do, and a client loading the text afresh would count "\r\n" as one unit where the applier
//     counted two;
//   - the result must not exceed MaxLen code units (ErrTooLong).
//
// The golden vectors in testdata/vectors.json come from the library itself; regenerate them with
// `node client/scripts/textsync-vectors.mjs` (the client's vitest re-checks them against it).
//
// It is pure: no I/O, no clock, no randomness. Text and ChangeSet values are immutable, so they may
// be shared between goroutines.
package textsync
