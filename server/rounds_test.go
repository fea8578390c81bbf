package main

import (
	"fmt"
	"testing"

	"github.com/google/uuid"
)

// TestThreeRoundCafé runs a planned three-round café end to end: the facilitator names hosts,
// plans and starts each round; every simulated phone learns its table from its own connection
// only (the snapshot the server sends it), writes a note there, and the notes land at the tables
// the plan said, tagged with their round. Hosts never move, travellers never sit twice at one
// table, and the projector's seating matches what the phones were told.
func TestThreeRoundCafé(t *testing.T) {
	s := startServer(t)
	c := newCafé(t, s)
	for i := 3; i <= 4; i++ {
		id := uuid.NewString()
		facCommand(t, s, c, "table.add", map[string]any{"id": id, "name": fmt.Sprint("Table ", i), "question": "?", "capacity": 5})
		c.tables = append(c.tables, id)
	}
	const n = 16
	type simPhone struct {
		phone
		ws    *wsClient
		table string
	}
	phones := make([]*simPhone, n)
	for i := range phones {
		p := joinCafé(t, s, c, fmt.Sprint("P", i), "")
		phones[i] = &simPhone{phone: p, ws: online(t, s, c.Workshop.ID, p.token)}
	}
	for i, tb := range c.tables {
		facCommand(t, s, c, "host.set", map[string]any{"table": tb, "participant": phones[i].id})
	}
	board := online(t, s, c.Workshop.ID, c.BoardKey)
	facCommand(t, s, c, "plan.make", map[string]any{})

	for round := 1; round <= 3; round++ {
		facCommand(t, s, c, "round.start", map[string]any{})
		started := board.waitFor("round.started", isEvent("round.started", nil))
		seats := started["data"].(map[string]any)["seats"].(map[string]any)
		for i, p := range phones {
			p.ws.waitFor("round.started", isEvent("round.started", func(d map[string]any) bool {
				return d["clock"].(map[string]any)["round"] == float64(round)
			}))
			// The server sends a fresh snapshot, before anything this phone does next, to every
			// phone whose table changed; the ack of the note comes after it.
			text := fmt.Sprintf("round %d by P%d", round, i)
			id := p.ws.cmd("note.post", map[string]any{"note": uuid.NewString(), "text": text})
			if a := p.ws.waitFor("ack", answer(id)); a["t"] != "ack" {
				t.Fatalf("P%d round %d: %v", i, round, a)
			}
			p.table = lastSeenTable(p.ws, p.table)
			if p.table != seats[p.id] {
				t.Fatalf("round %d: P%d believes it sits at %s, the projector says %v", round, i, p.table, seats[p.id])
			}
		}
	}

	st := state(t, s, c)
	itineraries := st["itineraries"].(map[string]any)
	notes := map[string]map[string]any{}
	for _, x := range st["notes"].([]any) {
		note := x.(map[string]any)
		notes[note["text"].(string)] = note
	}
	for i, p := range phones {
		it := itineraries[p.id].([]any)
		seen := map[any]bool{}
		for round := 1; round <= 3; round++ {
			note := notes[fmt.Sprintf("round %d by P%d", round, i)]
			if note == nil {
				t.Fatalf("note of P%d in round %d missing", i, round)
			}
			if note["table"] != it[round-1] || note["round"] != float64(round) {
				t.Fatalf("P%d round %d: note at %v tagged %v, itinerary %v", i, round, note["table"], note["round"], it)
			}
			seen[it[round-1]] = true
		}
		switch {
		case i < len(c.tables) && (len(seen) != 1 || !seen[c.tables[i]]):
			t.Fatalf("host P%d moved: %v", i, it)
		case i >= len(c.tables) && len(seen) != 3:
			t.Fatalf("traveller P%d sat twice at a table: %v", i, it)
		}
	}
	if clock := st["clock"].(map[string]any); clock["round"] != float64(3) || clock["status"] != "running" {
		t.Fatalf("clock at the end: %v", clock)
	}
}

// lastSeenTable is the table in the last snapshot a client received, or was if none came.
func lastSeenTable(c *wsClient, was string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := len(c.seen) - 1; i >= 0; i-- {
		m := c.seen[i]
		if m["t"] != "snapshot" {
			continue
		}
		you := m["state"].(map[string]any)["you"].(map[string]any)
		table, _ := you["table"].(string)
		c.seen = c.seen[i+1:] // each snapshot is read once
		return table
	}
	return was
}
