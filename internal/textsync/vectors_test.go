package textsync_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"testing"

	"nappe/internal/textsync"
)

// vector is one case of testdata/vectors.json, written by `node client/scripts/textsync-vectors.mjs`
// from @codemirror/state itself.
type vector struct {
	Name      string          `json:"name"`
	Doc       string          `json:"doc"`
	Changes   json.RawMessage `json:"changes"`
	LenBefore int             `json:"lenBefore"`
	LenAfter  int             `json:"lenAfter"`
	Result    string          `json:"result"` // meaningless in Go when Error is set: it holds a lone surrogate
	Error     string          `json:"error"`  // "surrogate": the library's result holds half a pair
}

func readVectors(tb testing.TB) []vector {
	tb.Helper()
	raw, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		tb.Fatal(err)
	}
	var file struct{ Vectors []vector }
	if err := json.Unmarshal(raw, &file); err != nil {
		tb.Fatal(err)
	}
	return file.Vectors
}

// TestVectors applies every change set the library built and compares with the library's result.
func TestVectors(t *testing.T) {
	vs := readVectors(t)
	if len(vs) < 300 {
		t.Fatalf("%d vectors, want at least 300", len(vs))
	}
	refused := 0
	for _, v := range vs {
		c, err := textsync.ParseChangeSet(v.Changes)
		if err != nil {
			t.Errorf("%s: %v", v.Name, err)
			continue
		}
		if c.LenBefore() != v.LenBefore || c.LenAfter() != v.LenAfter {
			t.Errorf("%s: lengths %d → %d, the library says %d → %d", v.Name, c.LenBefore(), c.LenAfter(), v.LenBefore, v.LenAfter)
		}
		if out, _ := c.MarshalJSON(); !bytes.Equal(out, v.Changes) {
			t.Errorf("%s: MarshalJSON\n got %s\nwant %s", v.Name, out, v.Changes)
		}
		doc := textsync.FromString(v.Doc)
		if doc.Len() != v.LenBefore {
			t.Errorf("%s: document of %d code units, the library says %d", v.Name, doc.Len(), v.LenBefore)
		}
		got, err := c.Apply(doc)
		switch {
		case v.Error == "surrogate":
			refused++
			if !errors.Is(err, textsync.ErrSurrogate) {
				t.Errorf("%s: got %q, %v; want ErrSurrogate", v.Name, got.String(), err)
			}
		case err != nil:
			t.Errorf("%s: %v", v.Name, err)
		case got.String() != v.Result || got.Len() != v.LenAfter:
			t.Errorf("%s:\n got %q (%d)\nwant %q (%d)", v.Name, got.String(), got.Len(), v.Result, v.LenAfter)
		}
		if doc.String() != v.Doc {
			t.Errorf("%s: Apply changed its input", v.Name)
		}
	}
	if refused == 0 || refused == len(vs) {
		t.Errorf("%d of %d vectors refused: the vectors no longer cover both outcomes", refused, len(vs))
	}
}

// The operations' vectors: ChangeSet.map and compose, and @codemirror/collab's rebaseUpdates, as
// the library computed them.
type opVector struct {
	Name   string          `json:"name"`
	Doc    string          `json:"doc"`
	A      json.RawMessage `json:"a"`
	B      json.RawMessage `json:"b"`
	Before bool            `json:"before"`
	Result json.RawMessage `json:"result"`
	Text   string          `json:"text"`
}

type jsonUpdate struct {
	ClientID string          `json:"clientID"`
	Changes  json.RawMessage `json:"changes"`
}

type opFile struct {
	Maps     []opVector `json:"maps"`
	Composes []opVector `json:"composes"`
	Rebases  []struct {
		Name    string         `json:"name"`
		Doc     string         `json:"doc"`
		Updates []jsonUpdate   `json:"updates"`
		Over    [][]jsonUpdate `json:"over"` // one event (an accepted push) each
		Result  []jsonUpdate   `json:"result"`
		Text    string         `json:"text"`
	} `json:"rebases"`
}

func readOps(tb testing.TB) opFile {
	tb.Helper()
	raw, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		tb.Fatal(err)
	}
	var f opFile
	if err := json.Unmarshal(raw, &f); err != nil {
		tb.Fatal(err)
	}
	if len(f.Maps) < 100 || len(f.Composes) < 100 || len(f.Rebases) < 100 {
		tb.Fatalf("%d maps, %d compositions, %d rebases: want at least 100 of each", len(f.Maps), len(f.Composes), len(f.Rebases))
	}
	return f
}

func mustParse(t *testing.T, name string, raw []byte) textsync.ChangeSet {
	t.Helper()
	c, err := textsync.ParseChangeSet(raw)
	if err != nil {
		t.Fatalf("%s: %s: %v", name, raw, err)
	}
	return c
}

func applyTo(t *testing.T, name string, doc textsync.Text, cs ...textsync.ChangeSet) string {
	t.Helper()
	for _, c := range cs {
		var err error
		if doc, err = c.Apply(doc); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	return doc.String()
}

func TestMapVectors(t *testing.T) {
	for _, v := range readOps(t).Maps {
		a, b := mustParse(t, v.Name, v.A), mustParse(t, v.Name, v.B)
		got, err := a.Map(b, v.Before)
		if err != nil {
			t.Fatalf("%s: %v", v.Name, err)
		}
		if out, _ := got.MarshalJSON(); !bytes.Equal(out, v.Result) {
			t.Errorf("%s: %s mapped over %s (before %v)\n got %s\nwant %s", v.Name, v.A, v.B, v.Before, out, v.Result)
		}
		if text := applyTo(t, v.Name, textsync.FromString(v.Doc), b, got); text != v.Text {
			t.Errorf("%s: text %q, the library's %q", v.Name, text, v.Text)
		}
		// The OT property: both orders give one text.
		back, _ := b.Map(a, !v.Before)
		if text := applyTo(t, v.Name, textsync.FromString(v.Doc), a, back); text != v.Text {
			t.Errorf("%s: the other order gives %q, not %q", v.Name, text, v.Text)
		}
	}
}

func TestComposeVectors(t *testing.T) {
	for _, v := range readOps(t).Composes {
		a, b := mustParse(t, v.Name, v.A), mustParse(t, v.Name, v.B)
		got, err := a.Compose(b)
		if err != nil {
			t.Fatalf("%s: %v", v.Name, err)
		}
		if out, _ := got.MarshalJSON(); !bytes.Equal(out, v.Result) {
			t.Errorf("%s: %s then %s\n got %s\nwant %s", v.Name, v.A, v.B, out, v.Result)
		}
		if text := applyTo(t, v.Name, textsync.FromString(v.Doc), got); text != v.Text {
			t.Errorf("%s: text %q, the library's %q", v.Name, text, v.Text)
		}
	}
}

func TestRebaseVectors(t *testing.T) {
	skipped, moved := 0, 0
	for _, v := range readOps(t).Rebases {
		parse := func(us []jsonUpdate) []textsync.Update {
			out := make([]textsync.Update, len(us))
			for i, u := range us {
				out[i] = textsync.Update{ClientID: u.ClientID, Changes: mustParse(t, v.Name, u.Changes)}
			}
			return out
		}
		updates := parse(v.Updates)
		got := updates
		var over []textsync.Update
		for _, event := range v.Over {
			var err error
			if got, err = textsync.Rebase(got, parse(event)); err != nil {
				t.Fatalf("%s: %v", v.Name, err)
			}
			over = append(over, parse(event)...)
		}
		if len(got) != len(v.Result) {
			t.Fatalf("%s: %d updates, the library gives %d", v.Name, len(got), len(v.Result))
		}
		if len(got) < len(updates) {
			skipped++
		}
		doc := textsync.FromString(v.Doc)
		for _, u := range over {
			var err error
			doc, err = u.Changes.Apply(doc)
			if err != nil {
				t.Fatalf("%s: over: %v", v.Name, err)
			}
		}
		for i, u := range got {
			out, _ := u.Changes.MarshalJSON()
			if u.ClientID != v.Result[i].ClientID || !bytes.Equal(out, v.Result[i].Changes) {
				t.Errorf("%s: update %d\n got %s %s\nwant %s %s", v.Name, i, u.ClientID, out, v.Result[i].ClientID, v.Result[i].Changes)
			}
			if !bytes.Equal(out, v.Updates[len(updates)-len(got)+i].Changes) {
				moved++
			}
		}
		if text := applyTo(t, v.Name, doc, changesOf(got)...); text != v.Text {
			t.Errorf("%s: text %q, the library's %q", v.Name, text, v.Text)
		}
	}
	if skipped == 0 || moved == 0 {
		t.Errorf("%d rebases skip updates sent twice, %d updates moved: the vectors no longer cover both", skipped, moved)
	}
}

func changesOf(us []textsync.Update) []textsync.ChangeSet {
	out := make([]textsync.ChangeSet, len(us))
	for i, u := range us {
		out[i] = u.Changes
	}
	return out
}

// TestNormalizeVectors: what the library builds is already normal, and stays byte for byte.
func TestNormalizeVectors(t *testing.T) {
	for _, v := range readVectors(t) {
		c := mustParse(t, v.Name, v.Changes)
		if out, _ := c.Normalize().MarshalJSON(); !bytes.Equal(out, v.Changes) {
			t.Errorf("%s: Normalize %s gives %s", v.Name, v.Changes, out)
		}
	}
}
