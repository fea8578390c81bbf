package workshop

import (
	"encoding/json"
	"strings"
	"testing"
)

// insert is CodeMirror's ChangeSet JSON for inserting text at pos in a document of length n
// (UTF-16 code units).
func insert(pos, n int, text string) json.RawMessage {
	var parts []any
	if pos > 0 {
		parts = append(parts, pos)
	}
	ins := []any{0}
	for _, line := range strings.Split(text, "\n") {
		ins = append(ins, line)
	}
	parts = append(parts, ins)
	if n > pos {
		parts = append(parts, n-pos)
	}
	raw, _ := json.Marshal(parts)
	return raw
}

func push(doc string, version int, changes ...json.RawMessage) map[string]any {
	var ups []SynthesisUpdate
	for _, c := range changes {
		ups = append(ups, SynthesisUpdate{ClientID: "c1", Changes: c})
	}
	return map[string]any{"doc": doc, "version": version, "updates": ups}
}

func TestSynthesisPush(t *testing.T) {
	w, tables, people := roundsWorld(t, 8)
	host, guest, elsewhere := people[0], people[4], people[5]
	w.must(w.fac, "participant.move", map[string]any{"participant": guest.Participant, "table": tables[0]})
	w.must(w.fac, "participant.move", map[string]any{"participant": elsewhere.Participant, "table": tables[1]})
	doc := tables[0]

	w.must(guest, "synthesis.push", push(doc, 0, insert(0, 0, "- écoute"), insert(8, 8, "\n- 🙂 partage")))
	sy := w.s.Syntheses[doc]
	if got := sy.Text.String(); got != "- écoute\n- 🙂 partage" || sy.Version != 2 {
		t.Fatalf("after a push: %q v%d", got, sy.Version)
	}
	before := w.s.Version
	for name, tc := range map[string]struct {
		a    Actor
		args map[string]any
		code string
	}{
		"stale":             {host, push(doc, 1, insert(0, 8, "x")), CodeStale},
		"ahead":             {host, push(doc, 5, insert(0, 20, "x")), CodeStale},
		"another table":     {elsewhere, push(doc, 2, insert(0, 20, "x")), CodeForbidden},
		"unknown doc":       {w.fac, push("nope", 0, insert(0, 0, "x")), CodeNotFound},
		"wrong length":      {host, push(doc, 2, insert(0, 5, "x")), CodeInvalid},
		"out of range":      {host, push(doc, 2, json.RawMessage(`[25,[0,"x"]]`)), CodeInvalid},
		"malformed":         {host, push(doc, 2, json.RawMessage(`{"insert":"x"}`)), CodeInvalid},
		"no updates":        {host, map[string]any{"doc": doc, "version": 2, "updates": []any{}}, CodeInvalid},
		"too long":          {host, push(doc, 2, insert(0, 21, strings.Repeat("a", MaxSynthesisLen))), CodeTooLong},
		"half an emoji":     {host, push(doc, 2, json.RawMessage(`[12,[1],8]`)), CodeInvalid}, // "- écoute\n- " is 11 units, 🙂 two
		"guest on plenary":  {guest, push(PlenaryDoc, 0, insert(0, 0, "x")), CodeForbidden},
		"no client id":      {host, map[string]any{"doc": doc, "version": 2, "updates": []any{map[string]any{"changes": insert(0, 20, "x")}}}, CodeInvalid},
		"one bad in a push": {host, push(doc, 2, insert(0, 21, "ok"), insert(0, 1, "bad")), CodeInvalid},
	} {
		if err := w.do(tc.a, "synthesis.push", tc.args); code(err) != tc.code {
			t.Errorf("%s: %v, want %s", name, err, tc.code)
		}
	}
	if w.s.Version != before || sy.Text.String() != "- écoute\n- 🙂 partage" || sy.Version != 2 {
		t.Fatalf("refused pushes changed the synthesis: %q v%d", sy.Text.String(), sy.Version)
	}
	w.must(host, "synthesis.push", push(PlenaryDoc, 0, insert(0, 0, "Perspectives")))
	w.must(w.fac, "synthesis.push", push(doc, 2, insert(21, 21, "\n- fin")))

	// Views: a participant sees their table's synthesis and the plenary; the board all.
	docs := func(a Actor) string {
		var out []string
		for _, v := range w.s.Snapshot(a).Syntheses {
			out = append(out, v.Doc)
		}
		return strings.Join(out, ",")
	}
	if got := docs(elsewhere); got != PlenaryDoc {
		t.Errorf("another table sees %s", got)
	}
	if got := docs(guest); got != PlenaryDoc+","+doc {
		t.Errorf("the table sees %s", got)
	}
	if got := docs(Actor{Role: RoleBoard}); got != PlenaryDoc+","+doc {
		t.Errorf("the board sees %s", got)
	}
	d := Deliver(w.s, Event{V: w.s.Version + 1, Body: SynthesisChanged{Doc: doc}})
	if len(d.Tables) != 1 || d.Tables[0] != doc || d.AllTables {
		t.Errorf("a table's synthesis goes to %+v", d)
	}
}

func TestSynthesisHistoryAndSnapshot(t *testing.T) {
	w, tables, people := roundsWorld(t, 6)
	host := people[0]
	doc := tables[0]
	w.must(w.fac, "round.start", nil)
	w.must(host, "synthesis.push", push(doc, 0, insert(0, 0, "round one")))
	w.must(w.fac, "round.start", nil) // ends round 1
	w.must(host, "synthesis.push", push(doc, 1, insert(9, 9, ", round two")))
	w.must(w.fac, "round.end", nil)
	sy := w.s.Syntheses[doc]
	if sy.Rounds[1] != "round one" || sy.Rounds[2] != "round one, round two" {
		t.Fatalf("history: %v", sy.Rounds)
	}
	raw, err := json.Marshal(w.s)
	if err != nil {
		t.Fatal(err)
	}
	back, err := DecodeState(raw)
	if err != nil {
		t.Fatal(err)
	}
	got := back.Syntheses[doc]
	if got.Text.String() != sy.Text.String() || got.Version != sy.Version || got.Rounds[1] != "round one" {
		t.Fatalf("snapshot round trip: %+v", got)
	}
	// The restored state accepts the next push exactly as the original would.
	c := Command{ID: "next", Type: "synthesis.push"}
	c.Data, _ = json.Marshal(push(doc, 2, insert(0, sy.Text.Len(), "> ")))
	if _, err := Decide(back, host, c, 0); err != nil {
		t.Fatalf("push on a restored state: %v", err)
	}
}
