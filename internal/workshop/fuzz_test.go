package workshop

import (
	"encoding/json"
	"errors"
	"testing"
)

// FuzzDecide sends arbitrary command types and data, as any participant or facilitator could, to
// a workshop with people and notes: Decide must never panic, must refuse with a typed error or
// return events that apply cleanly, and a refusal must leave the state as it was.
func FuzzDecide(f *testing.F) {
	seeds := []struct{ typ, data string }{
		{"note.post", `{"note":"` + id(900) + `","text":"hello"}`},
		{"note.edit", `{"note":"` + id(500) + `","text":"x","colour":"pink"}`},
		{"vote.toggle", `{"note":"` + id(500) + `"}`},
		{"participant.move", `{"participant":"` + id(100) + `","table":"` + id(11) + `"}`},
		{"table.add", `{"id":"` + id(12) + `","name":"T","number":7,"capacity":3}`},
		{"workshop.edit", `{"title":"é","date":"2026-02-30"}`},
		{"note.hide", `{"note":null}`},
		{"table.edit", `{"table":"` + id(10) + `","number":-1}`},
	}
	for _, s := range seeds {
		f.Add(s.typ, []byte(s.data), true)
		f.Add(s.typ, []byte(s.data), false)
	}
	f.Fuzz(func(t *testing.T, typ string, data []byte, asFacilitator bool) {
		w := newWorld(t, true)
		a := w.join(0, id(10))
		w.must(a, "note.post", map[string]any{"note": id(500), "text": "first"})
		actor := a
		if asFacilitator {
			actor = w.fac
		}
		before, _ := json.Marshal(w.s)
		bodies, err := Decide(w.s, actor, Command{ID: "c", Type: typ, Data: data}, 2_000)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Code == "" || e.Message == "" {
				t.Fatalf("untyped refusal: %v", err)
			}
			if after, _ := json.Marshal(w.s); string(after) != string(before) {
				t.Fatal("a refused command changed the state")
			}
			return
		}
		for _, b := range bodies {
			e := Event{V: w.s.Version + 1, At: 2_000, Cmd: "c", Body: b}
			Deliver(w.s, e)
			if err := w.s.Apply(e); err != nil {
				t.Fatal(err)
			}
			raw, err := json.Marshal(e)
			if err != nil {
				t.Fatal(err)
			}
			var back Event
			if err := json.Unmarshal(raw, &back); err != nil {
				t.Fatalf("an accepted event does not decode from the log: %v", err)
			}
		}
	})
}
