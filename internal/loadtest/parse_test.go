package loadtest

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
)

func TestIDsAreUUIDsThatCarryTheIndex(t *testing.T) {
	x := newIDs()
	for _, idx := range []int{0, 1, 15, 4095, 1 << 40} {
		id := x.noteID(idx)
		u, err := uuid.Parse(id)
		if err != nil || u.String() != id {
			t.Fatalf("%q is not a lower-case UUID (%v)", id, err)
		}
		got, ok := parseIdx([]byte(id), x.note)
		if !ok || got != idx {
			t.Fatalf("parseIdx(%q) = %d, %v; want %d", id, got, ok, idx)
		}
		if _, ok := parseIdx([]byte(id), x.cmd); ok {
			t.Fatalf("a note id parsed as a command id")
		}
	}
	if other := newIDs(); string(other.note) == string(x.note) {
		t.Fatal("two runs share their id prefix")
	}
}

func TestPostFrameIsTheProtocolsCommand(t *testing.T) {
	x := newIDs()
	for _, table := range []string{"", "0b5b1f7e-9c39-4c6a-9d43-2a5c0f1f2e3d"} {
		raw := x.appendPost(nil, 42, table)
		var m struct {
			T, ID, Type string
			Data        struct{ Note, Table, Text string }
		}
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		if m.T != "cmd" || m.Type != "note.post" || m.Data.Note != x.noteID(42) || m.Data.Table != table || !strings.HasSuffix(m.Data.Text, "#42") {
			t.Fatalf("unexpected frame %s", raw)
		}
		if idx, ok := parseIdx([]byte(m.ID), x.cmd); !ok || idx != 42 {
			t.Fatalf("command id %q", m.ID)
		}
	}
}

func TestCheapParsingOfServerMessages(t *testing.T) {
	x := newIDs()
	ev := `{"t":"ev","v":58,"at":1764467600123,"type":"note.posted","data":{"note":{"id":"` + x.noteID(7) + `","table":"t","author":"a","authorName":"Ada","text":"hi \"v\":1","colour":"yellow","round":0,"createdAt":1,"editedAt":null,"hidden":false,"voters":[]}}}`
	snapshot := `{"t":"snapshot","v":60,"state":{"notes":[{"id":"` + x.noteID(3) + `"},{"id":"` + x.noteID(9) + `"},{"id":"11111111-0000-4000-8000-000000000001"}]}}`
	frame := []byte(ev + "\n" + snapshot + "\n" + `{"t":"synced","v":60}` + "\n" +
		`{"t":"ack","id":"` + string(x.cmd) + `00000000002a","v":61}` + "\n" +
		`{"t":"error","id":"x","code":"rate_limited","message":"slow down","retryAfterMs":250}`)
	var kinds []msgKind
	var notes []int
	eachLine(frame, func(m []byte) {
		k := kindOf(m)
		kinds = append(kinds, k)
		x.eachNote(m, func(idx int) { notes = append(notes, idx) })
		switch k {
		case kindEv, kindSnapshot, kindSynced:
			v, ok := uintField(m, "v")
			if !ok || (k == kindEv && v != 58) || (k != kindEv && v != 60) {
				t.Errorf("v of %s: %d %v", m, v, ok)
			}
		case kindAck:
			id, _ := stringField(m, "id")
			if idx, ok := parseIdx(id, x.cmd); !ok || idx != 42 {
				t.Errorf("ack id %s", id)
			}
		case kindError:
			code, _ := stringField(m, "code")
			ms, _ := uintField(m, "retryAfterMs")
			if string(code) != "rate_limited" || ms != 250 {
				t.Errorf("error: %s %d", code, ms)
			}
		}
	})
	if want := []msgKind{kindEv, kindSnapshot, kindSynced, kindAck, kindError}; !slices.Equal(kinds, want) {
		t.Errorf("kinds %v, want %v", kinds, want)
	}
	if want := []int{7, 3, 9}; !slices.Equal(notes, want) {
		t.Errorf("notes %v, want %v (another run's note must not count)", notes, want)
	}
	if kindOf([]byte(`not json`)) != kindOther || kindOf([]byte(`{"t":"presence","online":[]}`)) != kindOther {
		t.Error("unknown messages should be kindOther")
	}
}

func TestParseNeverAllocates(t *testing.T) {
	x := newIDs()
	msg := []byte(`{"t":"ev","v":58,"at":1,"type":"note.posted","data":{"note":{"id":"` + x.noteID(7) + `"}}}`)
	n := 0
	allocs := testing.AllocsPerRun(100, func() {
		if kindOf(msg) == kindEv {
			v, _ := uintField(msg, "v")
			n += int(v)
			x.eachNote(msg, func(idx int) { n += idx })
		}
	})
	if allocs > 0 {
		t.Errorf("%v allocations per message", allocs)
	}
}
