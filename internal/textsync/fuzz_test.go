package textsync

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"slices"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

// seedChanges returns the change sets of the golden vectors, a few refusals and a few oddities.
func seedChanges(f *testing.F) [][]byte {
	raw, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		f.Fatal(err)
	}
	var file struct {
		Vectors []struct{ Changes json.RawMessage }
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		f.Fatal(err)
	}
	var seeds [][]byte
	for i, v := range file.Vectors {
		if i < 30 || i%10 == 0 {
			seeds = append(seeds, v.Changes)
		}
	}
	for _, s := range []string{`[]`, `[-1]`, `[1.5]`, `[[0,"a\nb"]]`, `[[0,"\ud83d"],3]`, ` [ 2 , [ 1 , "" , "\u00e9" ] ] `} {
		seeds = append(seeds, []byte(s))
	}
	return seeds
}

// FuzzParseChangeSet: any input is either refused with ErrMalformed or parsed into a change set
// whose canonical JSON parses back to itself.
func FuzzParseChangeSet(f *testing.F) {
	for _, s := range seedChanges(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		c, err := ParseChangeSet(raw)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("untyped refusal: %v", err)
			}
			return
		}
		if c.LenBefore() < 0 || c.LenAfter() < 0 {
			t.Fatalf("negative lengths %d → %d", c.LenBefore(), c.LenAfter())
		}
		out, _ := c.MarshalJSON()
		back, err := ParseChangeSet(out)
		if err != nil {
			t.Fatalf("MarshalJSON wrote %s, which does not parse: %v", out, err)
		}
		if again, _ := back.MarshalJSON(); !bytes.Equal(again, out) {
			t.Fatalf("not canonical: %s, then %s", out, again)
		}
		if back.LenBefore() != c.LenBefore() || back.LenAfter() != c.LenAfter() {
			t.Fatal("lengths changed in a round trip")
		}
	})
}

// FuzzApply applies any change set to any document, and to a document cut to the change set's
// length: it never panics, refuses only with a typed error, leaves its input alone, and on success
// agrees with a naive reference (CodeMirror's order: replace at each change's position in the new
// document) and gives a well-formed text whose UTF-8 reads back to the same units.
func FuzzApply(f *testing.F) {
	docs := []string{"", "J'aime 😀 !", "un\ndeux\ntrois", "🇫🇷👨‍👩‍👧‍👦漢é"}
	for i, s := range seedChanges(f) {
		f.Add(docs[i%len(docs)], s)
	}
	f.Fuzz(func(t *testing.T, doc string, raw []byte) {
		d := FromString(doc)
		if s := d.String(); !utf8.ValidString(s) || FromString(s).String() != s {
			t.Fatalf("FromString(%q) gives %q", doc, s)
		}
		c, err := ParseChangeSet(raw)
		if err != nil {
			return
		}
		check(t, c, d)
		if n := c.LenBefore(); n <= MaxLen+10 && n != d.Len() {
			check(t, c, fit(d, n))
		}
	})
}

func check(t *testing.T, c ChangeSet, d Text) {
	t.Helper()
	before := d.units()
	got, err := c.Apply(d)
	if !slices.Equal(d.units(), before) {
		t.Fatal("Apply changed its input")
	}
	want, wantErr := reference(c, d)
	if err != nil {
		if !errors.Is(err, wantErr) {
			t.Fatalf("Apply: %v; the reference: %v", err, wantErr)
		}
		return
	}
	if wantErr != nil {
		t.Fatalf("Apply accepted what the reference refuses (%v): %q", wantErr, got.String())
	}
	if !slices.Equal(got.units(), want) || got.Len() != c.LenAfter() {
		t.Fatalf("Apply gives %q, the reference %q", got.String(), string(utf16Decode(want)))
	}
	checkChunks(t, got)
	s := got.String()
	if !utf8.ValidString(s) || !slices.Equal(FromString(s).units(), got.units()) {
		t.Fatalf("the result %q does not read back", s)
	}
}

// reference applies c the way CodeMirror's ChangeSet.apply does, then checks every unit.
func reference(c ChangeSet, d Text) ([]uint16, error) {
	if c.LenBefore() != d.Len() {
		return nil, ErrLength
	}
	doc := d.units()
	posA, posB := 0, 0
	for _, s := range c.sections {
		if s.ins < 0 {
			posA += s.len
			posB += s.len
			continue
		}
		doc = slices.Concat(doc[:posB], s.txt, doc[posB+s.len:])
		posA += s.len
		posB += len(s.txt)
	}
	if len(doc) > MaxLen {
		return nil, ErrTooLong
	}
	for i := range doc {
		if !pairedAt(doc, i) {
			return nil, ErrSurrogate
		}
	}
	return doc, nil
}

// fit returns a well-formed document of n units made of d's units, repeated or cut.
func fit(d Text, n int) Text {
	du := d.units()
	u := make([]uint16, n)
	for i := range u {
		u[i] = 'x'
		if len(du) > 0 {
			u[i] = du[i%len(du)]
		}
	}
	for i := range u {
		if !pairedAt(u, i) {
			u[i] = 'x'
		}
	}
	return fromUnits(u)
}

func utf16Decode(u []uint16) []rune {
	return utf16.Decode(u)
}

// units returns the text as one slice.
func (t Text) units() []uint16 {
	u := make([]uint16, 0, t.n)
	for _, c := range t.chunks {
		u = append(u, c...)
	}
	return u
}

// fromUnits builds a Text from well-formed units.
func fromUnits(u []uint16) Text {
	b := builder{pending: u}
	if err := b.flush(); err != nil {
		panic(err)
	}
	return Text{chunks: b.chunks, n: len(u)}
}

// checkChunks verifies the invariants of Text's chunks.
func checkChunks(t *testing.T, d Text) {
	t.Helper()
	n := 0
	for i, c := range d.chunks {
		if len(c) == 0 || len(c) > chunkMax {
			t.Fatalf("chunk %d of %d has %d units", i, len(d.chunks), len(c))
		}
		for j := range c {
			if !pairedAt(c, j) {
				t.Fatalf("chunk %d breaks a pair at %d", i, j)
			}
		}
		n += len(c)
	}
	if n != d.n {
		t.Fatalf("chunks hold %d units, Len says %d", n, d.n)
	}
}
