package textsync

import "fmt"

// ChangeSet is a CodeMirror ChangeSet: a walk over the old document in sections, each keeping its
// units or replacing them by inserted text. Build one with ParseChangeSet.
type ChangeSet struct {
	sections []section
	before   int
	after    int
}

type section struct {
	len int      // code units of the old document covered
	ins int      // -1 keeps them; otherwise they are replaced by ins units of text
	txt []uint16 // the inserted text, lines joined by "\n" (len(txt) == ins)
}

// LenBefore is the length, in UTF-16 code units, of the document the changes apply to.
func (c ChangeSet) LenBefore() int { return c.before }

// LenAfter is the length of the document they produce.
func (c ChangeSet) LenAfter() int { return c.after }

// Apply returns doc with the changes applied; doc itself is left as it was. It refuses, changing
// nothing, with ErrLength when the changes were made for a document of another length, ErrTooLong
// when the result would exceed MaxLen, and ErrSurrogate when the result would hold half of a
// surrogate pair (replacing one half of a pair by another half is fine).
func (c ChangeSet) Apply(doc Text) (Text, error) {
	if c.before != doc.n {
		return Text{}, fmt.Errorf("%w: made for %d code units, the document has %d", ErrLength, c.before, doc.n)
	}
	if c.after > MaxLen {
		return Text{}, fmt.Errorf("%w: %d code units, at most %d", ErrTooLong, c.after, MaxLen)
	}
	b := builder{chunks: make([][]uint16, 0, len(doc.chunks)+2)}
	ci, off := 0, 0 // where the walk is in doc: chunk index, offset in that chunk
	for _, s := range c.sections {
		for n := s.len; n > 0; {
			ch := doc.chunks[ci]
			take := min(n, len(ch)-off)
			switch {
			case s.ins >= 0: // deleted or replaced
			case take == len(ch): // a whole chunk kept
				if err := b.reuse(ch); err != nil {
					return Text{}, err
				}
			default:
				b.add(ch[off : off+take])
			}
			n -= take
			if off += take; off == len(ch) {
				ci, off = ci+1, 0
			}
		}
		b.add(s.txt)
	}
	if err := b.flush(); err != nil {
		return Text{}, err
	}
	return Text{chunks: b.chunks, n: c.after}, nil
}

// Size is about how much memory the change set holds, in words: its sections and the code units
// it inserts. It bounds what a server keeps of recent changes.
func (c ChangeSet) Size() int {
	n := len(c.sections)
	for _, s := range c.sections {
		n += len(s.txt)
	}
	return n
}
