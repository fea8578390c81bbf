package main

import (
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/google/uuid"
)

// Two Nappe processes sharing one NATS serve the same workshops: a note posted through one
// reaches a projector on the other, and concurrent posts through both get one order.
func TestTwoProcessesShareOneNATS(t *testing.T) {
	a := startServer(t, "--data", t.TempDir(), "--nats-listen", "127.0.0.1:-1")
	if a.natsURL == "" {
		t.Fatal("process A did not print its NATS URL")
	}
	b := startServer(t, "--nats-url", a.natsURL, "--replicas", "1")
	c := newCafé(t, a)
	ada := joinCafé(t, a, c, "Ada", c.tables[0])
	bob := joinCafé(t, b, c, "Bob", c.tables[0]) // joins through B with the code

	boardA := online(t, a, c.Workshop.ID, c.BoardKey)
	boardB := online(t, b, c.Workshop.ID, c.BoardKey)
	pa := online(t, a, c.Workshop.ID, ada.token)
	pb := online(t, b, c.Workshop.ID, bob.token)

	// A facilitator on B sees Ada, connected to A, as online.
	facB := dial(t, b, c.Workshop.ID, c.FacilitatorKey, 0)
	facB.waitFor("Ada online across processes", func(m map[string]any) bool {
		return m["t"] == "presence" && slices.Contains(m["online"].([]any), any(ada.id)) && slices.Contains(m["online"].([]any), any(bob.id))
	})

	id := pa.cmd("note.post", map[string]any{"note": uuid.NewString(), "text": "via A"})
	pa.waitFor("ack", answer(id))
	boardB.waitFor("A's note on B's board", isEvent("note.posted", noteText("via A")))
	pb.waitFor("A's note on B's phone", isEvent("note.posted", noteText("via A")))

	// Both phones post at once; every post is acknowledged exactly once and both boards see the
	// same notes in the same order with the same versions.
	const each = 25
	var wg sync.WaitGroup
	for _, p := range []struct {
		c    *wsClient
		name string
	}{{pa, "A"}, {pb, "B"}} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ids := make([]string, each)
			for i := range ids {
				ids[i] = p.c.cmd("note.post", map[string]any{"note": uuid.NewString(), "text": fmt.Sprintf("%s-%d", p.name, i)})
			}
			for _, id := range ids {
				if m := p.c.waitFor("ack", answer(id)); m["t"] != "ack" {
					t.Errorf("post through %s refused: %v", p.name, m)
				}
			}
		}()
	}
	wg.Wait()
	order := func(c *wsClient) []string {
		var out []string
		for len(out) < 2*each {
			m := c.waitFor("burst on the board", isEvent("note.posted", nil))
			n := m["data"].(map[string]any)["note"].(map[string]any)
			if n["text"] == "via A" {
				continue
			}
			out = append(out, fmt.Sprint(m["v"], n["text"]))
		}
		return out
	}
	oa, ob := order(boardA), order(boardB)
	for i := range oa {
		if oa[i] != ob[i] {
			t.Fatalf("boards disagree at %d: %s vs %s", i, oa[i], ob[i])
		}
	}
	if n := len(noteTexts(state(t, b, c))); n != 2*each+1 {
		t.Fatalf("%d distinct notes, want %d", n, 2*each+1)
	}
}
