package textsync

import (
	"bytes"
	"slices"
	"testing"
)

// changesFrom builds a change set for a document of n units from fuzz bytes, two per section:
// keep, delete, insert or replace, zero-length sections and neighbouring runs included (what
// fromJSON accepts and Normalize must fold).
func changesFrom(n int, data []byte) ChangeSet {
	b := ChangeSet{}
	pos := 0
	for i := 0; i+1 < len(data); i += 2 {
		op, arg := data[i]%4, int(data[i+1])
		k := min(arg%9, n-pos)
		s := section{len: k, ins: -1}
		switch op {
		case 1:
			s.ins = 0
		case 2, 3:
			if op == 2 {
				s.len = 0
			}
			for j := 0; j < 1+arg%3; j++ {
				s.txt = append(s.txt, uint16('a'+(arg+j)%26))
			}
			s.ins = len(s.txt)
		}
		b.sections = append(b.sections, s)
		pos += s.len
	}
	if pos < n {
		b.sections = append(b.sections, section{len: n - pos, ins: -1})
	}
	// set only sums the lengths: the sections stay as generated, unfolded.
	return (&sectionBuilder{s: b.sections}).set()
}

// applyUnits applies c to u as CodeMirror does, with no check.
func applyUnits(c ChangeSet, u []uint16) []uint16 {
	posB := 0
	for _, s := range c.sections {
		if s.ins < 0 {
			posB += s.len
			continue
		}
		u = slices.Concat(u[:posB], s.txt, u[posB+s.len:])
		posB += len(s.txt)
	}
	return u
}

// FuzzMapCompose checks Map, Compose, Normalize and Rebase on any two change sets of one
// document: they never panic; both orders of mapping make one text (the property collaborative
// editing rests on); composing is applying one then the other; results are normal and survive a
// JSON round trip; a rebase over one update is a map.
func FuzzMapCompose(f *testing.F) {
	f.Add(5, []byte{2, 1}, []byte{2, 2}, false)
	f.Add(5, []byte{0, 2, 1, 2}, []byte{0, 1, 3, 3}, true)
	f.Add(0, []byte{2, 0, 2, 0}, []byte{}, false)
	f.Add(8, []byte{0, 0, 1, 0, 2, 5, 0, 3, 3, 4}, []byte{3, 8, 2, 1}, true)
	f.Fuzz(func(t *testing.T, n int, da, db []byte, before bool) {
		n = max(0, min(n, 64))
		doc := make([]uint16, n)
		for i := range doc {
			doc[i] = uint16('0' + i%10)
		}
		a, b := changesFrom(n, da), changesFrom(n, db)
		if !slices.Equal(applyUnits(a.Normalize(), doc), applyUnits(a, doc)) {
			t.Fatalf("Normalize changes what %v does", a.sections)
		}
		a2, err := a.Map(b, before)
		if err != nil {
			t.Fatal(err)
		}
		b2, err := b.Map(a, !before)
		if err != nil {
			t.Fatal(err)
		}
		if a2.before != b.after || b2.before != a.after || a2.after != b2.after {
			t.Fatalf("lengths: %d→%d over %d→%d, %d→%d over %d→%d", a2.before, a2.after, b.before, b.after, b2.before, b2.after, a.before, a.after)
		}
		x, y := applyUnits(a2, applyUnits(b, doc)), applyUnits(b2, applyUnits(a, doc))
		if !slices.Equal(x, y) {
			t.Fatalf("the two orders differ: %q and %q", string(utf16Decode(x)), string(utf16Decode(y)))
		}
		ab, err := a.Compose(b2)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(applyUnits(ab, doc), y) {
			t.Fatalf("composed %v gives %q, one after the other %q", ab.sections, string(utf16Decode(applyUnits(ab, doc))), string(utf16Decode(y)))
		}
		for _, c := range []ChangeSet{a2, b2, ab} {
			if !c.normal() {
				t.Fatalf("not normal: %v", c.sections)
			}
			raw, _ := c.MarshalJSON()
			back, err := ParseChangeSet(raw)
			if err != nil {
				t.Fatalf("%s does not parse: %v", raw, err)
			}
			if again, _ := back.MarshalJSON(); !bytes.Equal(again, raw) || back.before != c.before || back.after != c.after {
				t.Fatalf("%s does not survive a round trip", raw)
			}
		}
		got, err := Rebase([]Update{{ClientID: "me", Changes: a}}, []Update{{ClientID: "you", Changes: b}})
		after, _ := a.Map(b, false)
		if err != nil || len(got) != 1 || !slices.Equal(applyUnits(got[0].Changes, applyUnits(b, doc)), applyUnits(after, applyUnits(b, doc))) {
			t.Fatalf("Rebase over one update: %v, %v", got, err)
		}
	})
}
