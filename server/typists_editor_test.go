package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/coder/websocket"
	"github.com/google/uuid"

	"nappe/internal/textsync"
	"nappe/internal/workshop"
)

// The typists of TestTypists (typists_test.go): simulated CodeMirror collab editors.

// typist is one simulated CodeMirror editor. Its loop is the editor's event loop: messages,
// keystrokes and pushes are handled one at a time, so its fields need no lock.
type typist struct {
	t        *testing.T
	i        int
	name     string // also its clientID
	prefix   string // its line starts with this
	doc      string
	conn     *websocket.Conn
	in       chan typistMsg
	rng      *rand.Rand
	source   []string // keys to type, in a loop
	next     int
	observer bool // times the arrival of the others' keystrokes
	log      *typistKeyLog
	clients  map[string]int // clientID → typist, read only once typing starts

	text    textsync.Text // the synthesis as the server's updates made it
	version int
	wsV     uint64   // the last event's version on this connection
	keys    []string // its line after the prefix, as typed (pending keystrokes included)
	created bool     // its first keystroke created its line

	pending      []typistOp // typed, not yet pushed
	inflight     []typistOp // pushed, not yet answered
	inflightID   string
	inflightBase int
	frame        []byte // the push in flight, to send again after unavailable or rate_limited
	waitAbove    int    // after a stale push, push again only past this version
	confirmed    int    // updates of its own the server accepted (acknowledged)
	ownSeen      int    // updates of its own seen in synthesis.changed
	seenCount    map[string]int

	typed, pushes, stale, acks, retries int
	ackLat, seenLat                     []time.Duration
	ackStale                            []int
}

// typistOp is one edit: the creation of the typist's line, a keystroke or a backspace.
type typistOp struct {
	kind  byte   // 'c' creates the line, 'i' inserts s, 'd' deletes n code units
	s     string // inserted
	n     int    // deleted, in UTF-16 code units
	at    time.Time
	stale int // stale refusals of the pushes that carried it
}

// typistKeyLog is when each typist made each of its updates, in order: the k-th update the server
// accepts from a typist is its k-th edit, since pushes carry edits in order and a stale push is not
// applied. Observers look up the keystrokes they receive here.
type typistKeyLog struct {
	mu sync.Mutex
	at [][]time.Time
}

func (l *typistKeyLog) add(i int, at time.Time) {
	l.mu.Lock()
	l.at[i] = append(l.at[i], at)
	l.mu.Unlock()
}

func (l *typistKeyLog) get(i, k int) (time.Time, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if k >= len(l.at[i]) {
		return time.Time{}, false
	}
	return l.at[i][k], true
}

// typistMsg is a server message, decoded by the connection's reader and stamped with when its frame
// arrived.
type typistMsg struct {
	at           time.Time
	T            string          `json:"t"`
	ID           string          `json:"id"`
	V            uint64          `json:"v"`
	Type         string          `json:"type"`
	Code         string          `json:"code"`
	Message      string          `json:"message"`
	RetryAfterMs int64           `json:"retryAfterMs"`
	Data         json.RawMessage `json:"data"`
	State        json.RawMessage `json:"state"`
	changed      *typistChanged
}

type typistChanged struct {
	Doc     string `json:"doc"`
	Version int    `json:"version"`
	Updates []struct {
		ClientID string          `json:"clientID"`
		Changes  json.RawMessage `json:"changes"`
	} `json:"updates"`
}

// connect opens the typist's WebSocket and says hello. (The harness's wsClient decodes every
// message into maps; the typists decode into structs, to keep the test's own CPU, which shares the
// two cores with the server, as low as it can be.)
func (ty *typist) connect(s *testServer, workshopID, token string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, strings.Replace(s.url, "http", "ws", 1)+"/ws", &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {s.url}}})
	if err != nil {
		ty.t.Fatalf("dial: %v", err)
	}
	conn.SetReadLimit(64 << 20)
	ty.t.Cleanup(func() { conn.CloseNow() })
	ty.conn, ty.in = conn, make(chan typistMsg, 100000)
	go ty.read()
	hello, _ := json.Marshal(map[string]any{"t": "hello", "proto": 1, "workshop": workshopID, "token": token})
	if err := conn.Write(ctx, websocket.MessageText, hello); err != nil {
		ty.t.Fatalf("hello: %v", err)
	}
}

func (ty *typist) read() {
	defer close(ty.in)
	for {
		_, frame, err := ty.conn.Read(context.Background())
		if err != nil {
			return
		}
		at := time.Now()
		for line := range strings.SplitSeq(string(frame), "\n") {
			m := typistMsg{at: at}
			if err := json.Unmarshal([]byte(line), &m); err != nil {
				ty.t.Errorf("%s: server sent bad JSON %q: %v", ty.name, line, err)
				return
			}
			if m.T == "ev" && m.Type == "synthesis.changed" {
				m.changed = &typistChanged{}
				if err := json.Unmarshal(m.Data, m.changed); err != nil {
					ty.t.Errorf("%s: bad synthesis.changed %s: %v", ty.name, m.Data, err)
					return
				}
			}
			ty.in <- m
		}
	}
}

// waitSynced handles messages until the connection is caught up.
func (ty *typist) waitSynced() {
	timeout := time.After(20 * time.Second)
	for {
		select {
		case m, ok := <-ty.in:
			if !ok {
				ty.t.Fatalf("%s: connection closed before synced", ty.name)
			}
			ty.handle(m)
			if m.T == "synced" {
				return
			}
		case <-timeout:
			ty.t.Fatalf("%s: not synced after 20 s", ty.name)
		}
	}
}

// loop types from start until stop, then goes on until everything typed is acknowledged, when it
// says so on done; it handles messages until quit.
func (ty *typist) loop(start, stop time.Time, interval time.Duration, done chan<- int, quit <-chan struct{}) {
	key := time.NewTimer(time.Until(start) + time.Duration(ty.rng.Float64()*float64(interval)))
	defer key.Stop()
	typing, finished := true, false
	for {
		select {
		case m, ok := <-ty.in:
			if !ok {
				ty.t.Errorf("%s: connection closed", ty.name)
				done <- ty.i
				return
			}
			if !ty.handle(m) {
				done <- ty.i
				return
			}
		case now := <-key.C:
			if now.After(stop) {
				typing = false
				break
			}
			ty.key(now)
			key.Reset(time.Duration((0.5 + ty.rng.Float64()) * float64(interval)))
		case <-quit:
			return
		}
		ty.push()
		if !typing && !finished && len(ty.pending) == 0 && ty.inflight == nil {
			finished = true
			done <- ty.i
		}
	}
}

// key is one keystroke. The first creates the typist's line; then one in 25 is a backspace.
func (ty *typist) key(now time.Time) {
	var op typistOp
	switch {
	case !ty.created:
		ty.created = true
		op = typistOp{kind: 'c', at: now}
	case len(ty.keys) > 0 && ty.rng.IntN(25) == 0:
		last := ty.keys[len(ty.keys)-1]
		ty.keys = ty.keys[:len(ty.keys)-1]
		op = typistOp{kind: 'd', n: len(utf16.Encode([]rune(last))), at: now}
		ty.typed++
	default:
		k := ty.source[ty.next%len(ty.source)]
		ty.next++
		ty.keys = append(ty.keys, k)
		op = typistOp{kind: 'i', s: k, at: now}
		ty.typed++
	}
	ty.log.add(ty.i, now)
	ty.pending = append(ty.pending, op)
}

// push sends what is pending, when nothing is in flight and, after a stale push, once the updates
// it missed have arrived.
func (ty *typist) push() {
	if ty.inflight != nil || len(ty.pending) == 0 || ty.version <= ty.waitAbove {
		return
	}
	k := min(len(ty.pending), workshop.MaxPushUpdates)
	updates, err := ty.changes(ty.pending[:k])
	if err != nil {
		ty.t.Errorf("%s: %v", ty.name, err)
		return
	}
	ty.inflight, ty.pending = ty.pending[:k:k], ty.pending[k:]
	ty.inflightID, ty.inflightBase = uuid.NewString(), ty.version
	ty.frame, _ = json.Marshal(map[string]any{"t": "cmd", "id": ty.inflightID, "type": "synthesis.push",
		"data": map[string]any{"doc": ty.doc, "version": ty.version, "updates": updates}})
	ty.pushes++
	ty.send(ty.frame)
}

func (ty *typist) send(frame []byte) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := ty.conn.Write(ctx, websocket.MessageText, frame); err != nil {
		ty.t.Errorf("%s: write: %v", ty.name, err)
	}
}

type typistUpdate struct {
	ClientID string          `json:"clientID"`
	Changes  json.RawMessage `json:"changes"`
}

// changes makes one update per edit, each a ChangeSet on the text left by the previous one,
// starting from the text at the typist's version: what receiveUpdates' rebasing gives for edits at
// the end of one's own line, which nobody else touches.
func (ty *typist) changes(ops []typistOp) ([]typistUpdate, error) {
	u := utf16.Encode([]rune(ty.text.String()))
	prefix := utf16.Encode([]rune(ty.prefix))
	out := make([]typistUpdate, len(ops))
	for i, op := range ops {
		start, end := typistLine(u, prefix)
		var pos, del int
		var ins []string
		switch op.kind {
		case 'c':
			if end >= 0 {
				return nil, fmt.Errorf("its line is already there")
			}
			pos, ins = len(u), []string{ty.prefix, ""} // "tN: \n" after the last line
		case 'i':
			if end < 0 {
				return nil, fmt.Errorf("its line is missing")
			}
			pos, ins = end, []string{op.s}
		case 'd':
			if end < 0 || end-op.n < start+len(prefix) {
				return nil, fmt.Errorf("backspace past its line's prefix")
			}
			pos, del = end-op.n, op.n
		}
		sections := []any{}
		if pos > 0 {
			sections = append(sections, pos)
		}
		replace := []any{del}
		for _, l := range ins {
			replace = append(replace, l)
		}
		sections = append(sections, replace)
		if rest := len(u) - pos - del; rest > 0 {
			sections = append(sections, rest)
		}
		raw, err := json.Marshal(sections)
		if err != nil {
			return nil, err
		}
		out[i] = typistUpdate{ClientID: ty.name, Changes: raw}
		u = slices.Concat(u[:pos], utf16.Encode([]rune(strings.Join(ins, "\n"))), u[pos+del:])
	}
	return out, nil
}

// typistLine finds the line starting with prefix: where it starts and ends (before its "\n"),
// or -1, -1.
func typistLine(u, prefix []uint16) (int, int) {
	for start := 0; start <= len(u); {
		end := start
		for end < len(u) && u[end] != '\n' {
			end++
		}
		if end-start >= len(prefix) && slices.Equal(u[start:start+len(prefix)], prefix) {
			return start, end
		}
		start = end + 1
	}
	return -1, -1
}

// handle applies one server message; false when the typist cannot go on.
func (ty *typist) handle(m typistMsg) bool {
	switch m.T {
	case "snapshot":
		var st struct {
			Syntheses []struct {
				Doc     string `json:"doc"`
				Version int    `json:"version"`
				Text    string `json:"text"`
			} `json:"syntheses"`
		}
		if err := json.Unmarshal(m.State, &st); err != nil {
			ty.t.Errorf("%s: snapshot: %v", ty.name, err)
			return false
		}
		ty.wsV, ty.text, ty.version = m.V, textsync.Text{}, 0
		for _, sy := range st.Syntheses {
			if sy.Doc == ty.doc {
				ty.text, ty.version = textsync.FromString(sy.Text), sy.Version
			}
		}
	case "synced":
		ty.wsV = max(ty.wsV, m.V)
	case "ev":
		if m.V <= ty.wsV {
			ty.t.Errorf("%s: event v%d after v%d", ty.name, m.V, ty.wsV)
			return false
		}
		ty.wsV = m.V
		if m.changed != nil {
			return ty.changed(m.changed, m.at)
		}
	case "ack":
		if m.ID != ty.inflightID || ty.inflight == nil {
			ty.t.Errorf("%s: ack for %s, not the push in flight", ty.name, m.ID)
			return false
		}
		ty.confirmed += len(ty.inflight)
		if ty.ownSeen != ty.confirmed {
			ty.t.Errorf("%s: acknowledged %d updates, %d of its own seen before the ack", ty.name, ty.confirmed, ty.ownSeen)
			return false
		}
		for _, op := range ty.inflight {
			if op.kind != 'c' {
				ty.ackLat = append(ty.ackLat, m.at.Sub(op.at))
				ty.ackStale = append(ty.ackStale, op.stale)
			}
		}
		ty.acks++
		ty.inflight, ty.inflightID = nil, ""
	case "error":
		if m.ID != ty.inflightID || ty.inflight == nil {
			ty.t.Errorf("%s: error %s %s for %s, not the push in flight", ty.name, m.Code, m.Message, m.ID)
			return false
		}
		switch m.Code {
		case "stale":
			ty.stale++
			for i := range ty.inflight {
				ty.inflight[i].stale++
			}
			ty.pending = append(ty.inflight, ty.pending...)
			ty.waitAbove = ty.inflightBase
			ty.inflight, ty.inflightID = nil, ""
		case "unavailable", "rate_limited": // nothing stored: the same command again
			ty.retries++
			time.Sleep(time.Duration(m.RetryAfterMs) * time.Millisecond)
			ty.send(ty.frame)
		default:
			ty.t.Errorf("%s: push refused: %s %s", ty.name, m.Code, m.Message)
			return false
		}
	}
	return true
}

// changed applies a synthesis.changed to the typist's copy, if it is its document, and times the
// others' keystrokes it carries, if the typist is an observer.
func (ty *typist) changed(ch *typistChanged, at time.Time) bool {
	if ch.Doc == ty.doc {
		if ch.Version != ty.version {
			ty.t.Errorf("%s: updates for version %d, the copy is at %d: a hole or a duplicate", ty.name, ch.Version, ty.version)
			return false
		}
		for _, u := range ch.Updates {
			cs, err := textsync.ParseChangeSet(u.Changes)
			if err == nil {
				ty.text, err = cs.Apply(ty.text)
			}
			if err != nil {
				ty.t.Errorf("%s: cannot apply the server's update %s: %v", ty.name, u.Changes, err)
				return false
			}
			ty.version++
		}
	}
	for _, u := range ch.Updates {
		if u.ClientID == ty.name {
			ty.ownSeen++
			continue
		}
		if !ty.observer {
			continue
		}
		from, ok := ty.clients[u.ClientID]
		if !ok {
			ty.t.Errorf("%s: update from unknown client %q", ty.name, u.ClientID)
			return false
		}
		k := ty.seenCount[u.ClientID]
		ty.seenCount[u.ClientID] = k + 1
		typed, ok := ty.log.get(from, k)
		if !ok {
			ty.t.Errorf("%s: update %d of %s, which made fewer", ty.name, k, u.ClientID)
			return false
		}
		if k > 0 { // the first is the line's creation
			ty.seenLat = append(ty.seenLat, at.Sub(typed))
		}
	}
	return true
}

// catchUp handles messages until the typist's copy reaches version (after its loop ended).
func (ty *typist) catchUp(version int) {
	timeout := time.After(20 * time.Second)
	for ty.version < version {
		select {
		case m, ok := <-ty.in:
			if !ok {
				ty.t.Fatalf("%s: connection closed while catching up", ty.name)
			}
			if !ty.handle(m) {
				ty.t.FailNow()
			}
		case <-timeout:
			ty.t.Fatalf("%s: stuck at version %d of %d", ty.name, ty.version, version)
		}
	}
}

// typistPhrases is what they type: French and English, accents, emoji outside the BMP (two UTF-16
// code units each) and a ZWJ sequence (five), typed as one key as a phone's emoji keyboard does.
var typistPhrases = []string{
	"L'innovation sociale, c'est d'abord écouter les habitants. ",
	"Idée 💡 : un café-réparation chaque mois, ouvert à tous ! ",
	"Les jeunes veulent être associés dès le début, pas consultés après. ",
	"Mutualiser les locaux 🏠 entre associations ; coût divisé par 3. ",
	"Trust 🤝 before tools; the tools follow. ",
	"Financement : 40 % public, 60 % privé… à vérifier avec la région. ",
	"Une formatrice 👩‍🏫 et un développeur, ça fait un binôme. ",
	"Ne pas oublier les personnes âgées 👵 et le numérique ! ",
}

// typistKeys splits s into keystrokes: one per code point, joiners and variation selectors kept
// with the emoji they build.
func typistKeys(s string) []string {
	var keys []string
	joined := false
	for _, r := range s {
		switch {
		case len(keys) > 0 && (joined || r == '\u200d' || r == '\ufe0f' || (r >= 0x1f3fb && r <= 0x1f3ff)):
			keys[len(keys)-1] += string(r)
		default:
			keys = append(keys, string(r))
		}
		joined = r == '\u200d'
	}
	return keys
}
