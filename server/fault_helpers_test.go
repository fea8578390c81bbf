package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/google/uuid"
)

// The fault tests count, for every note a phone sent, what it was told and what is stored after
// the fault: "ok" acknowledged and present once, "lost" acknowledged and absent (must be 0),
// "unknown" sent but never answered because the connection died (present or not, both fine).

// repeatFault runs a fault scenario NAPPE_FAULT_REPEAT times (default once), each in a subtest.
func repeatFault(t *testing.T, scenario func(t *testing.T)) {
	n := 1
	if s := os.Getenv("NAPPE_FAULT_REPEAT"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n < 1 {
			t.Fatalf("NAPPE_FAULT_REPEAT=%q: want a positive number", s)
		}
	}
	for i := range n {
		if !t.Run(fmt.Sprintf("run%d", i+1), scenario) {
			return
		}
	}
}

// nappeProc is the real nappe binary, run as its own process so that it can be killed.
type nappeProc struct {
	t      *testing.T
	args   []string
	cmd    *exec.Cmd
	url    string
	exited chan struct{}
}

// startNappe runs the binary and waits until it listens. A process that exits before (say its
// event log could not be opened while a cluster was still electing) is started again until
// within has passed.
func startNappe(t *testing.T, within time.Duration, args ...string) *nappeProc {
	t.Helper()
	p := &nappeProc{t: t, args: append([]string{"--addr", "127.0.0.1:0", "--log-level", "warn"}, args...)}
	deadline := time.Now().Add(within)
	for {
		if p.start() {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("nappe did not start within %v", within)
		}
		time.Sleep(200 * time.Millisecond) // polling a condition, not synchronisation
	}
	t.Cleanup(func() {
		select {
		case <-p.exited:
		default:
			p.cmd.Process.Kill()
			<-p.exited
		}
	})
	return p
}

func (p *nappeProc) start() bool {
	p.t.Helper()
	cmd := exec.Command(binary(p.t), p.args...)
	cmd.Stderr = &testLog{t: p.t}
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	out, err := cmd.StdoutPipe()
	if err != nil {
		p.t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		p.t.Fatal(err)
	}
	lines := bufio.NewScanner(out)
	url := ""
	for lines.Scan() {
		if u, ok := strings.CutPrefix(lines.Text(), "nappe: listening on "); ok {
			url = u
			break
		}
	}
	exited := make(chan struct{})
	go func() {
		for lines.Scan() { // keep its standard output drained
		}
		cmd.Wait()
		close(exited)
	}()
	if url == "" {
		<-exited
		return false
	}
	p.cmd, p.url, p.exited = cmd, url, exited
	return true
}

func (p *nappeProc) server() *testServer { return &testServer{url: p.url} }

func (p *nappeProc) signal(sig syscall.Signal) {
	p.t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		p.t.Fatalf("signal %v: %v", sig, err)
	}
}

// waitExit waits for the process to end and returns its exit code, or fails after within.
func (p *nappeProc) waitExit(within time.Duration) int {
	p.t.Helper()
	select {
	case <-p.exited:
		return p.cmd.ProcessState.ExitCode()
	case <-time.After(within):
		p.t.Fatalf("nappe still running %v after being told to stop", within)
		return -1
	}
}

// readyzStatus returns the status of GET /readyz (0 when the request fails or takes over 5 s).
func readyzStatus(url string) int { return readyzWithin(url, 5*time.Second) }

func readyzWithin(url string, d time.Duration) int {
	c := http.Client{Timeout: d}
	res, err := c.Get(url + "/readyz")
	if err != nil {
		return 0
	}
	res.Body.Close()
	return res.StatusCode
}

// awaitCond polls cond until it holds, failing the test after within. describe, if given, adds
// to the failure message.
func awaitCond(t *testing.T, within time.Duration, what string, cond func() bool, describe ...func() string) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > within {
			more := ""
			for _, d := range describe {
				more += d()
			}
			t.Fatalf("%s: not within %v%s", what, within, more)
		}
		time.Sleep(50 * time.Millisecond) // polling a condition, not synchronisation
	}
	return time.Since(start)
}

// fconn is one WebSocket of a phone, board or console. Unlike wsClient it never fails the test
// by itself: the fault tests expect connections to die.
type fconn struct {
	ws     *websocket.Conn
	msgs   chan map[string]any
	closed chan struct{} // closed when the connection is over; err says why
	err    error

	syncedV uint64 // the version of the first synced: what the catch-up brought

	mu       sync.Mutex
	v        uint64 // highest version received
	disorder []string
	byes     []string
}

// fdial connects and says hello; it does not wait for the catch-up.
func fdial(ctx context.Context, url, workshopID, token string, since uint64) (*fconn, error) {
	ws, _, err := websocket.Dial(ctx, strings.Replace(url, "http", "ws", 1)+"/ws", &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {url}}})
	if err != nil {
		return nil, err
	}
	ws.SetReadLimit(64 << 20)
	c := &fconn{ws: ws, msgs: make(chan map[string]any, 4096), closed: make(chan struct{}), v: since}
	go c.readLoop()
	hello, _ := json.Marshal(map[string]any{"t": "hello", "proto": 1, "workshop": workshopID, "token": token, "since": since})
	if err := ws.Write(ctx, websocket.MessageText, hello); err != nil {
		ws.CloseNow()
		return nil, err
	}
	return c, nil
}

// fonline connects and waits until caught up (synced).
func fonline(ctx context.Context, url, workshopID, token string, since uint64) (*fconn, error) {
	c, err := fdial(ctx, url, workshopID, token, since)
	if err != nil {
		return nil, err
	}
	for {
		select {
		case m := <-c.msgs:
			switch m["t"] {
			case "synced":
				c.syncedV = uint64(m["v"].(float64))
				return c, nil
			case "error":
				c.ws.CloseNow()
				return nil, fmt.Errorf("hello refused: %v", m)
			}
		case <-c.closed:
			return nil, fmt.Errorf("closed during hello: %w", c.err)
		case <-ctx.Done():
			c.ws.CloseNow()
			return nil, ctx.Err()
		}
	}
}

func (c *fconn) readLoop() {
	defer close(c.closed)
	for {
		_, frame, err := c.ws.Read(context.Background())
		if err != nil {
			c.err = err
			return
		}
		for _, line := range bytes.Split(frame, []byte("\n")) {
			var m map[string]any
			if err := json.Unmarshal(line, &m); err != nil {
				c.err = fmt.Errorf("bad JSON %q: %w", line, err)
				c.ws.CloseNow()
				return
			}
			c.check(m)
			select {
			case c.msgs <- m:
			default: // nobody is reading this connection's messages: keep only the checks
			}
		}
	}
}

// check records what PROTOCOL.md promises per connection: event versions only go up.
func (c *fconn) check(m map[string]any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch m["t"] {
	case "ev":
		v := uint64(m["v"].(float64))
		if v <= c.v {
			c.disorder = append(c.disorder, fmt.Sprintf("ev v%d after v%d", v, c.v))
		}
		c.v = v
	case "snapshot", "synced":
		c.v = max(c.v, uint64(m["v"].(float64)))
	case "bye":
		c.byes = append(c.byes, fmt.Sprint(m["reason"]))
	}
}

func (c *fconn) version() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.v
}

// problems returns the ordering violations seen on this connection.
func (c *fconn) problems() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.disorder)
}

func (c *fconn) isClosed() bool {
	select {
	case <-c.closed:
		return true
	default:
		return false
	}
}

// answerKind is what became of one command sent on a connection.
type answerKind int

const (
	answered answerKind = iota // ack or error, see the message
	gone                       // the connection ended first: unknown outcome
	silent                     // no answer within the wait: unknown outcome
)

// request sends a command and waits for its answer.
func (c *fconn) request(id, typ string, data map[string]any, wait time.Duration) (map[string]any, answerKind) {
	raw, _ := json.Marshal(map[string]any{"t": "cmd", "id": id, "type": typ, "data": data})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	err := c.ws.Write(ctx, websocket.MessageText, raw)
	cancel()
	if err != nil {
		return nil, gone
	}
	timeout := time.NewTimer(wait)
	defer timeout.Stop()
	for {
		select {
		case m := <-c.msgs:
			if (m["t"] == "ack" || m["t"] == "error") && m["id"] == id {
				return m, answered
			}
		case <-c.closed:
			// The answer may have been read just before the end.
			for {
				select {
				case m := <-c.msgs:
					if (m["t"] == "ack" || m["t"] == "error") && m["id"] == id {
						return m, answered
					}
				default:
					return nil, gone
				}
			}
		case <-timeout.C:
			return nil, silent
		}
	}
}

// pendingPost is a note in a phone's outbox: made once, resent with the same ids until answered.
type pendingPost struct {
	cmdID, noteID, text string
	sentAt              time.Time // first send
}

// ledger is what every phone was told, for every note.
type ledger struct {
	mu      sync.Mutex
	acked   map[string]time.Duration // text → latency from first send to ack
	ackV    map[string]uint64
	unknown map[string]bool // sent, no answer yet (removed when a resend is answered)
	cut     int             // attempts whose connection died before the answer
	// cutLanded counts posts cut off and then resent whose ack shows they had been stored before
	// the resend: their version was already in the catch-up the phone got on reconnecting.
	cutLanded int
	refused   map[string]int // error code → how many answers
	final     map[string]string
	sent      map[string]bool
}

func newLedger() *ledger {
	return &ledger{acked: map[string]time.Duration{}, ackV: map[string]uint64{}, unknown: map[string]bool{},
		refused: map[string]int{}, final: map[string]string{}, sent: map[string]bool{}}
}

// record notes the outcome of one attempt; it returns true when the post is settled (acked or
// refused for good), false when the phone should send it again.
func (l *ledger) record(p pendingPost, m map[string]any, kind answerKind, syncedV uint64) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sent[p.text] = true
	switch {
	case kind != answered:
		l.unknown[p.text] = true
		l.cut++
		return false
	case m["t"] == "ack":
		v := uint64(m["v"].(float64))
		if l.unknown[p.text] && v <= syncedV {
			l.cutLanded++
		}
		delete(l.unknown, p.text)
		l.acked[p.text] = time.Since(p.sentAt)
		l.ackV[p.text] = v
		return true
	default:
		code, _ := m["code"].(string)
		l.refused[code]++
		if code == "unavailable" || code == "rate_limited" {
			return false // nothing stored; the outbox retries
		}
		delete(l.unknown, p.text)
		l.final[p.text] = code
		return true
	}
}

// giveUp records that the sender dropped a post after a refusal it could have retried (PROTOCOL.md:
// `unavailable` and `rate_limited` mean nothing was stored): it must then not be stored.
func (l *ledger) giveUp(text, code string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.unknown, text)
	l.final[text] = code
}

func (l *ledger) ackCount() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.acked)
}

func (l *ledger) refusedCount(code string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.refused[code]
}

// faultCounts is the verdict on a ledger against what is stored.
type faultCounts struct {
	ok, lost, dup, unknown, unknownLanded, refusedLanded int
}

func (c faultCounts) String() string {
	return fmt.Sprintf("ok %d, lost %d, duplicated %d, unknown %d (of which %d stored)", c.ok, c.lost, c.dup, c.unknown, c.unknownLanded)
}

// verify compares the ledger with a fresh snapshot's notes (text → how many times stored): every
// acknowledged note must be there exactly once, nothing may be there twice, and a note refused
// for good must not be there.
func (l *ledger) verify(t *testing.T, stored map[string]int) faultCounts {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	var c faultCounts
	for text := range l.sent {
		n := stored[text]
		if n > 1 {
			c.dup++
			t.Errorf("note %q stored %d times", text, n)
		}
		_, acked := l.acked[text]
		switch {
		case acked && n == 0:
			c.lost++
			t.Errorf("acknowledged note %q (v%d) lost", text, l.ackV[text])
		case acked:
			c.ok++
		case l.unknown[text]:
			c.unknown++
			if n > 0 {
				c.unknownLanded++
			}
		case l.final[text] != "" && n > 0:
			c.refusedLanded++
			t.Errorf("note %q refused with %s, yet stored", text, l.final[text])
		}
	}
	return c
}

// missing counts the acknowledged notes absent from stored.
func (l *ledger) missing(stored map[string]int) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for text := range l.acked {
		if stored[text] == 0 {
			n++
		}
	}
	return n
}

// settleLedger verifies the ledger against the workshop as the process at url serves it. A process
// learns what others wrote from the log it follows, a moment later: it is given within to show
// every acknowledged note before what it shows is taken as final.
func settleLedger(t *testing.T, url string, c café, l *ledger, within time.Duration) faultCounts {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		stored, err := storedTexts(url, c)
		if err == nil && (l.missing(stored) == 0 || time.Now().After(deadline)) {
			return l.verify(t, stored)
		}
		if err != nil && time.Now().After(deadline) {
			t.Fatalf("state from %s: %v", url, err)
		}
		time.Sleep(100 * time.Millisecond) // polling a condition, not synchronisation
	}
}

// latencies returns the acknowledged posts' latencies, sorted.
func (l *ledger) latencies() []time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]time.Duration, 0, len(l.acked))
	for _, d := range l.acked {
		out = append(out, d)
	}
	slices.Sort(out)
	return out
}

func faultPercentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted)-1) * p)
	return sorted[i]
}

// storedTexts fetches a fresh snapshot as the facilitator sees it and counts each note text.
func storedTexts(url string, c café) (map[string]int, error) {
	req, _ := http.NewRequest("GET", url+"/api/workshops/"+c.Workshop.ID+"/state", nil)
	req.Header.Set("Authorization", "Bearer "+c.FacilitatorKey)
	client := http.Client{Timeout: 10 * time.Second}
	res, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		return nil, fmt.Errorf("state: %d", res.StatusCode)
	}
	var out struct {
		State struct {
			Notes []struct {
				Text string `json:"text"`
			} `json:"notes"`
		} `json:"state"`
	}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		return nil, err
	}
	texts := map[string]int{}
	for _, n := range out.State.Notes {
		texts[n.Text]++
	}
	return texts, nil
}

// postPhone is a phone as the real client behaves (client/src/net/outbox.ts): one command in
// flight at a time, kept until answered, resent with the same ids after a reconnect or a
// retryable refusal, on whichever server it reaches.
type postPhone struct {
	name, token, workshop string
	servers               func() []string // where to (re)connect, in order of preference
	ledger                *ledger
	conn                  *fconn
	outbox                []pendingPost
	made                  int
	reconnects            atomic.Int64
	acks                  atomic.Int64
	pending               atomic.Int64 // len(outbox), readable from other goroutines
	problems              []string
	ends                  []connEnd // how each earlier connection ended
}

// connEnd is how a connection ended: the goodbyes it got and its close status (-1: no close frame).
type connEnd struct {
	byes   []string
	status websocket.StatusCode
}

func (c *fconn) end() connEnd {
	c.mu.Lock()
	defer c.mu.Unlock()
	st := websocket.StatusCode(-1)
	if c.isClosed() {
		st = websocket.CloseStatus(c.err)
	}
	return connEnd{byes: slices.Clone(c.byes), status: st}
}

// connect (re)connects to the first server that takes the phone, resuming from the last version.
func (p *postPhone) connect(ctx context.Context) error {
	var since uint64
	if p.conn != nil {
		since = p.conn.version()
		p.ends = append(p.ends, p.conn.end())
		p.problems = append(p.problems, p.conn.problems()...)
		p.conn.ws.CloseNow()
		p.conn = nil
	}
	for {
		for _, url := range p.servers() {
			dctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			c, err := fonline(dctx, url, p.workshop, p.token, since)
			cancel()
			if err == nil {
				p.conn = c
				return nil
			}
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		time.Sleep(100 * time.Millisecond) // the client's reconnect backoff
	}
}

// post makes a new note, puts it in the outbox and sends the outbox until it is empty or ctx
// ends. It returns false when ctx ended first.
func (p *postPhone) post(ctx context.Context, text string) bool {
	p.made++
	p.outbox = append(p.outbox, pendingPost{cmdID: uuid.NewString(), noteID: uuid.NewString(), text: text, sentAt: time.Now()})
	p.pending.Store(int64(len(p.outbox)))
	return p.flush(ctx)
}

// flush sends what the outbox holds, one at a time, reconnecting and retrying as needed.
func (p *postPhone) flush(ctx context.Context) bool {
	backoff := 50 * time.Millisecond
	for len(p.outbox) > 0 {
		if ctx.Err() != nil {
			return false
		}
		if p.conn == nil || p.conn.isClosed() {
			if p.conn != nil {
				p.reconnects.Add(1)
			}
			if p.connect(ctx) != nil {
				return false
			}
		}
		next := p.outbox[0]
		m, kind := p.conn.request(next.cmdID, "note.post", map[string]any{"note": next.noteID, "text": next.text}, 15*time.Second)
		if kind == silent {
			p.conn.ws.CloseNow() // the phone's keepalive gives up on a silent socket
		}
		if p.ledger.record(next, m, kind, p.conn.syncedV) {
			if m["t"] == "ack" {
				p.acks.Add(1)
			}
			p.outbox = p.outbox[1:]
			p.pending.Store(int64(len(p.outbox)))
			backoff = 50 * time.Millisecond
			continue
		}
		if kind == answered {
			retry := backoff
			if ms, ok := m["retryAfterMs"].(float64); ok {
				retry = time.Duration(ms) * time.Millisecond
			}
			select { // the client's retry backoff
			case <-time.After(retry):
			case <-ctx.Done():
			}
			backoff = min(2*backoff, time.Second)
		}
	}
	return true
}

func (p *postPhone) close() {
	if p.conn != nil {
		p.problems = append(p.problems, p.conn.problems()...)
		p.conn.ws.CloseNow()
	}
}

// checkOrdering fails the test for every ordering problem the phones saw.
func checkOrdering(t *testing.T, phones []*postPhone) {
	t.Helper()
	for _, p := range phones {
		for _, pr := range p.problems {
			t.Errorf("%s: %s", p.name, pr)
		}
	}
}

// runPhones starts every phone posting numbered notes, one after the other as each is answered,
// until stop is closed; each then sends what its outbox still holds, until ctx ends. The returned
// function waits for all of them.
func runPhones(ctx context.Context, phones []*postPhone, prefix string, stop <-chan struct{}) (wait func()) {
	var wg sync.WaitGroup
	for i, p := range phones {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer p.close()
			for n := 0; ; n++ {
				select {
				case <-stop:
					p.flush(ctx)
					return
				default:
				}
				if !p.post(ctx, fmt.Sprintf("%s-p%d-n%d", prefix, i, n)) {
					return
				}
			}
		}()
	}
	return wg.Wait
}

// newPhones joins n participants through s, spread over the café's tables.
func newPhones(t *testing.T, s *testServer, c café, n int, led *ledger, servers func() []string) []*postPhone {
	t.Helper()
	phones := make([]*postPhone, n)
	for i := range phones {
		name := fmt.Sprint("P", i)
		p := joinCafé(t, s, c, name, c.tables[i%len(c.tables)])
		phones[i] = &postPhone{name: name, token: p.token, workshop: c.Workshop.ID, servers: servers, ledger: led}
	}
	return phones
}

// describePhones says where each phone is, for a failure message.
func describePhones(phones []*postPhone) string {
	var b strings.Builder
	for _, p := range phones {
		fmt.Fprintf(&b, "\n%s: %d acks, %d reconnects, %d in outbox", p.name, p.acks.Load(), p.reconnects.Load(), p.pending.Load())
	}
	return b.String()
}

// allPhones reports whether cond holds for every phone.
func allPhones(phones []*postPhone, cond func(p *postPhone) bool) bool {
	for _, p := range phones {
		if !cond(p) {
			return false
		}
	}
	return true
}

// twoProcesses is a café served by two nappe processes sharing an external NATS cluster, with
// three phones posting through each.
type twoProcesses struct {
	nc     *natsCluster
	a, b   *nappeProc
	c      café
	led    *ledger
	phones []*postPhone // three on A, then three on B
}

// startTwoProcesses starts A and B, each given its own --nats-url list (a client of NATS learns
// the cluster's other nodes from the one it reaches, for its reconnects).
func startTwoProcesses(t *testing.T, nc *natsCluster, aNATS, bNATS string) *twoProcesses {
	t.Helper()
	s := &twoProcesses{nc: nc, led: newLedger()}
	s.a = startNappe(t, 30*time.Second, "--nats-url", aNATS)
	s.b = startNappe(t, 30*time.Second, "--nats-url", bNATS)
	s.c = newCafé(t, s.a.server())
	s.phones = append(
		newPhones(t, s.a.server(), s.c, 3, s.led, func() []string { return []string{s.a.url} }),
		newPhones(t, s.b.server(), s.c, 3, s.led, func() []string { return []string{s.b.url} })...)
	for i, p := range s.phones {
		p.name += map[bool]string{true: "@A", false: "@B"}[i < 3]
	}
	return s
}

func (s *twoProcesses) acks() []int64 {
	out := make([]int64, len(s.phones))
	for i, p := range s.phones {
		out[i] = p.acks.Load()
	}
	return out
}

// acked reports whether each phone of phones[from:to] has had n more posts acknowledged since before.
func (s *twoProcesses) acked(before []int64, from, to int, n int64) bool {
	for i := from; i < to; i++ {
		if s.phones[i].acks.Load() < before[i]+n {
			return false
		}
	}
	return true
}

func (s *twoProcesses) describe() string { return describePhones(s.phones) }
