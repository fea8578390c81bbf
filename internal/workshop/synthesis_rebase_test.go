package workshop

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/google/uuid"
)

// decidePush decides a synthesis.push and applies its events; it returns the event's updates.
func (w *world) decidePush(a Actor, args map[string]any) ([]SynthesisUpdate, error) {
	w.t.Helper()
	raw, _ := json.Marshal(args)
	c := Command{ID: uuid.NewString(), Type: "synthesis.push", Data: raw}
	bodies, err := Decide(w.s, a, c, w.now)
	if err != nil {
		return nil, err
	}
	w.apply(c.ID, bodies)
	if len(bodies) == 0 {
		return nil, nil
	}
	return bodies[0].(SynthesisChanged).Updates, nil
}

func pushAs(doc string, version int, clientID string, changes ...json.RawMessage) map[string]any {
	args := push(doc, version, changes...)
	for i := range args["updates"].([]SynthesisUpdate) {
		args["updates"].([]SynthesisUpdate)[i].ClientID = clientID
	}
	return args
}

func TestSynthesisRebase(t *testing.T) {
	w, tables, people := roundsWorld(t, 8)
	doc, host := tables[0], people[0]
	w.must(host, "synthesis.push", pushAs(doc, 0, "ada", insert(0, 0, "ab")))
	// Two editors push on version 1 at once: the second is rebased over the first and accepted.
	w.must(host, "synthesis.push", pushAs(doc, 1, "ada", insert(2, 2, "C")))
	got, err := w.decidePush(w.fac, pushAs(doc, 1, "bob", insert(0, 2, "X"), insert(1, 3, "Y")))
	if err != nil {
		t.Fatalf("a push one version behind: %v", err)
	}
	sy := w.s.Syntheses[doc]
	if text := sy.Text.String(); text != "XYabC" || sy.Version != 4 {
		t.Fatalf("after the rebase: %q v%d", text, sy.Version)
	}
	if len(got) != 2 || string(got[0].Changes) != `[[0,"X"],3]` || string(got[1].Changes) != `[1,[0,"Y"],3]` || got[0].ClientID != "bob" {
		t.Errorf("the event carries %+v", got)
	}
	for name, tc := range map[string]struct {
		args map[string]any
		code string
	}{
		"inside a push":               {pushAs(doc, 3, "cy", insert(0, 4, "x")), CodeStale}, // versions 2–4 are one push
		"ahead":                       {pushAs(doc, 5, "cy", insert(0, 5, "x")), CodeStale},
		"wrong length at its version": {pushAs(doc, 2, "cy", insert(0, 4, "x")), CodeInvalid},
		"half an emoji, rebased":      {pushAs(doc, 1, "cy", json.RawMessage(`[[0,"\ud83d"],2]`)), CodeInvalid},
	} {
		if err := w.do(host, "synthesis.push", tc.args); code(err) != tc.code {
			t.Errorf("%s: %v, want %s", name, err, tc.code)
		}
	}
	if sy.Version != 4 || sy.Text.String() != "XYabC" {
		t.Fatalf("refused pushes changed the synthesis: %q v%d", sy.Text.String(), sy.Version)
	}
	// A push sent twice on its version: what was accepted is not applied again.
	if got, err := w.decidePush(host, pushAs(doc, 1, "ada", insert(2, 2, "C"))); err != nil || got != nil {
		t.Errorf("a push accepted already: %v, %v", got, err)
	}
	if sy.Version != 4 || sy.Text.String() != "XYabC" {
		t.Fatalf("a repeated push changed the synthesis: %q v%d", sy.Text.String(), sy.Version)
	}
}

func TestSynthesisRebaseWindow(t *testing.T) {
	w, tables, people := roundsWorld(t, 8)
	doc, host := tables[0], people[0]
	n := 0
	for v := 0; v < RebaseWindowUpdates+10; v++ {
		w.must(host, "synthesis.push", pushAs(doc, v, "ada", insert(n, n, "a")))
		n++
	}
	sy := w.s.Syntheses[doc]
	if sy.recentUpdates != RebaseWindowUpdates || len(sy.recent) != RebaseWindowUpdates {
		t.Fatalf("the window holds %d updates in %d pushes, want %d", sy.recentUpdates, len(sy.recent), RebaseWindowUpdates)
	}
	oldest := sy.Version - RebaseWindowUpdates
	if err := w.do(host, "synthesis.push", pushAs(doc, oldest-1, "bob", insert(0, oldest-1, "b"))); code(err) != CodeStale {
		t.Errorf("a push older than the window: %v, want stale", err)
	}
	if err := w.do(host, "synthesis.push", pushAs(doc, oldest, "bob", insert(0, oldest, "b"))); err != nil {
		t.Errorf("a push as old as the window: %v", err)
	}
	if got := sy.Text.String(); got != "b"+strings.Repeat("a", n) {
		t.Errorf("text %q", got)
	}
	// Large pastes fill the window by size: older pushes leave it.
	for range 3 {
		w.must(host, "synthesis.push", pushAs(doc, sy.Version, "ada", json.RawMessage(`[[`+itoa(sy.Text.Len())+`,"`+strings.Repeat("z", 15000)+`"]]`)))
	}
	if sy.recentSize > RebaseWindowSize || len(sy.recent) != 2 {
		t.Errorf("after three large pastes the window holds %d pushes of size %d", len(sy.recent), sy.recentSize)
	}
	if err := w.do(host, "synthesis.push", pushAs(doc, sy.Version-3, "bob", insert(0, n+1, "b"))); code(err) != CodeStale {
		t.Errorf("a push before the pastes: %v, want stale", err)
	}
	// A state loaded from a snapshot has no window: only the current version is accepted.
	raw, _ := json.Marshal(w.s)
	back, err := DecodeState(raw)
	if err != nil {
		t.Fatal(err)
	}
	w.s = back
	v := back.Syntheses[doc].Version
	l := back.Syntheses[doc].Text.Len()
	if err := w.do(host, "synthesis.push", pushAs(doc, v-1, "bob", insert(0, l, "x"))); code(err) != CodeStale {
		t.Errorf("behind, after a restart: %v, want stale", err)
	}
	w.must(host, "synthesis.push", pushAs(doc, v, "bob", insert(0, l, "x")))
	if err := w.do(host, "synthesis.push", pushAs(doc, v, "cy", insert(0, l, "y"))); err != nil {
		t.Errorf("behind once the window refilled: %v", err)
	}
}

// TestSynthesisRebaseVectors runs textsync's rebase vectors (from @codemirror/collab) through the
// domain: the other editors' pushes are accepted one by one, then the late push; the event must
// carry what the library's rebaseUpdates gives over each push in turn, which is what the pusher's
// receiveUpdates computes.
func TestSynthesisRebaseVectors(t *testing.T) {
	raw, err := os.ReadFile("../textsync/testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Rebases []struct {
			Name    string              `json:"name"`
			Doc     string              `json:"doc"`
			Updates []SynthesisUpdate   `json:"updates"`
			Over    [][]SynthesisUpdate `json:"over"`
			Result  []SynthesisUpdate   `json:"result"`
			Text    string              `json:"text"`
		} `json:"rebases"`
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	w, tables, _ := roundsWorld(t, 8)
	for i, v := range file.Rebases {
		doc := tables[i%len(tables)]
		base := 0
		if sy := w.s.Syntheses[doc]; sy != nil && sy.Text.Len() > 0 {
			w.must(w.fac, "synthesis.push", pushAs(doc, sy.Version, "seed", json.RawMessage(`[[`+itoa(sy.Text.Len())+`]]`)))
		}
		if sy := w.s.Syntheses[doc]; sy != nil {
			base = sy.Version
		}
		if v.Doc != "" {
			w.must(w.fac, "synthesis.push", pushAs(doc, base, "seed", insert(0, 0, v.Doc)))
			base++
		}
		for _, event := range v.Over {
			w.must(w.fac, "synthesis.push", map[string]any{"doc": doc, "version": w.s.Syntheses[doc].Version, "updates": event})
		}
		got, err := w.decidePush(w.fac, map[string]any{"doc": doc, "version": base, "updates": v.Updates})
		if err != nil {
			t.Fatalf("%s: %v", v.Name, err)
		}
		if len(got) != len(v.Result) {
			t.Fatalf("%s: %d updates, the library gives %d", v.Name, len(got), len(v.Result))
		}
		for k := range got {
			if got[k].ClientID != v.Result[k].ClientID || !bytes.Equal(got[k].Changes, v.Result[k].Changes) {
				t.Errorf("%s: update %d is %s %s, the library's %s %s", v.Name, k, got[k].ClientID, got[k].Changes, v.Result[k].ClientID, v.Result[k].Changes)
			}
		}
		if text := w.s.Syntheses[doc].Text.String(); text != v.Text {
			t.Errorf("%s: text %q, the library's %q", v.Name, text, v.Text)
		}
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }
