package main

import (
	"testing"

	"github.com/google/uuid"
)

// A graceful restart tells clients to reconnect, and everything acknowledged is still there.
func TestRestartKeepsEverything(t *testing.T) {
	data := t.TempDir()
	s := startServer(t, "--data", data)
	c := newCafé(t, s)
	ada := joinCafé(t, s, c, "Ada", c.tables[0])
	pa := online(t, s, c.Workshop.ID, ada.token)
	for _, text := range []string{"un", "deux", "trois"} {
		id := pa.cmd("note.post", map[string]any{"note": uuid.NewString(), "text": text})
		pa.waitFor("ack", answer(id))
	}
	since := pa.v
	s.stop(t)
	bye := pa.waitFor("bye", is("bye"))
	if bye["reason"] != "shutdown" {
		t.Fatalf("bye: %v", bye)
	}

	s2 := startServer(t, "--data", data)
	back := dial(t, s2, c.Workshop.ID, ada.token, since)
	back.v = since
	back.waitFor("synced", is("synced"))
	st := state(t, s2, c)
	texts := noteTexts(st)
	for _, text := range []string{"un", "deux", "trois"} {
		if texts[text] != 1 {
			t.Fatalf("after restart, %q is there %d times (%v)", text, texts[text], texts)
		}
	}
	// The join code still works, and new posts continue the same version sequence.
	var info map[string]any
	if call(t, "GET", s2.url+"/api/join/"+c.Workshop.Code, "", nil, &info) != 200 {
		t.Fatal("join code lost in restart")
	}
	id := back.cmd("note.post", map[string]any{"note": uuid.NewString(), "text": "quatre"})
	if ack := back.waitFor("ack", answer(id)); ack["t"] != "ack" || uint64(ack["v"].(float64)) != since+1 {
		t.Fatalf("post after restart: %v (since %d)", ack, since)
	}
}
