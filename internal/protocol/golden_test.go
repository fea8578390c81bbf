package protocol_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"

	"nappe/internal/protocol"
	"nappe/internal/workshop"
)

var update = flag.Bool("update", false, "rewrite the golden files from the Go encoders")

// The golden files are the protocol's examples, read by the TypeScript tests too. Ids and times
// are fixed so that they only change when the protocol does.
func fixedID(name string) string { return uuid.NewSHA1(uuid.NameSpaceURL, []byte(name)).String() }

const t0 = 1764467600000

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	path = filepath.Join("testdata", "golden", path)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/protocol -update)", err)
	}
	if !bytes.Equal(bytes.TrimSpace(want), bytes.TrimSpace(got)) {
		t.Errorf("%s differs from the Go encoder:\nwant %s\ngot  %s", path, want, got)
	}
}

// scenario plays a short café through the domain, recording what the board sees.
type scenario struct {
	t      *testing.T
	s      *workshop.State
	now    int64
	events [][]byte
}

func (sc *scenario) apply(cmd string, bodies []workshop.Body, err error) {
	sc.t.Helper()
	if err != nil {
		sc.t.Fatal(err)
	}
	for _, b := range bodies {
		sc.now += 1000
		e := workshop.Event{V: sc.s.Version + 1, At: sc.now, Cmd: cmd, Body: b}
		d := workshop.Deliver(sc.s, e)
		if err := sc.s.Apply(e); err != nil {
			sc.t.Fatal(err)
		}
		if board := d.Board; board != nil {
			sc.events = append(sc.events, protocol.Encode(protocol.NewEvent(e.V, e.At, d.Type, board)))
		} else if d.Public != nil {
			sc.events = append(sc.events, protocol.Encode(protocol.NewEvent(e.V, e.At, d.Type, d.Public)))
		}
	}
}

func (sc *scenario) do(a workshop.Actor, name, typ string, data string) {
	sc.t.Helper()
	c := workshop.Command{ID: fixedID(name), Type: typ, Data: json.RawMessage(data)}
	bodies, err := workshop.Decide(sc.s, a, c, sc.now)
	sc.apply(c.ID, bodies, err)
}

func TestGoldenServerMessages(t *testing.T) {
	sc := &scenario{t: t, s: workshop.New(), now: t0}
	bodies, err := workshop.DecideCreate(sc.s, workshop.CreateArgs{
		ID: fixedID("workshop"), Code: "K7QX4M", Title: "Café des innovations", Subtitle: "Quel rôle pour le numérique ?",
		Date: "2018-10-04", Venue: "Paris", Language: "fr", AllowAnonymous: true,
		FacilitatorKeyHash: workshop.HashToken("f"), BoardKeyHash: workshop.HashToken("b"),
		Tables: []workshop.Table{{ID: fixedID("table1"), Name: "Atelier 1", Question: "Que signifie être socialement innovant ?", Capacity: 6},
			{ID: fixedID("table2"), Name: "Atelier 2", Question: "Comment ?"}},
	}, sc.now)
	sc.apply(fixedID("workshop"), bodies, err)
	join := func(name, table string) workshop.Actor {
		bodies, err := workshop.DecideJoin(sc.s, workshop.JoinArgs{ID: fixedID(name), TokenHash: workshop.HashToken(name),
			Name: name, Organisation: "Agence du numérique", Email: strings.ToLower(name) + "@example.org", Table: table}, sc.now)
		sc.apply(fixedID(name), bodies, err)
		return workshop.Actor{Role: workshop.RoleParticipant, Participant: fixedID(name)}
	}
	ada := join("Ada", fixedID("table1"))
	fac := workshop.Actor{Role: workshop.RoleFacilitator}
	board := workshop.Actor{Role: workshop.RoleBoard}

	start := protocol.Encode(protocol.SnapshotMsg{T: "snapshot", V: sc.s.Version, State: sc.s.Snapshot(board)})
	sc.events = nil
	bob := join("Bob", fixedID("table2"))
	sc.do(ada, "post1", "note.post", `{"note":"`+fixedID("note1")+`","text":"Un processus incrémental 🙂","colour":"pink"}`)
	sc.do(bob, "post2", "note.post", `{"note":"`+fixedID("note2")+`","text":"Anonyme","anonymous":true}`)
	sc.do(ada, "edit1", "note.edit", `{"note":"`+fixedID("note1")+`","text":"Un processus incrémental, qui améliore l'existant"}`)
	sc.do(ada, "vote1", "vote.toggle", `{"note":"`+fixedID("note1")+`"}`)
	sc.do(fac, "hide2", "note.hide", `{"note":"`+fixedID("note2")+`"}`)
	sc.do(fac, "restore2", "note.restore", `{"note":"`+fixedID("note2")+`"}`)
	sc.do(fac, "table3", "table.add", `{"id":"`+fixedID("table3")+`","name":"Atelier 3","question":"Quels modèles économiques ?","colour":"purple","capacity":5}`)
	sc.do(fac, "edit-ws", "workshop.edit", `{"venue":"Télécom ParisTech"}`)
	sc.do(bob, "move-bob", "participant.move", `{"participant":"`+fixedID("Bob")+`","table":"`+fixedID("table3")+`"}`)
	sc.do(ada, "rename", "participant.edit", `{"participant":"`+fixedID("Ada")+`","name":"Ada L."}`)
	sc.do(fac, "del1", "note.delete", `{"note":"`+fixedID("note1")+`"}`)
	sc.do(fac, "remove-bob", "participant.remove", `{"participant":"`+fixedID("Bob")+`"}`)
	// Rounds: a host, a schedule, a plan, a round with its clock, a note written for someone.
	join("Cleo", "")
	sc.do(fac, "host1", "host.set", `{"table":"`+fixedID("table1")+`","participant":"`+fixedID("Ada")+`"}`)
	sc.do(fac, "rounds", "rounds.set", `{"rounds":[{"minutes":20,"question":"Qu'avez-vous appris ?"},{"minutes":15,"question":""}]}`)
	sc.do(fac, "plan", "plan.make", `{}`)
	sc.do(fac, "start1", "round.start", `{}`)
	sc.do(ada, "for-dan", "note.post", `{"note":"`+fixedID("note3")+`","text":"Écrit pour Dan","for":"Dan"}`)
	sc.do(fac, "pause1", "round.pause", `{}`)
	sc.do(fac, "resume1", "round.resume", `{}`)
	sc.do(fac, "extend1", "round.extend", `{"minutes":5}`)
	sc.do(fac, "end1", "round.end", `{}`)
	end := protocol.Encode(protocol.SnapshotMsg{T: "snapshot", V: sc.s.Version, State: sc.s.Snapshot(board)})

	golden(t, "scenario/start.json", start)
	golden(t, "scenario/events.jsonl", append(bytes.Join(sc.events, []byte("\n")), '\n'))
	golden(t, "scenario/end.json", end)

	id := fixedID("post1")
	pid := fixedID("Ada")
	messages := map[string]any{
		"welcome":              protocol.Welcome{T: "welcome", Proto: 1, Role: "participant", Participant: &pid, ServerTime: t0},
		"snapshot-participant": protocol.SnapshotMsg{T: "snapshot", V: sc.s.Version, State: sc.s.Snapshot(ada)},
		"snapshot-facilitator": protocol.SnapshotMsg{T: "snapshot", V: sc.s.Version, State: sc.s.Snapshot(fac)},
		"synced":               protocol.Synced{T: "synced", V: sc.s.Version},
		"ack":                  protocol.Ack{T: "ack", ID: id, V: 7},
		"error":                protocol.NewError(id, "forbidden", "only the author may do this"),
		"error-rate-limited": func() protocol.ErrorMsg {
			e := protocol.NewError(id, "rate_limited", "too many actions; slow down")
			e.RetryAfterMs = 200
			return e
		}(),
		"error-frame": protocol.NewError("", "bad_frame", "malformed frame"),
		"pong":        protocol.Pong{T: "pong", N: 7, ServerTime: t0},
		"bye":         protocol.Bye{T: "bye", Reason: "shutdown"},
		"presence":    protocol.Presence{T: "presence", Online: []string{pid}},
		"headcount":   protocol.Headcount{T: "headcount", Tables: map[string]int{fixedID("Table 1"): 4, fixedID("Table 2"): 0}},
	}
	for name, m := range messages {
		golden(t, "server/"+name+".json", protocol.Encode(m))
	}
}

// The client's frames are written by hand: they are what the TypeScript encoder must produce,
// and what the Go decoder must accept.
func TestGoldenClientMessages(t *testing.T) {
	files, _ := filepath.Glob("testdata/golden/client/*.json")
	if len(files) < 4 {
		t.Fatalf("only %d client golden files", len(files))
	}
	for _, f := range files {
		raw, _ := os.ReadFile(f)
		m, err := protocol.DecodeClient(raw)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		want := strings.TrimSuffix(filepath.Base(f), ".json")
		got := m.T
		if m.T == "cmd" {
			got = "cmd-" + m.Type
		}
		if got != want {
			t.Errorf("%s decodes as %s", f, got)
		}
		if m.T == "cmd" && !workshop.KnownCommand(m.Type) {
			t.Errorf("%s: unknown command %s", f, m.Type)
		}
	}
}

func TestDecodeClientRefusesBadFrames(t *testing.T) {
	cases := map[string]string{
		"":                             protocol.CodeBadFrame,
		"[]":                           protocol.CodeBadFrame,
		"null":                         protocol.CodeBadFrame,
		`{"t":"hello"`:                 protocol.CodeBadFrame,
		`{"t":"hello","workshop":"x"}`: protocol.CodeBadFrame,
		`{"t":"cmd","id":"x"}`:         protocol.CodeBadFrame,
		`{"t":"cmd","id":"x","type":"a","data":[1]}`: protocol.CodeBadFrame,
		`{"t":"cmd","id":"x","type":"a","data":"s"}`: protocol.CodeBadFrame,
		`{"t":"shout"}`:                protocol.CodeUnknownType,
		`{"x":1}`:                      protocol.CodeBadFrame,
		`{"t":"ping","n":"seven"}`:     protocol.CodeBadFrame,
		`{"t":"ping"} {"t":"ping"}`:    protocol.CodeBadFrame,
		"{\"t\":\"ping\",\"n\":1}\xff": protocol.CodeInvalidUTF8,
		`{"t":"hello","workshop":"w","token":"t","since":-1}`: protocol.CodeBadFrame,
	}
	for in, want := range cases {
		if _, err := protocol.DecodeClient([]byte(in)); err == nil || err.Code != want {
			t.Errorf("DecodeClient(%q) = %v, want %s", in, err, want)
		}
	}
	if m, err := protocol.DecodeClient([]byte(` {"t":"ping","n":3} `)); err != nil || m.N != 3 {
		t.Errorf("ping: %+v %v", m, err)
	}
}

func FuzzDecodeClient(f *testing.F) {
	files, _ := filepath.Glob("testdata/golden/client/*.json")
	for _, file := range files {
		raw, _ := os.ReadFile(file)
		f.Add(raw)
	}
	f.Add([]byte(`{"t":"cmd","id":"1","type":"note.post","data":null}`))
	f.Fuzz(func(t *testing.T, frame []byte) {
		m, err := protocol.DecodeClient(frame)
		if err != nil {
			if err.Code == "" || err.Message == "" {
				t.Fatalf("error without code or message: %+v", err)
			}
			return
		}
		switch m.T {
		case "hello":
			if m.Workshop == "" || m.Token == "" {
				t.Fatal("accepted hello without workshop or token")
			}
		case "cmd":
			if m.ID == "" || m.Type == "" {
				t.Fatal("accepted cmd without id or type")
			}
		case "ping":
		default:
			t.Fatalf("accepted type %q", m.T)
		}
		_ = fmt.Sprint(m)
	})
}
