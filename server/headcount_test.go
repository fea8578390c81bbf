package main

import (
	"testing"
)

// A phone not yet seated sees nobody else, yet its table picker learns how many sit where: a
// headcount on connect (again on resume), then the tables that changed (a table added since
// the last headcount counts as changed, which is why table 2 may come again).
func TestHeadcountReachesPhonesThatSeeNobody(t *testing.T) {
	s := startServer(t)
	c := newCafé(t, s)
	lou := joinCafé(t, s, c, "Lou", "")
	phone := online(t, s, c.Workshop.ID, lou.token)
	counts := func(m map[string]any) map[string]any { return m["tables"].(map[string]any) }
	first := counts(phone.waitFor("the whole headcount", is("headcount")))
	if len(first) != 2 || first[c.tables[0]] != 0.0 || first[c.tables[1]] != 0.0 {
		t.Fatalf("first headcount %v, want both tables at 0", first)
	}

	joinCafé(t, s, c, "Ada", c.tables[0])
	got := counts(phone.waitFor("Ada counted at table 1", func(m map[string]any) bool {
		return m["t"] == "headcount" && counts(m)[c.tables[0]] == 1.0
	}))
	if n, ok := got[c.tables[1]]; ok && n != 0.0 {
		t.Errorf("headcount %v: table 2 is empty", got)
	}
	for _, m := range phone.seen {
		if m["t"] == "ev" && m["type"] == "participant.joined" {
			t.Errorf("a phone not yet seated was told of an arrival: %v", m)
		}
	}

	// A phone resuming with `since` gets no snapshot, so the count comes again in full.
	again := dial(t, s, c.Workshop.ID, lou.token, phone.v)
	full := counts(again.waitFor("the headcount on resume", is("headcount")))
	if full[c.tables[0]] != 1.0 || full[c.tables[1]] != 0.0 {
		t.Fatalf("headcount on resume %v", full)
	}
}
