package workshop

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/google/uuid"
)

// world is a workshop under test: it decides and applies like the real server, minus the log.
type world struct {
	t   *testing.T
	s   *State
	now int64
	fac Actor
}

func id(n int) string { return uuid.NewSHA1(uuid.NameSpaceOID, []byte(fmt.Sprint(n))).String() }

func token(n int) string { return strings.Repeat(string(rune('a'+n%26)), TokenLength) }

func newWorld(t *testing.T, anonymous bool) *world {
	t.Helper()
	w := &world{t: t, s: New(), now: 1_000, fac: Actor{Role: RoleFacilitator}}
	bodies, err := DecideCreate(w.s, CreateArgs{ID: id(1), Code: "ABCD23", Title: "Café", AllowAnonymous: anonymous,
		FacilitatorKeyHash: HashToken(token(0)), BoardKeyHash: HashToken(token(1)),
		Tables: []Table{{ID: id(10), Name: "One", Capacity: 2}, {ID: id(11), Name: "Two"}}}, w.now)
	if err != nil {
		t.Fatal(err)
	}
	w.apply("create", bodies)
	return w
}

func (w *world) apply(cmd string, bodies []Body) uint64 {
	w.t.Helper()
	for _, b := range bodies {
		w.now++
		if err := w.s.Apply(Event{V: w.s.Version + 1, At: w.now, Cmd: cmd, Body: b}); err != nil {
			w.t.Fatal(err)
		}
	}
	return w.s.Version
}

func (w *world) do(a Actor, typ string, data any) error {
	w.t.Helper()
	raw, _ := json.Marshal(data)
	c := Command{ID: uuid.NewString(), Type: typ, Data: raw}
	bodies, err := Decide(w.s, a, c, w.now)
	if err != nil {
		return err
	}
	w.apply(c.ID, bodies)
	return nil
}

func (w *world) must(a Actor, typ string, data any) {
	w.t.Helper()
	if err := w.do(a, typ, data); err != nil {
		w.t.Fatalf("%s: %v", typ, err)
	}
}

func (w *world) join(n int, table string) Actor {
	w.t.Helper()
	bodies, err := DecideJoin(w.s, JoinArgs{ID: id(100 + n), TokenHash: HashToken(token(2 + n)), Name: fmt.Sprint("P", n), Email: "p@x.org", Table: table}, w.now)
	if err != nil {
		w.t.Fatal(err)
	}
	w.apply(id(100+n), bodies)
	return Actor{Role: RoleParticipant, Participant: id(100 + n)}
}

func code(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return fmt.Sprint(err)
}

func TestCreateAndAuthenticate(t *testing.T) {
	w := newWorld(t, false)
	if got := len(w.s.SortedTables()); got != 2 {
		t.Fatalf("tables = %d", got)
	}
	if w.s.Tables[id(10)].Number != 1 || w.s.Tables[id(11)].Number != 2 || w.s.Tables[id(11)].Colour == "" {
		t.Fatalf("numbering/colour: %+v %+v", w.s.Tables[id(10)], w.s.Tables[id(11)])
	}
	p := w.join(0, id(10))
	for tok, want := range map[string]Actor{token(0): w.fac, token(1): {Role: RoleBoard}, token(2): p} {
		got, ok := w.s.Authenticate(tok)
		if !ok || got != want {
			t.Errorf("Authenticate(%s) = %+v %v, want %+v", tok[:3], got, ok, want)
		}
	}
	for _, bad := range []string{"", "short", token(9), strings.Repeat("!", TokenLength)} {
		if _, ok := w.s.Authenticate(bad); ok {
			t.Errorf("Authenticate(%q) succeeded", bad)
		}
	}
	if _, err := DecideCreate(w.s, CreateArgs{}, 0); code(err) != CodeDuplicate {
		t.Errorf("second create: %v", err)
	}
}

func TestJoinRules(t *testing.T) {
	w := newWorld(t, false)
	w.join(0, id(10))
	// The same join again (a retry) changes nothing and is not an error.
	bodies, err := DecideJoin(w.s, JoinArgs{ID: id(100), TokenHash: HashToken(token(2)), Name: "P0"}, 0)
	if err != nil || len(bodies) != 0 {
		t.Fatalf("retried join: %v %v", bodies, err)
	}
	cases := []struct {
		name string
		args JoinArgs
		want string
	}{
		{"id taken by other token", JoinArgs{ID: id(100), TokenHash: HashToken(token(20)), Name: "X"}, CodeDuplicate},
		{"token reused", JoinArgs{ID: id(200), TokenHash: HashToken(token(2)), Name: "X"}, CodeDuplicate},
		{"facilitator key as token", JoinArgs{ID: id(200), TokenHash: HashToken(token(0)), Name: "X"}, CodeDuplicate},
		{"empty name", JoinArgs{ID: id(200), TokenHash: HashToken(token(21)), Name: "  "}, CodeInvalid},
		{"long name", JoinArgs{ID: id(200), TokenHash: HashToken(token(21)), Name: strings.Repeat("é", MaxName+1)}, CodeTooLong},
		{"bad email", JoinArgs{ID: id(200), TokenHash: HashToken(token(21)), Name: "X", Email: "nope"}, CodeInvalid},
		{"unknown table", JoinArgs{ID: id(200), TokenHash: HashToken(token(21)), Name: "X", Table: id(99)}, CodeNotFound},
		{"bad id", JoinArgs{ID: "ABC", TokenHash: HashToken(token(21)), Name: "X"}, CodeInvalid},
		{"control char", JoinArgs{ID: id(200), TokenHash: HashToken(token(21)), Name: "a\x00b"}, CodeInvalid},
	}
	for _, c := range cases {
		if _, err := DecideJoin(w.s, c.args, 0); code(err) != c.want {
			t.Errorf("%s: got %v, want %s", c.name, err, c.want)
		}
	}
	w.join(1, id(10))
	if _, err := DecideJoin(w.s, JoinArgs{ID: id(300), TokenHash: HashToken(token(22)), Name: "Z", Table: id(10)}, 0); code(err) != CodeTableFull {
		t.Errorf("full table: %v", err)
	}
}

func TestAuthorisation(t *testing.T) {
	w := newWorld(t, true)
	alice, bob := w.join(0, id(10)), w.join(1, id(11))
	board := Actor{Role: RoleBoard}
	w.must(alice, "note.post", map[string]any{"note": id(500), "text": "hello"})
	cases := []struct {
		name string
		a    Actor
		typ  string
		data any
		want string
	}{
		{"board cannot post", board, "note.post", map[string]any{"note": id(501), "table": id(10), "text": "x"}, CodeForbidden},
		{"participant cannot edit workshop", alice, "workshop.edit", map[string]any{"title": "x"}, CodeForbidden},
		{"participant cannot add table", alice, "table.add", map[string]any{"id": id(12), "name": "x"}, CodeForbidden},
		{"participant cannot hide", alice, "note.hide", map[string]any{"note": id(500)}, CodeForbidden},
		{"participant cannot remove people", alice, "participant.remove", map[string]any{"participant": bob.Participant}, CodeForbidden},
		{"post at another table", alice, "note.post", map[string]any{"note": id(501), "table": id(11), "text": "x"}, CodeForbidden},
		{"edit someone else's note", bob, "note.edit", map[string]any{"note": id(500), "text": "mine now"}, CodeForbidden},
		{"facilitator cannot rewrite a note", w.fac, "note.edit", map[string]any{"note": id(500), "text": "x"}, CodeForbidden},
		{"delete someone else's note", bob, "note.delete", map[string]any{"note": id(500)}, CodeForbidden},
		{"vote on another table's note", bob, "vote.toggle", map[string]any{"note": id(500)}, CodeNotFound},
		{"facilitator cannot vote", w.fac, "vote.toggle", map[string]any{"note": id(500)}, CodeForbidden},
		{"move someone else", alice, "participant.move", map[string]any{"participant": bob.Participant, "table": id(10)}, CodeForbidden},
		{"edit someone else", alice, "participant.edit", map[string]any{"participant": bob.Participant, "name": "x"}, CodeForbidden},
		{"participant sets e-mail", alice, "participant.edit", map[string]any{"participant": alice.Participant, "email": "a@b.c"}, CodeForbidden},
		{"removed participant", Actor{Role: RoleParticipant, Participant: id(999)}, "note.post", map[string]any{"note": id(501), "text": "x"}, CodeForbidden},
		{"unknown command", alice, "note.burn", map[string]any{}, CodeUnknown},
		{"wrong field type", alice, "note.post", map[string]any{"note": id(501), "text": 7}, CodeInvalid},
		{"note over limit", alice, "note.post", map[string]any{"note": id(501), "text": strings.Repeat("🙂", MaxNoteText+1)}, CodeTooLong},
		{"empty note", alice, "note.post", map[string]any{"note": id(501), "text": " \n "}, CodeInvalid},
		{"bad colour", alice, "note.post", map[string]any{"note": id(501), "text": "x", "colour": "#fff"}, CodeInvalid},
		{"duplicate note id", bob, "note.post", map[string]any{"note": id(500), "text": "x"}, CodeDuplicate},
		{"unknown note", w.fac, "note.hide", map[string]any{"note": id(777)}, CodeNotFound},
		{"table with notes", w.fac, "table.remove", map[string]any{"table": id(10)}, CodeNotEmpty},
		{"table with people", w.fac, "table.remove", map[string]any{"table": id(11)}, CodeNotEmpty},
		{"table number taken", w.fac, "table.edit", map[string]any{"table": id(11), "number": 1}, CodeDuplicate},
		{"full table", bob, "participant.move", map[string]any{"participant": bob.Participant, "table": id(10)}, ""},
	}
	for _, c := range cases {
		before, _ := json.Marshal(w.s)
		err := w.do(c.a, c.typ, c.data)
		if c.want == "" {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		if code(err) != c.want {
			t.Errorf("%s: got %v, want %s", c.name, err, c.want)
		}
		if after, _ := json.Marshal(w.s); string(before) != string(after) {
			t.Errorf("%s: a refused command changed the state", c.name)
		}
	}
	// Table One (capacity 2) now holds alice and bob.
	carol := w.join(2, "")
	if err := w.do(carol, "participant.move", map[string]any{"participant": carol.Participant, "table": id(10)}); code(err) != CodeTableFull {
		t.Errorf("participant into a full table: %v", err)
	}
	w.must(w.fac, "participant.move", map[string]any{"participant": carol.Participant, "table": id(10)})
	if err := w.do(carol, "note.post", map[string]any{"note": id(502), "text": "x", "anonymous": true}); err != nil {
		t.Errorf("anonymous note where allowed: %v", err)
	}
	w.must(w.fac, "workshop.edit", map[string]any{"allowAnonymous": false})
	if err := w.do(carol, "note.post", map[string]any{"note": id(503), "text": "x", "anonymous": true}); code(err) != CodeForbidden {
		t.Errorf("anonymous note where not allowed: %v", err)
	}
}

func TestNoteLifecycle(t *testing.T) {
	w := newWorld(t, false)
	a := w.join(0, id(10))
	w.must(a, "note.post", map[string]any{"note": id(500), "text": "  first  ", "colour": "pink"})
	n := w.s.Notes[id(500)]
	if n.Text != "first" || n.Colour != "pink" || n.AuthorName != "P0" || n.Table != id(10) {
		t.Fatalf("posted note: %+v", n)
	}
	w.must(a, "note.edit", map[string]any{"note": id(500), "text": "second"})
	if n.Text != "second" || n.EditedAt == 0 || n.Colour != "pink" {
		t.Fatalf("edited note: %+v", n)
	}
	w.must(a, "vote.toggle", map[string]any{"note": id(500)})
	w.must(a, "vote.toggle", map[string]any{"note": id(500)})
	w.must(a, "vote.toggle", map[string]any{"note": id(500)})
	if !reflect.DeepEqual(n.Voters, []string{a.Participant}) {
		t.Fatalf("voters after three toggles: %v", n.Voters)
	}
	w.must(w.fac, "note.hide", map[string]any{"note": id(500)})
	if !n.Hidden {
		t.Fatal("not hidden")
	}
	if err := w.do(a, "vote.toggle", map[string]any{"note": id(500)}); code(err) != CodeNotFound {
		t.Errorf("vote on hidden note: %v", err)
	}
	v := w.s.Version
	w.must(w.fac, "note.hide", map[string]any{"note": id(500)})
	if w.s.Version != v {
		t.Error("hiding twice made an event")
	}
	w.must(w.fac, "note.restore", map[string]any{"note": id(500)})
	w.must(a, "note.delete", map[string]any{"note": id(500)})
	if len(w.s.Notes) != 0 || len(w.s.NoteOrder) != 0 {
		t.Fatal("note not deleted")
	}
	w.must(w.fac, "participant.remove", map[string]any{"participant": a.Participant})
	if _, ok := w.s.Authenticate(token(2)); ok {
		t.Fatal("removed participant still authenticates")
	}
}

func TestApplyIsIdempotentAndOrdered(t *testing.T) {
	w := newWorld(t, false)
	a := w.join(0, id(10))
	w.must(a, "note.post", map[string]any{"note": id(500), "text": "x"})
	before, _ := json.Marshal(w.s)
	// Replaying an old event is a no-op; an event from the future is refused.
	if err := w.s.Apply(Event{V: 1, Body: NoteDeleted{Note: id(500)}}); err != nil {
		t.Fatal(err)
	}
	if err := w.s.Apply(Event{V: w.s.Version + 2, Body: NoteDeleted{Note: id(500)}}); !errors.Is(err, ErrGap) {
		t.Fatalf("gap: %v", err)
	}
	if after, _ := json.Marshal(w.s); string(before) != string(after) {
		t.Fatal("state changed")
	}
}

func TestEventsAndSnapshotRoundTrip(t *testing.T) {
	w := newWorld(t, true)
	a := w.join(0, id(10))
	var log []Event
	record := func(typ string, data any) {
		raw, _ := json.Marshal(data)
		c := Command{ID: uuid.NewString(), Type: typ, Data: raw}
		bodies, err := Decide(w.s, a, c, w.now)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range bodies {
			e := Event{V: w.s.Version + 1, At: w.now, Cmd: c.ID, Body: b}
			log = append(log, e)
			if err := w.s.Apply(e); err != nil {
				t.Fatal(err)
			}
		}
	}
	record("note.post", map[string]any{"note": id(500), "text": "émoji 🙂\nsecond line", "anonymous": true})
	record("vote.toggle", map[string]any{"note": id(500)})
	record("participant.edit", map[string]any{"participant": a.Participant, "name": "Alice"})
	for _, e := range log {
		raw, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		var back Event
		if err := json.Unmarshal(raw, &back); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(back, e) {
			t.Errorf("round trip:\n%#v\n%#v", e, back)
		}
	}
	raw, _ := json.Marshal(w.s)
	back, err := DecodeState(raw)
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := back.Authenticate(token(2)); !ok || got != a {
		t.Fatal("token index not rebuilt from snapshot")
	}
	again, _ := json.Marshal(back)
	if string(again) != string(raw) {
		t.Fatal("snapshot round trip differs")
	}
	if err := json.Unmarshal([]byte(`{"v":1,"type":"nope","data":{}}`), &Event{}); err == nil {
		t.Fatal("unknown event type decoded")
	}
}

func TestViewsHideWhatTheyMust(t *testing.T) {
	w := newWorld(t, true)
	a, b := w.join(0, id(10)), w.join(1, id(11))
	w.must(a, "note.post", map[string]any{"note": id(500), "text": "anon", "anonymous": true})
	w.must(a, "note.post", map[string]any{"note": id(501), "text": "hidden"})
	w.must(b, "note.post", map[string]any{"note": id(502), "text": "other table"})
	w.must(w.fac, "note.hide", map[string]any{"note": id(501)})

	fac := w.s.Snapshot(w.fac)
	board := w.s.Snapshot(Actor{Role: RoleBoard})
	alice := w.s.Snapshot(a)
	if len(fac.Notes) != 3 || len(board.Notes) != 2 || len(alice.Notes) != 1 {
		t.Fatalf("notes seen: fac %d board %d alice %d", len(fac.Notes), len(board.Notes), len(alice.Notes))
	}
	if fac.Participants[0].Email == nil || board.Participants[0].Email != nil || alice.Participants[0].Email != nil {
		t.Fatal("e-mail visibility wrong")
	}
	if len(alice.Participants) != 1 || alice.You == nil || len(alice.You.Mine) != 2 {
		t.Fatalf("alice sees %d participants, you=%+v", len(alice.Participants), alice.You)
	}
	for _, s := range []Snapshot{fac, board, alice} {
		raw, _ := json.Marshal(s)
		for _, leak := range []string{"tokenHash", "KeyHash", HashToken(token(2))} {
			if strings.Contains(string(raw), leak) {
				t.Fatalf("snapshot leaks %s: %s", leak, raw)
			}
		}
		for _, n := range s.Notes {
			if n.ID == id(500) && n.Author != nil {
				t.Fatal("anonymous note shows its author")
			}
		}
	}
	if board.You != nil {
		t.Fatal("board has a 'you'")
	}

	// People not yet seated see themselves, not everyone else waiting to be seated.
	c, d := w.join(2, ""), w.join(3, "")
	if got := w.s.Snapshot(c).Participants; len(got) != 1 || got[0].ID != c.Participant {
		t.Fatalf("someone not seated sees %+v", got)
	}
	if got := len(w.s.Snapshot(Actor{Role: RoleBoard}).Participants); got != 4 {
		t.Fatalf("board sees %d participants, want 4", got)
	}
	w.must(w.fac, "participant.move", map[string]any{"participant": d.Participant, "table": id(10)})
	if got := w.s.Snapshot(d).Participants; len(got) != 2 {
		t.Fatalf("once seated, sees %d participants, want 2 (self and the table mate)", len(got))
	}
}

func TestDeliveryRouting(t *testing.T) {
	w := newWorld(t, false)
	a := w.join(0, id(10))
	w.must(a, "note.post", map[string]any{"note": id(500), "text": "x"})
	check := func(name string, b Body, wantPublic bool, wantTables []string) {
		t.Helper()
		d := Deliver(w.s, Event{V: w.s.Version + 1, Body: b})
		if (d.Public != nil) != wantPublic || !reflect.DeepEqual(d.Tables, wantTables) || d.Fac == nil {
			t.Errorf("%s: public %v tables %v", name, d.Public != nil, d.Tables)
		}
		raw, _ := json.Marshal(d.Public)
		if strings.Contains(string(raw), "p@x.org") {
			t.Errorf("%s: public form carries an e-mail", name)
		}
	}
	check("note edit", NoteEdited{Note: id(500), Text: "y"}, true, []string{id(10)})
	check("join", ParticipantJoined{Participant: Participant{ID: id(150), Email: "p@x.org", Table: id(11)}}, true, []string{id(11)})
	check("move", ParticipantMoved{Participant: a.Participant, Table: id(11), From: id(10)}, true, []string{id(10), id(11)})
	mv := Deliver(w.s, Event{Body: ParticipantMoved{Participant: a.Participant, Table: id(11), From: id(10)}})
	if person := mv.Public.(map[string]any)["person"].(ParticipantView); person.Name != "P0" || *person.Table != id(11) || person.Email != nil {
		t.Errorf("moved person, public form: %+v", person)
	}
	check("join, not seated", ParticipantJoined{Participant: Participant{ID: id(151), Name: "Lou"}}, true, nil)
	check("seated from the lobby", ParticipantMoved{Participant: id(151), Table: id(11)}, true, []string{id(11)})
	w.must(w.fac, "note.hide", map[string]any{"note": id(500)})
	check("edit of hidden note", NoteEdited{Note: id(500), Text: "y"}, false, nil)
	check("vote on hidden note", VoteToggled{Note: id(500), Participant: a.Participant, On: true}, false, nil)
	check("restore", NoteRestored{Note: id(500)}, true, []string{id(10)})
	d := Deliver(w.s, Event{Body: NoteRestored{Note: id(500)}})
	if nv := d.Public.(map[string]any)["note"].(NoteView); nv.Hidden != nil || nv.Text != "x" {
		t.Errorf("restored public note: %+v", nv)
	}
}

func TestDerivedBoardKey(t *testing.T) {
	fk := token(0)
	bk := DeriveBoardKey(fk)
	if !ValidToken(bk) || bk == fk || DeriveBoardKey(fk) != bk || DeriveBoardKey(token(1)) == bk {
		t.Fatalf("derived board key %q", bk)
	}
}
