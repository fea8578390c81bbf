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
