package textsync

import "fmt"

// The operations below are ports of @codemirror/state's mapSet, composeSets and addSection
// (version 6.x), kept close to the original line by line: the server's rebase must give, byte for
// byte, the change sets every editor's receiveUpdates computes from the same updates, or their
// texts would drift apart. The golden vectors (testdata/vectors.json) check them against the
// library itself.

// Empty reports whether the change set changes nothing, as CodeMirror's ChangeSet.empty.
func (c ChangeSet) Empty() bool {
	return len(c.sections) == 0 || len(c.sections) == 1 && c.sections[0].ins < 0
}

// normal reports whether the sections are as CodeMirror's own operations build them (see
// Normalize).
func (c ChangeSet) normal() bool {
	for i, s := range c.sections {
		if s.len == 0 && s.ins <= 0 {
			return false
		}
		if i > 0 {
			p := c.sections[i-1]
			if s.ins <= 0 && s.ins == p.ins || s.len == 0 && p.len == 0 {
				return false
			}
		}
	}
	return true
}

// Normalize returns the change set in the form CodeMirror's own operations build (ChangeSet.of,
// map, compose): no empty section, no two neighbouring kept or deleted runs, no two neighbouring
// insertions. It changes the same text in the same way. Every change set an editor makes is
// already in this form; fromJSON accepts others (`[0,[0],2,3]`), which CodeMirror's mapping does
// not handle (it can add a kept length to an insertion), so Map, Compose and Rebase normalise
// their inputs first, and always return normal change sets.
func (c ChangeSet) Normalize() ChangeSet {
	if c.normal() {
		return c
	}
	b := sectionBuilder{text: true}
	for _, s := range c.sections {
		b.add(s.len, s.ins, false)
		b.insert(s.txt)
	}
	return b.set()
}

// Map returns c moved over other, which applies to the same document: the result applies to the
// document other produces. With before, c's insertions at the same place as other's come first;
// otherwise other's do. Given A and B, A.Compose(B.Map(A, false)) and B.Compose(A.Map(B, true))
// make the same text. It refuses with ErrLength when the two apply to documents of different
// lengths.
func (c ChangeSet) Map(other ChangeSet, before bool) (ChangeSet, error) {
	if c.before != other.before {
		return ChangeSet{}, fmt.Errorf("%w: mapping changes made for %d code units over changes made for %d", ErrLength, c.before, other.before)
	}
	if other.Empty() {
		return c.Normalize(), nil
	}
	return mapSet(c.Normalize(), other.Normalize(), before, true), nil
}

// Compose returns the changes of c followed by those of other, which must apply to the document c
// produces (ErrLength otherwise).
func (c ChangeSet) Compose(other ChangeSet) (ChangeSet, error) {
	if c.after != other.before {
		return ChangeSet{}, fmt.Errorf("%w: composing changes that make %d code units with changes made for %d", ErrLength, c.after, other.before)
	}
	switch {
	case c.Empty():
		return other.Normalize(), nil
	case other.Empty():
		return c.Normalize(), nil
	}
	return composeSets(c.Normalize(), other.Normalize(), true), nil
}

// sectionBuilder is CodeMirror's addSection and addInsert. Without text it builds a change
// description: lengths only, as mapDesc and composeDesc do.
type sectionBuilder struct {
	s    []section
	text bool
}

func (b *sectionBuilder) add(n, ins int, forceJoin bool) {
	if n == 0 && ins <= 0 {
		return
	}
	last := len(b.s) - 1
	switch {
	case last >= 0 && ins <= 0 && ins == b.s[last].ins:
		b.s[last].len += n
	case last >= 0 && n == 0 && b.s[last].len == 0:
		b.s[last].ins += ins
	case forceJoin && last >= 0:
		b.s[last].len += n
		b.s[last].ins += ins
	default:
		b.s = append(b.s, section{len: n, ins: ins})
	}
}

// insert appends text to the last section's insertion. The slice is copied on first append, so
// sections of the inputs are never written to.
func (b *sectionBuilder) insert(txt []uint16) {
	if !b.text || len(txt) == 0 || len(b.s) == 0 {
		return
	}
	last := &b.s[len(b.s)-1]
	if len(last.txt) == 0 {
		last.txt = txt[:len(txt):len(txt)]
		return
	}
	last.txt = append(last.txt[:len(last.txt):len(last.txt)], txt...)
}

func (b *sectionBuilder) set() ChangeSet {
	c := ChangeSet{sections: b.s}
	for _, s := range b.s {
		c.before += s.len
		if s.ins < 0 {
			c.after += s.len
		} else {
			c.after += s.ins
		}
	}
	return c
}

// sectionIter is CodeMirror's SectionIter. i counts sections (CodeMirror counts array slots, two
// per section); only its order matters.
type sectionIter struct {
	secs     []section
	i        int
	len, ins int // ins is -2 when done
	off      int
	txt      []uint16
}

func newIter(c ChangeSet) *sectionIter {
	it := &sectionIter{secs: c.sections}
	it.next()
	return it
}

func (it *sectionIter) next() {
	if it.i < len(it.secs) {
		s := it.secs[it.i]
		it.i++
		it.len, it.ins, it.txt = s.len, s.ins, s.txt
	} else {
		it.len, it.ins, it.txt = 0, -2, nil
	}
	it.off = 0
}

func (it *sectionIter) done() bool { return it.ins == -2 }

func (it *sectionIter) len2() int {
	if it.ins < 0 {
		return it.len
	}
	return it.ins
}

// textBit is the part of the current insertion from off, n units long.
func (it *sectionIter) textBit(n int) []uint16 {
	if it.off >= len(it.txt) {
		return nil
	}
	return it.txt[it.off:min(len(it.txt), it.off+n)]
}

func (it *sectionIter) forward(n int) {
	if n == it.len {
		it.next()
		return
	}
	it.len -= n
	it.off += n
}

func (it *sectionIter) forward2(n int) {
	switch {
	case it.ins == -1:
		it.forward(n)
	case n == it.ins:
		it.next()
	default:
		it.ins -= n
		it.off += n
	}
}

// mapSet produces a copy of a that applies to the document after b (both start at the same
// document). The callers have checked the lengths; a mismatch would stop the walk early rather
// than loop or panic.
func mapSet(setA, setB ChangeSet, before, text bool) ChangeSet {
	out := sectionBuilder{text: text}
	a, b := newIter(setA), newIter(setB)
	// inserted tracks, for changes in A processed piece by piece, whether their text has been
	// inserted already: it refers to the section index.
	for inserted := -1; ; {
		switch {
		case a.done() && b.len > 0 || b.done() && a.len > 0:
			return out.set() // mismatched lengths: cannot happen after the callers' checks
		case a.ins == -1 && b.ins == -1:
			// Move across ranges skipped by both sets.
			n := min(a.len, b.len)
			out.add(n, -1, false)
			a.forward(n)
			b.forward(n)
		case b.ins >= 0 && (a.ins < 0 || inserted == a.i || a.off == 0 && (b.len < a.len || b.len == a.len && !before)):
			// A change in B comes before the next change in A (by start, then length, then the
			// before flag): skip it, and process the changes in A it covers.
			n := b.len
			out.add(b.ins, -1, false)
			for n > 0 {
				piece := min(a.len, n)
				if a.ins >= 0 && inserted < a.i && a.len <= piece {
					out.add(0, a.ins, false)
					out.insert(a.txt)
					inserted = a.i
				}
				if a.done() {
					return out.set() // mismatched lengths
				}
				a.forward(piece)
				n -= piece
			}
			b.next()
		case a.ins >= 0:
			// The part of a change in A up to the start of the next non-deletion change in B.
			n, left := 0, a.len
			for left > 0 {
				if b.ins == -1 {
					piece := min(left, b.len)
					n += piece
					left -= piece
					b.forward(piece)
				} else if b.ins == 0 && b.len < left {
					left -= b.len
					b.next()
				} else {
					break
				}
			}
			if inserted < a.i {
				out.add(n, a.ins, false)
				out.insert(a.txt)
			} else {
				out.add(n, 0, false)
			}
			inserted = a.i
			a.forward(a.len - left)
		default: // both done, or mismatched lengths
			return out.set()
		}
	}
}

// composeSets combines a and then b (b applies to the document a produces).
func composeSets(setA, setB ChangeSet, text bool) ChangeSet {
	out := sectionBuilder{text: text}
	a, b := newIter(setA), newIter(setB)
	for open := false; ; {
		switch {
		case a.done() && b.done():
			return out.set()
		case a.ins == 0: // a deletion in A
			out.add(a.len, 0, open)
			a.next()
		case b.len == 0 && !b.done(): // an insertion in B
			out.add(0, b.ins, open)
			out.insert(b.txt)
			b.next()
		case a.done() || b.done():
			return out.set() // mismatched lengths: cannot happen after the callers' checks
		default:
			n, before := min(a.len2(), b.len), len(out.s)
			switch {
			case a.ins == -1:
				insB := b.ins
				if b.ins != -1 && b.off > 0 {
					insB = 0
				}
				out.add(n, insB, open)
				if insB > 0 {
					out.insert(b.txt)
				}
			case b.ins == -1:
				lenA := a.len
				if a.off > 0 {
					lenA = 0
				}
				out.add(lenA, n, open)
				out.insert(a.textBit(n))
			default:
				lenA, insB := a.len, b.ins
				if a.off > 0 {
					lenA = 0
				}
				if b.off > 0 {
					insB = 0
				}
				out.add(lenA, insB, open)
				if b.off == 0 {
					out.insert(b.txt)
				}
			}
			open = (a.ins > n || b.ins >= 0 && b.len > n) && (open || len(out.s) > before)
			a.forward2(n)
			b.forward(n)
		}
	}
}
