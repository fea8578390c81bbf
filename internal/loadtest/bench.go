package loadtest

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

type mode uint8

const (
	modeNappe mode = iota
	modeBare
)

func (m mode) String() string {
	if m == modeBare {
		return "bare"
	}
	return "nappe"
}

// endpoint is a server the clients connect to. Its address changes when it is restarted (a new
// port), and each restart is a new generation, so that "everyone is back" means back on the new
// process.
type endpoint struct {
	name  string
	state atomic.Pointer[endpointState]
	child *child // nil for a server the tool did not start
	// To restart it the same way.
	bin, ready string
	args       []string
	logDir     string
}

type endpointState struct {
	http, ws string
	gen      int
}

func (e *endpoint) current() *endpointState { return e.state.Load() }

func (e *endpoint) set(httpURL string, gen int) {
	ws := "ws" + strings.TrimPrefix(strings.TrimSuffix(httpURL, "/"), "http") + "/ws"
	e.state.Store(&endpointState{http: strings.TrimSuffix(httpURL, "/"), ws: ws, gen: gen})
}

func (e *endpoint) pid() int {
	if e.child == nil {
		return 0
	}
	return e.child.pid()
}

// The life of a post.
const (
	postPending  int32 = iota // not yet due
	postInFlight              // sent (or due while disconnected), no answer yet
	postAcked
	postRefused // a final error
)

// actionKind says what a post of the schedule does: most write a note; in (b) phones also vote
// for a table mate's note and edit their own. Each is one command, acknowledged, and one event
// for the table and the walls, measured and checked like a note.
type actionKind uint8

const (
	actPost actionKind = iota
	actVote
	actEdit
)

type post struct {
	at        atomic.Int64 // scheduled send time, nanoseconds after bench.start
	kind      actionKind
	target    int32 // vote, edit: the post whose note it is about
	author    int32 // index of the sending client among its kind
	by        clientKind
	table     int32
	expected  int32 // recipients other than the author: its table mates and every wall
	status    atomic.Int32
	v         atomic.Uint64 // the version its acknowledgement gave (Nappe)
	delivered atomic.Int32  // recipients that have it
	done      atomic.Bool   // acknowledged and delivered everywhere, or refused
}

func (p *post) sched() time.Duration { return time.Duration(p.at.Load()) }

const maxGens = 8

// bench is one scenario run against one kind of server: the workshop, the clients, the posts
// and everything measured about them.
type bench struct {
	s     *suite
	mode  mode
	title string
	ids   ids
	eps   []*endpoint
	net   *netPlan
	api   *api // Nappe: the first endpoint's HTTP API
	w     *workshopInfo

	tables                 []string // table ids (Nappe) or room names (bare)
	parts                  []participant
	phones, walls, fillers []*client
	all                    []*client
	posts                  []post
	tableSize              []int
	// votes finds a vote from its event: post index << 32 | voter's phone index → action.
	votes map[uint64]int32
	// phoneOf finds a phone from its participant id (Nappe).
	phoneOf map[string]int32

	start  time.Time // every time in the bench is measured from here (monotonic)
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	// dialSem bounds concurrent first connections (a reconnect storm is not bounded).
	dialSem chan struct{}

	hPhone, hWall, hAck, hLag Hist

	sent, ackedN, refusedN, retries, outstanding, moved atomic.Int64
	dials, reconnects, dialErrors, orderErrors, tooSlow atomic.Int64
	frames, messages                                    atomic.Int64 // received after launch
	syncedGen, allSyncedAt                              [maxGens]atomic.Int64

	launched atomic.Bool
	probMu   sync.Mutex
	problems []string
	probN    int
}

func (s *suite) newBench(m mode, title string, eps []*endpoint) *bench {
	ctx, cancel := context.WithCancel(context.Background())
	b := &bench{
		s: s, mode: m, title: title, ids: newIDs(), eps: eps,
		net:   newNetPlan(eps[0].current().http, s.cfg.SourceIPs),
		start: time.Now(), ctx: ctx, cancel: cancel,
		dialSem: make(chan struct{}, max(s.cfg.DialConcurrency, 1)),
	}
	b.api = &api{ep: eps[0], net: b.net}
	return b
}

func (b *bench) total() int { return len(b.all) }

// problem notes something unexpected; the first few are shown in the report.
func (b *bench) problem(format string, args ...any) {
	b.probMu.Lock()
	defer b.probMu.Unlock()
	b.probN++
	if len(b.problems) < 5 {
		msg := fmt.Sprintf(format, args...)
		if len(msg) > 300 {
			msg = msg[:300] + "…"
		}
		b.problems = append(b.problems, msg)
	}
}

// prepare makes the workshop (Nappe: through the HTTP API, as a facilitator, then every phone
// joins with its own token) or names the rooms (bare).
func (b *bench) prepare(ctx context.Context, tables, phones int) error {
	if b.mode == modeBare {
		for i := range tables {
			b.tables = append(b.tables, fmt.Sprintf("table-%d", i+1))
		}
		b.parts = make([]participant, phones)
		return nil
	}
	w, err := b.api.createWorkshop(ctx, "Load test: "+b.title)
	if err != nil {
		return err
	}
	b.w = w
	if err := b.api.addTables(ctx, w, tables); err != nil {
		return err
	}
	b.tables = w.Tables
	b.parts, err = b.api.joinAll(ctx, w, phones, 16)
	return err
}

// postSpec is one post to schedule: when (from launch) and who.
type postSpec struct {
	at     time.Duration
	author int
	by     clientKind
	table  int // for a filler; a phone posts at its own table
	kind   actionKind
	target int // vote, edit: the index of the post (in the same schedule) it is about
}

// setClients makes the clients and the posts. Phone i sits at table i mod tables; epOf says which
// endpoint each client connects to.
func (b *bench) setClients(phones, walls, fillers int, specs []postSpec, epOf func(i int) int) {
	b.tableSize = make([]int, len(b.tables))
	for i := range phones {
		t := i % len(b.tables)
		b.tableSize[t]++
		c := &client{b: b, kind: phoneClient, n: i, table: t, pid: b.parts[i].ID, token: b.parts[i].Token}
		b.phones = append(b.phones, c)
	}
	for i := range walls {
		b.walls = append(b.walls, &client{b: b, kind: wallClient, n: i})
	}
	for i := range fillers {
		b.fillers = append(b.fillers, &client{b: b, kind: fillerClient, n: i})
	}
	b.all = append(append(append(b.all, b.phones...), b.walls...), b.fillers...)
	for i, c := range b.all {
		c.ep = epOf(i)
		c.syncedGen = -1
		c.seen = newBitset(len(specs))
		if c.kind == fillerClient || b.mode == modeBare && c.kind == wallClient {
			c.moved.Store(true)
		}
	}
	b.posts = make([]post, len(specs))
	b.votes, b.phoneOf = map[uint64]int32{}, map[string]int32{}
	for i, c := range b.phones {
		b.phoneOf[c.pid] = int32(i)
	}
	for idx, sp := range specs {
		p := &b.posts[idx]
		p.at.Store(int64(sp.at))
		p.author, p.by = int32(sp.author), sp.by
		p.kind, p.target = sp.kind, int32(sp.target)
		if sp.kind == actVote {
			b.votes[uint64(sp.target)<<32|uint64(sp.author)] = int32(idx)
		}
		var author *client
		if sp.by == phoneClient {
			author = b.phones[sp.author]
			p.table = int32(author.table)
			p.expected = int32(b.tableSize[author.table] - 1 + walls)
		} else {
			author = b.fillers[sp.author]
			p.table = int32(sp.table)
			p.expected = int32(b.tableSize[sp.table] + walls)
		}
		author.posts = append(author.posts, int32(idx))
	}
	b.outstanding.Store(int64(len(specs)))
}

// connect starts every client and waits until all are caught up (and, for Nappe, seated).
func (b *bench) connect(ctx context.Context, timeout time.Duration) error {
	for _, c := range b.all {
		b.wg.Add(1)
		go c.loop(b.ctx)
	}
	deadline := time.Now().Add(timeout)
	return waitFor(ctx, deadline, func() bool {
		return b.syncedGen[0].Load() == int64(b.total()) && b.moved.Load() == int64(len(b.phones))
	}, func() string {
		b.probMu.Lock()
		defer b.probMu.Unlock()
		return fmt.Sprintf("%d of %d connections caught up, %d of %d phones seated (%d problems: %s)",
			b.syncedGen[0].Load(), b.total(), b.moved.Load(), len(b.phones), b.probN, strings.Join(b.problems, "; "))
	})
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(ctx context.Context, deadline time.Time, cond func() bool, status func() string) error {
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			return fmt.Errorf("timed out: %s", status())
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// launch shifts the schedule to start a moment from now and starts the senders.
func (b *bench) launch() time.Duration {
	b.launched.Store(true)
	b.frames.Store(0)
	b.messages.Store(0)
	base := time.Since(b.start) + 100*time.Millisecond
	for i := range b.posts {
		b.posts[i].at.Add(int64(base))
	}
	for _, c := range b.all {
		if len(c.posts) > 0 {
			b.wg.Add(1)
			go c.sendLoop(b.ctx)
		}
	}
	return base
}

// lastPost is when the last post is due.
func (b *bench) lastPost() time.Duration {
	var last time.Duration
	for i := range b.posts {
		last = max(last, b.posts[i].sched())
	}
	return last
}

// drain waits for the schedule to end, then for every post to be answered and delivered, at most
// drain longer.
func (b *bench) drain(ctx context.Context, drain time.Duration) error {
	end := b.start.Add(b.lastPost())
	select {
	case <-time.After(time.Until(end)):
	case <-ctx.Done():
		return ctx.Err()
	}
	err := waitFor(ctx, time.Now().Add(drain), func() bool { return b.outstanding.Load() == 0 }, func() string { return "" })
	if err != nil && ctx.Err() != nil {
		return err
	}
	return nil // what is still outstanding is reported as lost or unknown
}

// acked records the server's acknowledgement of post idx, which gave it version v (0: unknown).
func (b *bench) acked(idx int, v uint64, now time.Duration) {
	if idx >= len(b.posts) {
		return
	}
	p := &b.posts[idx]
	if p.status.CompareAndSwap(postInFlight, postAcked) {
		p.v.Store(v)
		b.hAck.Record(now - p.sched())
		b.ackedN.Add(1)
		b.check(idx)
	}
}

// voteIn finds the vote a vote.toggled event is about: the note's post and the voter.
func (b *bench) voteIn(m []byte) (int, bool) {
	target := -1
	b.ids.eachNote(m, func(idx int) {
		if target < 0 {
			target = idx
		}
	})
	pid, ok := stringField(m, "participant")
	if target < 0 || !ok {
		return 0, false
	}
	voter, ok := b.phoneOf[string(pid)]
	if !ok {
		return 0, false
	}
	idx, ok := b.votes[uint64(target)<<32|uint64(voter)]
	return int(idx), ok
}

// check retires post idx once it needs nothing more.
func (b *bench) check(idx int) {
	p := &b.posts[idx]
	st := p.status.Load()
	if (st == postRefused || st == postAcked && p.delivered.Load() >= p.expected) && p.done.CompareAndSwap(false, true) {
		b.outstanding.Add(-1)
	}
}

func (b *bench) postFrame(dst []byte, idx int) []byte {
	switch p := &b.posts[idx]; p.kind {
	case actVote:
		return b.ids.appendVote(dst, idx, int(p.target))
	case actEdit:
		return b.ids.appendEdit(dst, idx, int(p.target))
	}
	table := ""
	if p := &b.posts[idx]; p.by == fillerClient && b.mode == modeNappe {
		table = b.tables[p.table]
	}
	return b.ids.appendPost(dst, idx, table)
}

// stop closes every connection and waits for the clients' goroutines.
func (b *bench) stop() {
	b.cancel()
	b.wg.Wait()
	b.net.close()
}

// pids are the server processes the tool started for this bench.
func (b *bench) pids() []int {
	var out []int
	for _, e := range b.eps {
		if p := e.pid(); p != 0 {
			out = append(out, p)
		}
	}
	return out
}

// rss is the servers' total resident memory, 0 when none was spawned.
func (b *bench) rss() (rss, hwm int64) {
	for _, pid := range b.pids() {
		if s, err := readProc(pid); err == nil {
			rss += s.RSS
			hwm += s.HWM
		}
	}
	return rss, hwm
}

// settledRSS waits for the servers' memory to stop moving (at most a few seconds), then reads it.
func (b *bench) settledRSS(ctx context.Context) int64 {
	if len(b.pids()) == 0 {
		return 0
	}
	prev, _ := b.rss()
	for range 10 {
		select {
		case <-time.After(500 * time.Millisecond):
		case <-ctx.Done():
			return prev
		}
		cur, _ := b.rss()
		if d := cur - prev; d < prev/200 && -d < prev/200 {
			return cur
		}
		prev = cur
	}
	return prev
}

// finish stops the clients and turns what was seen into a Result: it asks the server for the
// workshop as it stands, and checks every acknowledged post against it and against every
// recipient that should have received it.
func (b *bench) finish(ctx context.Context, r *Result) {
	b.stop()
	r.Mode = b.mode.String()
	r.Spawned = len(b.pids()) > 0
	r.Phones, r.Walls, r.Conns = len(b.phones), len(b.walls), b.total()
	r.Posts = len(b.posts)
	r.Sent = int(b.sent.Load())
	r.Retries, r.Reconnects, r.DialErrors = b.retries.Load(), b.reconnects.Load(), b.dialErrors.Load()
	r.OrderErrors, r.TooSlow = b.orderErrors.Load(), b.tooSlow.Load()
	r.Frames, r.Messages = b.frames.Load(), b.messages.Load()
	var all Hist
	all.Merge(&b.hPhone)
	all.Merge(&b.hWall)
	r.Delivery, r.ToPhones, r.ToWalls = all.Summary(), b.hPhone.Summary(), b.hWall.Summary()
	r.Ack, r.SendLag = b.hAck.Summary(), b.hLag.Summary()
	if len(b.fillers) > 0 {
		// A filler's writes wait for the server to read them (it handles one connection's
		// commands in order): its lateness is back-pressure, by design, not the tool's delay.
		r.SendLag = Summary{}
	}
	r.RSSEnd, r.HWM = b.rss()

	var inState bitset
	if b.mode == modeNappe && len(b.posts) > 0 {
		raw, err := b.api.state(ctx, b.w)
		if err != nil {
			b.problem("final state: %v", err)
		} else {
			inState = newBitset(len(b.posts))
			b.ids.eachNote(raw, func(idx int) {
				if idx < len(b.posts) && b.posts[idx].kind == actPost {
					inState.set(idx)
				}
			})
			if err := b.landedActions(raw, inState); err != nil {
				b.problem("final state: %v", err)
			}
		}
	}
	for idx := range b.posts {
		p := &b.posts[idx]
		landed := inState != nil && inState.has(idx)
		switch p.kind {
		case actVote:
			r.Votes++
		case actEdit:
			r.Edits++
		}
		switch p.status.Load() {
		case postAcked:
			r.Acked++
			switch p.kind {
			case actVote:
				r.AckedVotes++
			case actEdit:
				r.AckedEdits++
			}
			missing := inState != nil && !landed
			skipped, behind := b.missed(idx)
			if missing {
				r.LostMissing++
			}
			if skipped > 0 {
				r.LostSkipped++
			} else if behind > 0 {
				r.Late++
			}
			if missing || skipped > 0 {
				r.Lost++
				if r.Lost <= 3 {
					b.problem("post %d acknowledged (v%d) but %s", idx, p.v.Load(), b.whoMissed(idx, missing))
				}
			}
		case postInFlight:
			r.Unknown++
			if landed {
				r.UnknownLanded++
			}
		case postRefused:
			r.Refused++
		}
	}
	b.probMu.Lock()
	r.ProblemCount = b.probN
	r.Problems = append(r.Problems, b.problems...)
	b.probMu.Unlock()
}

// landedActions marks in landed the votes and edits the workshop's final state holds: the voter
// among the note's voters, the edit's text as the note's text.
func (b *bench) landedActions(raw []byte, landed bitset) error {
	var st struct {
		State struct {
			Notes []struct {
				ID     string   `json:"id"`
				Text   string   `json:"text"`
				Voters []string `json:"voters"`
			} `json:"notes"`
		} `json:"state"`
	}
	if err := json.Unmarshal(raw, &st); err != nil {
		return fmt.Errorf("decode: %w", err)
	}
	for _, n := range st.State.Notes {
		target, ok := parseIdx([]byte(n.ID), b.ids.note)
		if !ok {
			continue
		}
		for _, v := range n.Voters {
			if voter, ok := b.phoneOf[v]; ok {
				if idx, ok := b.votes[uint64(target)<<32|uint64(voter)]; ok {
					landed.set(int(idx))
				}
			}
		}
		b.ids.eachEdit([]byte(n.Text), func(idx int) {
			if idx < len(b.posts) && b.posts[idx].kind == actEdit && int(b.posts[idx].target) == target {
				landed.set(idx)
			}
		})
	}
	return nil
}

// recipients calls f with every client that should receive post idx.
func (b *bench) recipients(idx int, f func(c *client)) {
	p := &b.posts[idx]
	for _, c := range b.all {
		switch {
		case c.kind == fillerClient:
		case c.kind == phoneClient && (c.table != int(p.table) || p.by == phoneClient && c.n == int(p.author)):
		default:
			f(c)
		}
	}
}

// missed counts the recipients that never got post idx: skipped ones had received a later
// version on their stream (the server left a hole: the post is lost to them), the others are
// behind (still catching up, or cut off by the end of the run). The bare server has no versions:
// whoever did not get it is behind.
func (b *bench) missed(idx int) (skipped, behind int) {
	p := &b.posts[idx]
	if p.delivered.Load() >= p.expected {
		return 0, 0
	}
	v := p.v.Load()
	b.recipients(idx, func(c *client) {
		if c.seen.has(idx) {
			return
		}
		if b.mode == modeNappe && v > 0 && c.v.Load() >= v {
			skipped++
		} else {
			behind++
		}
	})
	return skipped, behind
}

// whoMissed says which recipients never got post idx although they were past its version.
func (b *bench) whoMissed(idx int, missing bool) string {
	var who []string
	if missing {
		who = append(who, "missing from the final state")
	}
	n := 0
	v := b.posts[idx].v.Load()
	b.recipients(idx, func(c *client) {
		if c.seen.has(idx) || c.v.Load() < v {
			return
		}
		if n++; n <= 3 {
			who = append(who, fmt.Sprintf("never reached %s %d (endpoint %d, at v%d)", kindName(c.kind), c.n, c.ep, c.v.Load()))
		}
	})
	if n > 3 {
		who = append(who, fmt.Sprintf("and %d more", n-3))
	}
	return strings.Join(who, ", ")
}

func kindName(k clientKind) string {
	switch k {
	case phoneClient:
		return "phone"
	case wallClient:
		return "wall"
	}
	return "facilitator"
}
