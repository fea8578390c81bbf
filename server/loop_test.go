package main

import (
	"fmt"
	"testing"

	"github.com/google/uuid"
)

// The core loop: a note posted on a phone reaches its table and the projector, and nobody else.
func TestNoteReachesTableAndBoard(t *testing.T) {
	s := startServer(t, "--data", t.TempDir())
	c := newCafé(t, s)
	ada := joinCafé(t, s, c, "Ada", c.tables[0])
	bob := joinCafé(t, s, c, "Bob", c.tables[1])
	cy := joinCafé(t, s, c, "Cy", c.tables[0])

	board := online(t, s, c.Workshop.ID, c.BoardKey)
	fac := online(t, s, c.Workshop.ID, c.FacilitatorKey)
	pa := dial(t, s, c.Workshop.ID, ada.token, 0)
	w := pa.waitFor("welcome", is("welcome"))
	if w["role"] != "participant" || w["participant"] != ada.id {
		t.Fatalf("welcome: %v", w)
	}
	pa.waitFor("ada synced", is("synced"))
	pb := online(t, s, c.Workshop.ID, bob.token)
	pc := online(t, s, c.Workshop.ID, cy.token)

	id := pa.cmd("note.post", map[string]any{"note": uuid.NewString(), "text": "Un processus incrémental"})
	ev := pa.waitFor("own note event", isEvent("note.posted", noteText("Un processus incrémental")))
	ack := pa.waitFor("ack", answer(id))
	if ack["t"] != "ack" || ack["v"] != ev["v"] {
		t.Fatalf("ack %v should carry the event's version %v (and come after it)", ack, ev["v"])
	}
	board.waitFor("note on the board", isEvent("note.posted", noteText("Un processus incrémental")))
	pc.waitFor("note at the same table", isEvent("note.posted", noteText("Un processus incrémental")))
	facEv := fac.waitFor("note on the console", isEvent("note.posted", noteText("Un processus incrémental")))
	if facEv["data"].(map[string]any)["note"].(map[string]any)["hidden"] != false {
		t.Errorf("facilitator's note has no hidden flag: %v", facEv)
	}

	// Bob sits at the other table: he must not get Ada's note. Post at his table and check that
	// it is the first note he sees.
	bid := pb.cmd("note.post", map[string]any{"note": uuid.NewString(), "text": "Autre table"})
	pb.waitFor("bob's ack", answer(bid))
	for _, m := range pb.seen {
		if m["t"] == "ev" && m["type"] == "note.posted" && noteText("Un processus incrémental")(m["data"].(map[string]any)) {
			t.Fatal("a note from table 1 reached a phone at table 2")
		}
	}
	// The board never sees e-mail addresses; the facilitator does.
	for _, m := range board.seen {
		if m["t"] == "snapshot" || m["t"] == "ev" {
			if raw := string(mustJSON(m)); contains(raw, "@example.org") {
				t.Fatalf("the board received an e-mail address: %s", raw)
			}
		}
	}
	if st := state(t, s, c); !contains(string(mustJSON(st)), "ada@example.org") {
		t.Error("the facilitator's state lacks e-mail addresses")
	}
}

// A phone that drops and comes back with its last version gets exactly what it missed.
func TestResumeGetsExactlyWhatWasMissed(t *testing.T) {
	s := startServer(t, "--data", t.TempDir())
	c := newCafé(t, s)
	ada := joinCafé(t, s, c, "Ada", c.tables[0])
	bob := joinCafé(t, s, c, "Bob", c.tables[0])

	pa := online(t, s, c.Workshop.ID, ada.token)
	pb := online(t, s, c.Workshop.ID, bob.token)
	first := pa.cmd("note.post", map[string]any{"note": uuid.NewString(), "text": "avant"})
	pa.waitFor("ack", answer(first))
	pb.waitFor("bob sees it", isEvent("note.posted", noteText("avant")))
	since := pb.v
	pb.conn.CloseNow()

	for _, text := range []string{"pendant 1", "pendant 2", "pendant 3"} {
		id := pa.cmd("note.post", map[string]any{"note": uuid.NewString(), "text": text})
		pa.waitFor("ack", answer(id))
	}
	back := dial(t, s, c.Workshop.ID, bob.token, since)
	back.v = since
	back.waitFor("synced", is("synced"))
	var got []string
	for _, m := range back.seen {
		if m["t"] == "snapshot" {
			t.Fatal("a short gap was served with a snapshot instead of the missed events")
		}
		if m["t"] == "ev" && m["type"] == "note.posted" {
			got = append(got, m["data"].(map[string]any)["note"].(map[string]any)["text"].(string))
		}
	}
	if len(got) != 3 || got[0] != "pendant 1" || got[2] != "pendant 3" {
		t.Fatalf("missed events = %v", got)
	}
	// A client too far behind, or from before a data loss, gets a snapshot.
	fresh := dial(t, s, c.Workshop.ID, bob.token, 1_000_000)
	fresh.waitFor("snapshot", is("snapshot"))
}

// The same command sent twice — over the socket, again after a reconnect, and over HTTP — has
// one effect, and every answer carries the same version.
func TestDuplicateCommandCountsOnce(t *testing.T) {
	s := startServer(t, "--data", t.TempDir())
	c := newCafé(t, s)
	ada := joinCafé(t, s, c, "Ada", c.tables[0])
	pa := online(t, s, c.Workshop.ID, ada.token)
	cmd := map[string]any{"t": "cmd", "id": uuid.NewString(), "type": "note.post", "data": map[string]any{"note": uuid.NewString(), "text": "une seule fois"}}
	pa.send(cmd)
	pa.send(cmd)
	a1 := pa.waitFor("first ack", answer(cmd["id"].(string)))
	a2 := pa.waitFor("second ack", answer(cmd["id"].(string)))
	again := online(t, s, c.Workshop.ID, ada.token)
	again.send(cmd)
	a3 := again.waitFor("third ack", answer(cmd["id"].(string)))
	var out map[string]any
	call(t, "POST", s.url+"/api/workshops/"+c.Workshop.ID+"/commands", ada.token, map[string]any{"id": cmd["id"], "type": cmd["type"], "data": cmd["data"]}, &out)
	for _, a := range []map[string]any{a1, a2, a3} {
		if a["t"] != "ack" || a["v"] != a1["v"] {
			t.Fatalf("answers differ: %v %v %v", a1, a2, a3)
		}
	}
	if out["v"] != a1["v"] {
		t.Fatalf("HTTP answer %v, socket %v", out, a1)
	}
	if n := noteTexts(state(t, s, c))["une seule fois"]; n != 1 {
		t.Fatalf("the note is there %d times", n)
	}
}

// Regression: a workshop loaded through a route parameter kept a string that aliased the HTTP
// server's reused request buffer, so later requests rewrote its id and every append failed.
func TestWorkshopIDSurvivesLaterRequests(t *testing.T) {
	s := startServer(t, "--data", t.TempDir())
	c := newCafé(t, s) // loads the workshop through /api/workshops/:id/commands
	fac := online(t, s, c.Workshop.ID, c.FacilitatorKey)
	// Later requests on the same keep-alive connection overwrite that request's buffer.
	for i := range 5 {
		joinCafé(t, s, c, fmt.Sprint("P", i), c.tables[0])
	}
	if m := fac.waitFor("ack", answer(fac.cmd("note.post", map[string]any{"note": uuid.NewString(), "table": c.tables[0], "text": "x"}))); m["t"] != "ack" {
		t.Fatalf("post after other requests: %v", m)
	}
}
