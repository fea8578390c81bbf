package workshop

import (
	"testing"
)

// roundsWorld is a café of four tables of six and n participants, table i hosted by participant i.
func roundsWorld(t *testing.T, n int) (*world, []string, []Actor) {
	t.Helper()
	w := newWorld(t, false)
	w.must(w.fac, "table.remove", map[string]any{"table": id(10)})
	w.must(w.fac, "table.remove", map[string]any{"table": id(11)})
	var tables []string
	for i := range 4 {
		w.must(w.fac, "table.add", map[string]any{"id": id(20 + i), "name": "T", "capacity": 6})
		tables = append(tables, id(20+i))
	}
	var people []Actor
	for i := range n {
		w.now += 10
		people = append(people, w.join(i, ""))
	}
	for i := range 4 {
		w.must(w.fac, "host.set", map[string]any{"table": tables[i], "participant": people[i].Participant})
	}
	return w, tables, people
}

func TestRoundLifecycleAndClock(t *testing.T) {
	w, _, people := roundsWorld(t, 6)
	s := w.s
	if s.Clock.Status != ClockWaiting || len(s.Rounds) != 3 || s.Rounds[0].Minutes != 20 {
		t.Fatalf("new workshop: clock %+v, rounds %+v", s.Clock, s.Rounds)
	}
	for _, typ := range []string{"round.pause", "round.resume", "round.end"} {
		if err := w.do(w.fac, typ, nil); code(err) != CodeInvalid {
			t.Errorf("%s before any round: %v, want invalid", typ, err)
		}
	}
	if err := w.do(people[5], "round.start", nil); code(err) != CodeForbidden {
		t.Fatalf("participant starting a round: %v", err)
	}
	w.must(w.fac, "rounds.set", map[string]any{"rounds": []Round{{Minutes: 10, Question: "Why?"}, {Minutes: 5}}})

	w.now = 100_000
	w.must(w.fac, "round.start", nil)
	if c := s.Clock; c.Round != 1 || c.Status != ClockRunning || c.StartedAt != 100_000 || c.EndsAt != 100_000+10*60_000 {
		t.Fatalf("started: %+v", c)
	}
	w.now = 160_000 // one minute in
	w.must(w.fac, "round.pause", nil)
	if c := s.Clock; c.Status != ClockPaused || c.Remaining != 9*60_000 {
		t.Fatalf("paused: %+v", c)
	}
	if err := w.do(w.fac, "round.pause", nil); code(err) != CodeInvalid {
		t.Fatalf("pausing twice: %v", err)
	}
	w.must(w.fac, "round.extend", map[string]any{"minutes": 1})
	if c := s.Clock; c.Status != ClockPaused || c.Remaining != 10*60_000 {
		t.Fatalf("extended while paused: %+v", c)
	}
	w.now = 500_000 // the pause lasted; the clock did not run
	w.must(w.fac, "round.resume", nil)
	if c := s.Clock; c.Status != ClockRunning || c.EndsAt != 500_000+10*60_000 {
		t.Fatalf("resumed: %+v", c)
	}
	w.now = 2_000_000 // overtime: +5 counts from now
	w.must(w.fac, "round.extend", map[string]any{"minutes": 5})
	if c := s.Clock; c.EndsAt != 2_000_000+5*60_000 {
		t.Fatalf("extended in overtime: %+v", c)
	}
	for _, bad := range []int{0, -1, MaxExtend + 1} {
		if err := w.do(w.fac, "round.extend", map[string]any{"minutes": bad}); code(err) != CodeInvalid {
			t.Errorf("extend by %d: %v", bad, err)
		}
	}
	// Starting the next round while one runs ends it first, in the same command.
	w.now = 2_100_000
	before := s.Version
	w.must(w.fac, "round.start", nil)
	if s.Version != before+2 || s.Clock.Round != 2 || s.Clock.EndsAt != 2_100_000+5*60_000 {
		t.Fatalf("next round: v%d→v%d, %+v", before, s.Version, s.Clock)
	}
	w.must(w.fac, "round.end", nil)
	if c := s.Clock; c.Status != ClockEnded || c.Round != 2 {
		t.Fatalf("ended: %+v", c)
	}
	if err := w.do(w.fac, "round.start", nil); code(err) != CodeInvalid {
		t.Fatalf("starting past the last round: %v", err)
	}
	if err := w.do(w.fac, "rounds.set", map[string]any{"rounds": []Round{{Minutes: 10}}}); code(err) != CodeInvalid {
		t.Fatalf("fewer rounds than started: %v", err)
	}
	w.must(w.fac, "rounds.set", map[string]any{"rounds": []Round{{Minutes: 10}, {Minutes: 5}, {Minutes: 20}}})
	w.must(w.fac, "round.start", nil)
	if s.Clock.Round != 3 {
		t.Fatalf("a round added afterwards can be played: %+v", s.Clock)
	}
}

func TestRoundsSetValidation(t *testing.T) {
	w, _, _ := roundsWorld(t, 4)
	many := make([]Round, MaxRounds+1)
	for i := range many {
		many[i].Minutes = 10
	}
	for name, rounds := range map[string]any{
		"none":          []Round{},
		"too many":      many,
		"zero minutes":  []Round{{Minutes: 0}},
		"too long":      []Round{{Minutes: MaxRoundMinutes + 1}},
		"long question": []Round{{Minutes: 5, Question: string(make([]byte, MaxQuestion+1))}},
		"not a list":    "3",
	} {
		before := w.s.Version
		if err := w.do(w.fac, "rounds.set", map[string]any{"rounds": rounds}); err == nil || w.s.Version != before {
			t.Errorf("%s: accepted (%v)", name, err)
		}
	}
}

// TestPlannedSeatingAcrossRounds plays three planned rounds: hosts stay, nobody returns to a
// table while others remain unvisited, tables stay within capacity and balanced, a latecomer is
// seated at once and then planned like everyone, someone who leaves is dropped.
func TestPlannedSeatingAcrossRounds(t *testing.T) {
	w, tables, people := roundsWorld(t, 20)
	s := w.s
	w.must(w.fac, "plan.make", nil)
	if s.Seating != SeatingPlanned || len(s.Plan) != 20 {
		t.Fatalf("plan: seating %q, %d people planned", s.Seating, len(s.Plan))
	}
	check := func(round int) map[string]int {
		t.Helper()
		sizes := map[string]int{}
		for id, p := range s.Participants {
			if p.Table == "" {
				t.Fatalf("round %d: %s not seated", round, id)
			}
			sizes[p.Table]++
			if host := s.HostOf(id); host != "" && p.Table != host {
				t.Fatalf("round %d: the host of %s sits at %s", round, host, p.Table)
			}
			if got := s.Seatings[round-1][id]; got != p.Table {
				t.Fatalf("round %d: seating says %q, participant at %q", round, got, p.Table)
			}
		}
		lo, hi := len(s.Participants), 0
		for _, tb := range tables {
			if sizes[tb] > 6 {
				t.Fatalf("round %d: table over capacity: %v", round, sizes)
			}
			lo, hi = min(lo, sizes[tb]), max(hi, sizes[tb])
		}
		if hi-lo > 1 {
			t.Fatalf("round %d: unbalanced tables %v", round, sizes)
		}
		return sizes
	}
	w.must(w.fac, "round.start", nil)
	check(1)
	w.must(people[7], "note.post", map[string]any{"note": id(900), "text": "round one"})
	if n := s.Notes[id(900)]; n.Round != 1 {
		t.Fatalf("note of round 1 tagged %d", n.Round)
	}
	w.must(w.fac, "round.start", nil)
	check(2)
	for i := 4; i < 20; i++ {
		v := s.Visited(people[i].Participant)
		if len(v) != 2 || v[0] == v[1] {
			t.Fatalf("traveller %d visited %v", i, v)
		}
	}
	// A latecomer during a planned round is seated at once, at a least-filled table.
	w.now += 10
	late := w.join(22, tables[0]) // tokens repeat every 26: keep n below 24
	lp := s.Participants[late.Participant]
	sizes := map[string]int{}
	for _, p := range s.Participants {
		if p.ID != lp.ID {
			sizes[p.Table]++
		}
	}
	for _, tb := range tables {
		if sizes[tb] < sizes[lp.Table] {
			t.Fatalf("latecomer seated at %s (%d people) while %s had %d", lp.Table, sizes[lp.Table], tb, sizes[tb])
		}
	}
	w.must(w.fac, "participant.remove", map[string]any{"participant": people[19].Participant})
	w.must(w.fac, "round.start", nil)
	check(3)
	if got := s.Seatings[2][people[19].Participant]; got != "" {
		t.Fatalf("someone who left was seated: %q", got)
	}
	for i := 4; i < 19; i++ {
		v := s.Visited(people[i].Participant)
		if v[0] == v[2] || v[1] == v[2] {
			t.Fatalf("traveller %d came back to a table with unvisited ones left: %v", i, v)
		}
	}
	if v := s.Visited(late.Participant); len(v) != 2 || v[0] == v[1] {
		t.Fatalf("latecomer visited %v", v)
	}
}

func TestReplanKeepsPlayedRounds(t *testing.T) {
	w, _, people := roundsWorld(t, 16)
	w.must(w.fac, "plan.make", nil)
	w.must(w.fac, "round.start", nil)
	played := map[string]string{}
	for id, p := range w.s.Participants {
		played[id] = p.Table
	}
	w.must(w.fac, "participant.move", map[string]any{"participant": people[9].Participant, "table": w.s.HostOf(people[0].Participant)})
	played[people[9].Participant] = w.s.HostOf(people[0].Participant)
	w.must(w.fac, "plan.make", nil)
	for id, it := range w.s.Itineraries() {
		if it[0] != played[id] {
			t.Fatalf("re-planning changed round 1 of %s: %v, played %s", id, it, played[id])
		}
		if it[1] == "" || it[2] == "" {
			t.Fatalf("re-planned itinerary has holes: %v", it)
		}
	}
	w.must(w.fac, "seating.set", map[string]any{"seating": SeatingFree})
	w.must(w.fac, "round.start", nil)
	for id, p := range w.s.Participants {
		if p.Table != played[id] && w.s.HostOf(id) == "" {
			t.Fatalf("free seating moved %s", id)
		}
	}
	if err := w.do(w.fac, "seating.set", map[string]any{"seating": "random"}); code(err) != CodeInvalid {
		t.Fatalf("unknown seating: %v", err)
	}
}

func TestTableHosts(t *testing.T) {
	w, tables, people := roundsWorld(t, 8)
	s := w.s
	host, guest, other := people[0], people[5], people[6]
	w.must(w.fac, "participant.move", map[string]any{"participant": guest.Participant, "table": tables[0]})
	w.must(w.fac, "participant.move", map[string]any{"participant": other.Participant, "table": tables[1]})
	w.must(guest, "note.post", map[string]any{"note": id(700), "text": "mine"})
	w.must(other, "note.post", map[string]any{"note": id(701), "text": "elsewhere"})

	if err := w.do(guest, "note.hide", map[string]any{"note": id(700)}); code(err) != CodeForbidden {
		t.Fatalf("a guest moderating: %v", err)
	}
	if err := w.do(host, "note.hide", map[string]any{"note": id(701)}); code(err) != CodeForbidden {
		t.Fatalf("a host moderating another table: %v", err)
	}
	w.must(host, "note.hide", map[string]any{"note": id(700)})
	snap := s.Snapshot(host)
	found := false
	for _, n := range snap.Notes {
		found = found || (n.ID == id(700) && n.Hidden != nil && *n.Hidden)
	}
	if !found {
		t.Fatal("the host does not see the hidden note of their table")
	}
	for _, n := range s.Snapshot(guest).Notes {
		if n.ID == id(700) {
			t.Fatal("a guest sees a hidden note")
		}
	}
	w.must(host, "note.restore", map[string]any{"note": id(700)})

	w.must(host, "note.post", map[string]any{"note": id(702), "text": "pour Dan", "for": "Dan"})
	if n := s.Notes[id(702)]; n.AuthorName != "Dan" || n.Via != "P0" || n.Author != host.Participant {
		t.Fatalf("note for someone: %+v", n)
	}
	if err := w.do(guest, "note.post", map[string]any{"note": id(703), "text": "x", "for": "Dan"}); code(err) != CodeForbidden {
		t.Fatalf("a guest writing for someone: %v", err)
	}
	if err := w.do(host, "participant.move", map[string]any{"participant": host.Participant, "table": tables[2]}); code(err) != CodeForbidden {
		t.Fatalf("a host leaving their table: %v", err)
	}
	// Hosting another table moves the host and frees the first.
	w.must(w.fac, "host.set", map[string]any{"table": tables[2], "participant": host.Participant})
	if s.Tables[tables[0]].Host != "" || s.Tables[tables[2]].Host != host.Participant || s.Participants[host.Participant].Table != tables[2] {
		t.Fatalf("re-hosting: %+v %+v", s.Tables[tables[0]], s.Tables[tables[2]])
	}
	w.must(w.fac, "host.set", map[string]any{"table": tables[2], "participant": nil})
	if s.Tables[tables[2]].Host != "" {
		t.Fatal("host not cleared")
	}
	w.must(w.fac, "participant.remove", map[string]any{"participant": people[1].Participant})
	if s.Tables[tables[1]].Host != "" {
		t.Fatal("a removed participant still hosts")
	}
}

func TestRoundDelivery(t *testing.T) {
	w, _, _ := roundsWorld(t, 12)
	w.must(w.fac, "plan.make", nil)
	bodies, err := Decide(w.s, w.fac, Command{ID: "c", Type: "round.start"}, w.now)
	if err != nil {
		t.Fatal(err)
	}
	start := bodies[len(bodies)-1].(RoundStarted)
	d := Deliver(w.s, Event{V: w.s.Version + 1, Body: start})
	if _, ok := d.Public.(map[string]any)["seats"]; ok {
		t.Error("phones get everyone's seats")
	}
	if _, ok := d.Board.(map[string]any)["seats"]; !ok {
		t.Error("the board does not get the seats")
	}
	if !d.AllTables {
		t.Error("the clock does not reach every table")
	}
	moving := map[string]bool{}
	for _, p := range d.Reseat {
		moving[p] = true
	}
	for id, to := range start.Seats {
		if w.s.Participants[id].Table != to && !moving[id] {
			t.Errorf("%s changes table without a fresh snapshot", id)
		}
	}
	plan := Deliver(w.s, Event{V: w.s.Version + 1, Body: PlanMade{From: 1, Plan: w.s.Plan}})
	if _, ok := plan.Public.(map[string]any)["itineraries"]; ok || plan.Board == nil || plan.Fac == nil || !plan.AllTables {
		t.Errorf("plan.made: phones must learn the seating mode, not everyone's itinerary: %+v", plan)
	}
}

func TestPlayedRoundTimes(t *testing.T) {
	w, _, _ := roundsWorld(t, 4)
	w.now = 1_000
	w.must(w.fac, "round.start", nil)
	w.now = 2_000
	w.must(w.fac, "round.start", nil) // ends round 1
	w.now = 3_000
	w.must(w.fac, "round.end", nil)
	want := []PlayedRound{{Started: 1_000, Ended: 2_000}, {Started: 2_000, Ended: 3_000}}
	if len(w.s.Played) != 2 || w.s.Played[0] != want[0] || w.s.Played[1] != want[1] {
		t.Fatalf("played %+v, want %+v", w.s.Played, want)
	}
}

// A table host sees their table's hidden notes: becoming host, or a change to a hidden note,
// gives them a fresh view (the event itself goes to facilitators only).
func TestHostViewsFollowHiddenNotes(t *testing.T) {
	w, tables, people := roundsWorld(t, 6)
	guest := people[5]
	w.must(w.fac, "participant.move", map[string]any{"participant": guest.Participant, "table": tables[0]})
	w.must(guest, "note.post", map[string]any{"note": id(800), "text": "x"})
	w.must(w.fac, "note.hide", map[string]any{"note": id(800)})
	d := Deliver(w.s, Event{V: w.s.Version + 1, Body: NoteDeleted{Note: id(800)}})
	if d.Public != nil || len(d.Reseat) != 1 || d.Reseat[0] != people[0].Participant {
		t.Fatalf("deleting a hidden note: public %v, reseat %v", d.Public, d.Reseat)
	}
	next := *w.s.Tables[tables[0]]
	next.Host = guest.Participant
	d = Deliver(w.s, Event{V: w.s.Version + 1, Body: TableEdited{Table: next}})
	if len(d.Reseat) != 2 {
		t.Fatalf("changing host reseats %v, want the old and the new host", d.Reseat)
	}
}
