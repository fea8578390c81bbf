package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/coder/websocket"
	"github.com/google/uuid"

	"nappe/internal/textsync"
)

// TestSynthesisConvergesAcrossProcesses has eight editors, four on each of two Nappe processes
// sharing one NATS, write one table's synthesis at once with random delays, dropped connections
// (resuming on either process) and retries of the same command. Every editor keeps its own copy
// of the text from the events it receives, as the CodeMirror collab client does. In the end all
// copies equal the server's text, and the markers in it are exactly those whose push was
// acknowledged: nothing acknowledged is lost, nothing refused sneaks in.
func TestSynthesisConvergesAcrossProcesses(t *testing.T) {
	a := startServer(t, "--data", t.TempDir(), "--nats-listen", "127.0.0.1:-1", "--participant-rate", "1000")
	b := startServer(t, "--nats-url", a.natsURL, "--replicas", "1", "--participant-rate", "1000")
	servers := []*testServer{a, b}
	c := newCafé(t, a)
	doc := c.tables[0]

	const editors, edits = 8, 12
	eds := make([]*editor, editors)
	for i := range eds {
		p := joinCafé(t, a, c, fmt.Sprint("E", i), doc)
		eds[i] = &editor{t: t, name: fmt.Sprint("e", i), doc: doc, token: p.token, workshop: c.Workshop.ID,
			rng: rand.New(rand.NewPCG(uint64(i), 7)), servers: servers, on: i % 2, acked: map[string]bool{}}
	}
	var wg sync.WaitGroup
	for _, e := range eds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e.run(edits)
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}

	st := state(t, a, c)
	var server struct {
		Version int    `json:"version"`
		Text    string `json:"text"`
	}
	for _, x := range st["syntheses"].([]any) {
		sy := x.(map[string]any)
		if sy["doc"] == doc {
			server.Version, server.Text = int(sy["version"].(float64)), sy["text"].(string)
		}
	}
	acked := 0
	for _, e := range eds {
		e.catchUp(server.Version)
		if got := e.text.String(); got != server.Text {
			t.Fatalf("%s ends with %q, the server has %q", e.name, got, server.Text)
		}
		for m := range e.acked {
			acked++
			if n := strings.Count(server.Text, m); n != 1 {
				t.Errorf("acknowledged marker %s appears %d times", m, n)
			}
		}
	}
	if markers := strings.Count(server.Text, "🙂"); markers != acked {
		t.Errorf("%d markers in the text, %d acknowledged", markers, acked)
	}
	stale, drops := 0, 0
	for _, e := range eds {
		stale += e.stale
		drops += e.drops
	}
	t.Logf("%d editors, %d acknowledged markers, %d stale pushes rebased, %d dropped connections, %d updates", editors, acked, stale, drops, server.Version)
	if acked != editors*edits {
		t.Errorf("%d markers acknowledged, want %d", acked, editors*edits)
	}
}

// editor is a simulated phone editing one synthesis: a text and its version, kept from events.
type editor struct {
	t        *testing.T
	name     string
	doc      string
	token    string
	workshop string
	rng      *rand.Rand
	servers  []*testServer
	on       int
	ws       *wsClient
	v        uint64 // last event version seen, to resume
	text     textsync.Text
	version  int
	acked    map[string]bool
	stale    int
	drops    int
}

func (e *editor) connect() {
	e.on = (e.on + 1) % len(e.servers)
	e.ws = dial(e.t, e.servers[e.on], e.workshop, e.token, e.v)
	e.next(func(m map[string]any) bool { return m["t"] == "synced" })
}

// next handles messages until one matches; false if the connection dropped.
func (e *editor) next(match func(map[string]any) bool) (map[string]any, bool) {
	deadline := time.After(20 * time.Second)
	for {
		select {
		case m, ok := <-e.ws.msgs:
			if !ok {
				return nil, false
			}
			e.handle(m)
			if match(m) {
				return m, true
			}
		case <-deadline:
			e.t.Errorf("%s: timed out", e.name)
			return nil, false
		}
	}
}

func (e *editor) handle(m map[string]any) {
	switch m["t"] {
	case "snapshot":
		e.v = uint64(m["v"].(float64))
		e.text, e.version = textsync.Text{}, 0
		for _, x := range m["state"].(map[string]any)["syntheses"].([]any) {
			sy := x.(map[string]any)
			if sy["doc"] == e.doc {
				e.text, e.version = textsync.FromString(sy["text"].(string)), int(sy["version"].(float64))
			}
		}
	case "ev":
		e.v = uint64(m["v"].(float64))
		if m["type"] != "synthesis.changed" {
			return
		}
		raw, _ := json.Marshal(m["data"])
		var ch struct {
			Version int `json:"version"`
			Updates []struct {
				Changes json.RawMessage `json:"changes"`
			} `json:"updates"`
		}
		if err := json.Unmarshal(raw, &ch); err != nil {
			e.t.Errorf("%s: %v", e.name, err)
			return
		}
		if ch.Version != e.version {
			e.t.Errorf("%s: update for version %d, at %d: hole or duplicate", e.name, ch.Version, e.version)
			return
		}
		for _, u := range ch.Updates {
			cs, err := textsync.ParseChangeSet(u.Changes)
			if err == nil {
				e.text, err = cs.Apply(e.text)
			}
			if err != nil {
				e.t.Errorf("%s: cannot apply the server's update: %v", e.name, err)
				return
			}
			e.version++
		}
	}
}

// run makes n acknowledged edits. Each inserts a marker at a word boundary of the text as this
// editor knows it; a stale push is made again on the newer text, a push whose answer was lost
// in a dropped connection is sent again with the same id on the next connection.
func (e *editor) run(n int) {
	e.connect()
	for done := 0; done < n && !e.t.Failed(); {
		marker := fmt.Sprintf("%s.%d🙂", e.name, done)
		changes, base := e.insertAtBoundary(marker+" "), e.version
		id := uuid.NewString()
		time.Sleep(time.Duration(e.rng.IntN(15)) * time.Millisecond) // a human's pace, not synchronisation
		for {
			e.ws.send(map[string]any{"t": "cmd", "id": id, "type": "synthesis.push",
				"data": map[string]any{"doc": e.doc, "version": base, "updates": []any{map[string]any{"clientID": e.name, "changes": changes}}}})
			if e.rng.IntN(6) == 0 { // the phone loses the network before the answer
				e.drops++
				e.ws.conn.Close(websocket.StatusGoingAway, "")
				for range e.ws.msgs {
				}
				e.connect()
				continue // the same command again
			}
			m, ok := e.next(answer(id))
			if !ok {
				e.drops++
				e.connect()
				continue
			}
			if m["t"] == "ack" {
				e.acked[marker] = true
				done++
			} else if m["code"] == "stale" {
				e.stale++
			} else {
				e.t.Errorf("%s: push refused: %v", e.name, m)
				return
			}
			break
		}
	}
}

// insertAtBoundary builds the ChangeSet JSON inserting s at a random word boundary.
func (e *editor) insertAtBoundary(s string) json.RawMessage {
	units := utf16.Encode([]rune(e.text.String()))
	bounds := []int{0}
	for i, u := range units {
		if u == ' ' {
			bounds = append(bounds, i+1)
		}
	}
	pos := bounds[e.rng.IntN(len(bounds))]
	parts := []any{}
	if pos > 0 {
		parts = append(parts, pos)
	}
	parts = append(parts, []any{0, s})
	if rest := len(units) - pos; rest > 0 {
		parts = append(parts, rest)
	}
	raw, _ := json.Marshal(parts)
	return raw
}

// catchUp reads until the editor's copy reaches version.
func (e *editor) catchUp(version int) {
	if e.version >= version {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for e.version < version {
		select {
		case m, ok := <-e.ws.msgs:
			if !ok {
				e.t.Fatalf("%s: connection closed while catching up", e.name)
			}
			e.handle(m)
		case <-ctx.Done():
			e.t.Fatalf("%s: stuck at version %d of %d", e.name, e.version, version)
		}
	}
}
