package textsync_test

import (
	"errors"
	"strings"
	"testing"

	"nappe/internal/textsync"
)

func parse(t *testing.T, raw string) textsync.ChangeSet {
	t.Helper()
	c, err := textsync.ParseChangeSet([]byte(raw))
	if err != nil {
		t.Fatalf("ParseChangeSet(%s): %v", raw, err)
	}
	return c
}

func TestParseRefuses(t *testing.T) {
	for _, raw := range []string{
		``, ` `, `{}`, `null`, `"x"`, `1`, `[`, `]`, `[1`, `[1,]`, `[,1]`, `[1 2]`, `[1]]`, `[1] x`, `[1][2]`,
		`[-1]`, `[-0]`, `[1.5]`, `[1.0]`, `[1e3]`, `[1E3]`, `[01]`, `[00]`, `[+1]`, `[0x10]`, `[Infinity]`,
		`[null]`, `[true]`, `["a"]`, `[{}]`, `[[]]`, `[["a"]]`, `[[null]]`, `[[1,2]]`, `[[1,"a",3]]`,
		`[[1,["a"]]]`, `[[1,null]]`, `[[1,]]`, `[[1 "a"]]`, `[[1,"a"`, `[[-1,"a"]]`, `[[1.5]]`,
		`[[0,"a\nb"]]`, `[[0,"\r"]]`, `[[0,"a` + "\n" + `b"]]`, `[[0,"` + "\x01" + `"]]`, `[[0,"` + "\xff" + `"]]`,
		`[[0,"` + "\xed\xa0\xbd" + `"]]`, `[[0,"\u12"]]`, `[[0,"\u12g4"]]`, `[[0,"\q"]]`, `[[0,"\`,
		`[[0,"abc]]`, `[99999999999]`, `[1073741825]`, `[1073741824,1]`,
	} {
		c, err := textsync.ParseChangeSet([]byte(raw))
		if !errors.Is(err, textsync.ErrMalformed) {
			t.Errorf("ParseChangeSet(%q) = %v, %v; want ErrMalformed", raw, c, err)
		}
	}
}

func TestParseAccepts(t *testing.T) {
	for _, tc := range []struct {
		raw, canonical string
		before, after  int
	}{
		{`[]`, `[]`, 0, 0},
		{" [ 1 ,\n\t[ 2 , \"a\" ] ]\r\n", `[1,[2,"a"]]`, 3, 2},
		{`[[3]]`, `[[3]]`, 3, 0},
		{`[[3,""]]`, `[[3]]`, 3, 0}, // fromJSON accepts it; toJSON writes [3]
		{`[[0,"",""]]`, `[[0,"",""]]`, 0, 1},
		{`[0,[0],0]`, `[0,[0],0]`, 0, 0}, // zero-length sections are kept, as fromJSON keeps them
		{`[[0,"\u00e9\/\"\\\b\f\t\u0001\u2028"]]`, `[[0,"é/\"\\\b\f\t\u0001` + "\u2028" + `"]]`, 0, 9},
		{`[[0,"\ud83d\ude00"]]`, `[[0,"😀"]]`, 0, 2},
		{`[[0,"\uD83D"]]`, `[[0,"\ud83d"]]`, 0, 1}, // half a pair survives, as JSON.stringify writes it
		{`[1073741824]`, `[1073741824]`, 1 << 30, 1 << 30},
	} {
		c := parse(t, tc.raw)
		if c.LenBefore() != tc.before || c.LenAfter() != tc.after {
			t.Errorf("%s: lengths %d → %d, want %d → %d", tc.raw, c.LenBefore(), c.LenAfter(), tc.before, tc.after)
		}
		if out, _ := c.MarshalJSON(); string(out) != tc.canonical {
			t.Errorf("%s: MarshalJSON = %s, want %s", tc.raw, out, tc.canonical)
		}
	}
}

func TestApply(t *testing.T) {
	doc := textsync.FromString("J'aime 😀 !")
	for _, tc := range []struct{ changes, want string }{
		{`[11]`, "J'aime 😀 !"},
		{`[[0,"🇫🇷 "],11]`, "🇫🇷 J'aime 😀 !"},
		{`[11,[0,"","fin"]]`, "J'aime 😀 !\nfin"},
		{`[[11]]`, ""},
		{`[7,[2,"👍🏽"],2]`, "J'aime 👍🏽 !"},
		{`[8,[1,"\ude03"],2]`, "J'aime 😃 !"}, // the low half replaced: still well-formed
	} {
		got, err := parse(t, tc.changes).Apply(doc)
		if err != nil || got.String() != tc.want {
			t.Errorf("%s: got %q, %v; want %q", tc.changes, got.String(), err, tc.want)
		}
	}
	if doc.String() != "J'aime 😀 !" || doc.Len() != 11 {
		t.Errorf("Apply changed its input: %q", doc.String())
	}
}

func TestApplyRefuses(t *testing.T) {
	doc := textsync.FromString("J'aime 😀 !")
	for _, tc := range []struct {
		changes string
		want    error
	}{
		{`[10]`, textsync.ErrLength},
		{`[12]`, textsync.ErrLength},
		{`[]`, textsync.ErrLength},
		{`[7,[1],3]`, textsync.ErrSurrogate},        // the high half deleted
		{`[8,[1],2]`, textsync.ErrSurrogate},        // the low half deleted
		{`[8,[0,"x"],3]`, textsync.ErrSurrogate},    // inserted between the halves
		{`[8,[3,"\ud83d"]]`, textsync.ErrSurrogate}, // a high half at the end
		{`[[7,"\ude00"],4]`, textsync.ErrSurrogate},
		{`[9,[2,"\ude00"]]`, textsync.ErrSurrogate}, // two low halves in a row
	} {
		got, err := parse(t, tc.changes).Apply(doc)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: got %q, %v; want %v", tc.changes, got.String(), err, tc.want)
		}
	}
	if doc.String() != "J'aime 😀 !" {
		t.Errorf("a refused change altered the document: %q", doc.String())
	}
}

func TestMaxLen(t *testing.T) {
	long := textsync.FromString(strings.Repeat("é", textsync.MaxLen-2))
	full, err := parse(t, `[19998,[0,"😀"]]`).Apply(long)
	if err != nil || full.Len() != textsync.MaxLen {
		t.Fatalf("filling up to MaxLen: %d, %v", full.Len(), err)
	}
	if _, err := parse(t, `[20000,[0,"a"]]`).Apply(full); !errors.Is(err, textsync.ErrTooLong) {
		t.Errorf("one unit past MaxLen: %v, want ErrTooLong", err)
	}
	if _, err := parse(t, `[[20000,"`+strings.Repeat("a", 20001)+`"]]`).Apply(full); !errors.Is(err, textsync.ErrTooLong) {
		t.Errorf("replacing everything by a longer text: %v, want ErrTooLong", err)
	}
	if got, err := parse(t, `[[20000,"court"]]`).Apply(full); err != nil || got.String() != "court" {
		t.Errorf("shrinking: %q, %v", got.String(), err)
	}
}

func TestText(t *testing.T) {
	for _, tc := range []struct {
		in, out string
		len     int
	}{
		{"", "", 0},
		{"abc", "abc", 3},
		{"é", "é", 1},
		{"漢字", "漢字", 2},
		{"😀", "😀", 2},
		{"👨‍👩‍👧‍👦", "👨‍👩‍👧‍👦", 11},
		{"🇫🇷", "🇫🇷", 4},
		{"a\r\nb\rc\n", "a\nb\nc\n", 6}, // as CodeMirror's Text.of(s.split(/\r\n?|\n/))
		{"\r\r\n", "\n\n", 2},
		{"a\xffb", "a\uFFFDb", 3},
		{"\xed\xa0\xbd", "\uFFFD\uFFFD\uFFFD", 3}, // a surrogate in UTF-8 is invalid UTF-8
	} {
		doc := textsync.FromString(tc.in)
		if doc.String() != tc.out || doc.Len() != tc.len {
			t.Errorf("FromString(%q) = %q (%d), want %q (%d)", tc.in, doc.String(), doc.Len(), tc.out, tc.len)
		}
	}
	var zero textsync.Text
	if zero.Len() != 0 || zero.String() != "" {
		t.Error("the zero Text is not the empty document")
	}
	if got, err := parse(t, `[[0,"a"]]`).Apply(zero); err != nil || got.String() != "a" {
		t.Errorf("insert into the zero Text: %q, %v", got.String(), err)
	}
}
