package loadtest

import (
	"bytes"
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
)

type clientKind uint8

const (
	phoneClient  clientKind = iota // a participant at a table: posts, sees its table
	wallClient                     // a projector, or a phone watching the whole wall: board key
	fillerClient                   // a facilitator posting at any table (filling a wall)
)

// client is one simulated device with one WebSocket at a time. Its loop goroutine dials, says
// hello (resuming with since), reads until the connection ends, and reconnects as the real
// client does; a phone's posts are written by a second goroutine on the post schedule.
type client struct {
	b     *bench
	kind  clientKind
	n     int // index among phones, or among walls
	table int // phones: index of their table
	ep    int // which endpoint it connects to
	token string
	pid   string // participant id (phones)
	posts []int32

	conn      atomic.Pointer[websocket.Conn]
	v         atomic.Uint64 // the last version received, for resuming
	moved     atomic.Bool   // seated (Nappe) or in its room from the start (bare)
	syncedGen int           // the endpoint generation it last synced with (-1: none); loop goroutine only

	// Owned by the loop goroutine (the reader).
	seen    bitset
	lastV   uint64 // per connection: events must come with increasing versions
	bye     bool
	firstOK bool // the current connection has synced once
}

type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

// set marks i and reports whether it was already marked.
func (s bitset) set(i int) bool {
	w, m := i/64, uint64(1)<<(i%64)
	old := s[w]&m != 0
	s[w] |= m
	return old
}

func (s bitset) has(i int) bool { return s[i/64]&(uint64(1)<<(i%64)) != 0 }

var framePool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// Reconnection as the phone's client does it (client/src/net/socket.ts): after a server's
// goodbye, at a random moment within two seconds; after a failure, exponential backoff from
// half a second with up to half of it taken off at random, at most 15 s.
const (
	shutdownSpread = 2 * time.Second
	backoffBase    = 500 * time.Millisecond
	backoffMax     = 15 * time.Second
)

func backoff(attempt int) time.Duration {
	d := backoffBase << min(attempt, 10)
	d = min(d, backoffMax)
	return time.Duration(float64(d) * (1 - 0.5*rand.Float64()))
}

// final close codes: the client must not reconnect (PROTOCOL.md §2, Goodbye).
func finalClose(code websocket.StatusCode) bool {
	return code == 4000 || code == 4001 || code == 4003 || code == 4004
}

func (c *client) loop(ctx context.Context) {
	defer c.b.wg.Done()
	attempt := 0
	first := true
	for ctx.Err() == nil {
		up, err := c.session(ctx, first)
		first = false
		if ctx.Err() != nil {
			return
		}
		code := websocket.CloseStatus(err)
		if finalClose(code) {
			c.b.problem("connection closed for good (%d): %v", code, err)
			return
		}
		if code == 4008 {
			c.b.tooSlow.Add(1)
		}
		var delay time.Duration
		switch {
		case c.bye || code == websocket.StatusGoingAway:
			delay, attempt = time.Duration(rand.Int64N(int64(shutdownSpread))), 0
		case up:
			delay, attempt = backoff(0), 1
		default:
			c.b.dialErrors.Add(1)
			delay = backoff(attempt)
			attempt++
		}
		c.b.reconnects.Add(1)
		select {
		case <-time.After(delay):
		case <-ctx.Done():
			return
		}
	}
}

// session runs one connection; up reports whether it got as far as the hello.
func (c *client) session(ctx context.Context, first bool) (up bool, err error) {
	b := c.b
	ep := b.eps[c.ep].current()
	if first {
		select {
		case b.dialSem <- struct{}{}:
		case <-ctx.Done():
			return false, ctx.Err()
		}
	}
	dctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	conn, _, err := websocket.Dial(dctx, ep.ws, &websocket.DialOptions{
		HTTPClient:      b.net.client(c.n + int(c.kind)*7919),
		HTTPHeader:      http.Header{"Origin": {ep.http}},
		CompressionMode: websocket.CompressionDisabled,
	})
	cancel()
	if err == nil {
		conn.SetReadLimit(1 << 30)
		err = conn.Write(ctx, websocket.MessageText, c.hello())
	}
	if first {
		<-b.dialSem
	}
	if err != nil {
		if conn != nil {
			conn.CloseNow()
		}
		return false, err
	}
	b.dials.Add(1)
	stop := context.AfterFunc(ctx, func() { conn.CloseNow() })
	defer stop()
	c.bye, c.lastV, c.firstOK = false, c.v.Load(), false
	c.conn.Store(conn)
	defer func() {
		c.conn.Store(nil)
		conn.CloseNow()
	}()
	for {
		typ, r, err := conn.Reader(context.Background())
		if err != nil {
			return true, err
		}
		buf := framePool.Get().(*bytes.Buffer)
		buf.Reset()
		_, err = buf.ReadFrom(r)
		if err == nil && typ == websocket.MessageText {
			c.handle(buf.Bytes(), ep.gen)
		}
		if buf.Cap() <= 1<<20 {
			framePool.Put(buf)
		}
		if err != nil {
			return true, err
		}
	}
}

func (c *client) hello() []byte {
	b := c.b
	if b.mode == modeBare {
		room := "*"
		switch c.kind {
		case phoneClient:
			room = b.tables[c.table]
		case fillerClient:
			room = "fill"
		}
		return []byte(`{"t":"hello","room":"` + room + `"}`)
	}
	token := b.w.BoardKey
	switch c.kind {
	case phoneClient:
		token = c.token
	case fillerClient:
		token = b.w.FacKey
	}
	return []byte(`{"t":"hello","proto":1,"workshop":"` + b.w.ID + `","token":"` + token +
		`","since":` + strconv.FormatUint(c.v.Load(), 10) + `}`)
}

var (
	notePosted  = []byte(`"type":"note.posted"`)
	noteEdited  = []byte(`"type":"note.edited"`)
	voteToggled = []byte(`"type":"vote.toggled"`)
)

// handle reads one frame: one or more messages separated by "\n". Everything in a frame arrived
// at the same moment, so the clock is read once.
func (c *client) handle(frame []byte, gen int) {
	b := c.b
	now := time.Since(b.start)
	n := 0
	defer func() {
		if b.launched.Load() {
			b.frames.Add(1)
			b.messages.Add(int64(n))
		}
	}()
	eachLine(frame, func(m []byte) {
		n++
		switch kindOf(m) {
		case kindEv:
			if v, ok := uintField(m, "v"); ok {
				if v <= c.lastV {
					b.orderErrors.Add(1)
				}
				c.lastV = v
				c.v.Store(v)
			}
			switch {
			case bytes.Contains(m, notePosted):
				b.ids.eachNote(m, func(idx int) { c.got(idx, now) })
			case bytes.Contains(m, noteEdited):
				b.ids.eachEdit(m, func(idx int) { c.got(idx, now) })
			case bytes.Contains(m, voteToggled):
				if idx, ok := b.voteIn(m); ok {
					c.got(idx, now)
				}
			}
		case kindSnapshot:
			if v, ok := uintField(m, "v"); ok {
				c.lastV = v
				c.v.Store(v)
			}
			b.ids.eachNote(m, func(idx int) { c.got(idx, now) })
			b.ids.eachEdit(m, func(idx int) { c.got(idx, now) })
		case kindSynced:
			if v, ok := uintField(m, "v"); ok && b.mode == modeNappe {
				c.lastV = max(c.lastV, v)
				c.v.Store(c.lastV)
			}
			c.synced(gen)
		case kindCmd: // the bare server's echo of a post, vote or edit
			id, _ := stringField(m, "id")
			if idx, ok := parseIdx(id, b.ids.cmd); ok {
				c.got(idx, now)
			}
		case kindAck:
			id, _ := stringField(m, "id")
			if idx, ok := parseIdx(id, b.ids.cmd); ok {
				v, _ := uintField(m, "v")
				b.acked(idx, v, now)
			} else if _, ok := parseIdx(id, b.ids.move); ok && !c.moved.Swap(true) {
				b.moved.Add(1)
			}
		case kindError:
			c.refused(m)
		case kindBye:
			c.bye = true
		}
	})
}

// synced: the connection is caught up. The first time on a connection, the phone sends what its
// outbox holds (posts not yet acknowledged), and seats itself if it has never been seated.
func (c *client) synced(gen int) {
	b := c.b
	if c.firstOK {
		return
	}
	c.firstOK = true
	if gen > c.syncedGen {
		c.syncedGen = gen
		if b.syncedGen[gen].Add(1) == int64(b.total()) {
			b.allSyncedAt[gen].Store(time.Now().UnixNano())
		}
	}
	if c.kind == wallClient {
		return
	}
	if c.kind == phoneClient && !c.moved.Load() {
		if b.mode == modeBare {
			c.moved.Store(true)
			b.moved.Add(1)
		} else {
			c.sendMove()
		}
	}
	for _, idx := range c.posts {
		if b.posts[idx].status.Load() == postInFlight {
			c.resend(int(idx))
		}
	}
}

// got records that this client has post idx, from an event or a catch-up.
func (c *client) got(idx int, now time.Duration) {
	b := c.b
	if idx >= len(b.posts) || c.seen.set(idx) {
		return
	}
	p := &b.posts[idx]
	if c.kind != wallClient && int(p.author) == c.n && p.by == c.kind {
		if b.mode == modeBare {
			b.acked(idx, 0, now) // the bare server's echo is its acknowledgement
		}
		return
	}
	if c.kind == wallClient {
		b.hWall.Record(now - p.sched())
	} else {
		b.hPhone.Record(now - p.sched())
	}
	if p.delivered.Add(1) >= p.expected {
		b.check(idx)
	}
}

// refused handles an error answer: rate_limited and unavailable are retried with the same id
// later (nothing was stored); anything else is final.
func (c *client) refused(m []byte) {
	b := c.b
	id, _ := stringField(m, "id")
	code, _ := stringField(m, "code")
	idx, isPost := parseIdx(id, b.ids.cmd)
	_, isMove := parseIdx(id, b.ids.move)
	switch string(code) {
	case "rate_limited", "unavailable":
		b.retries.Add(1)
		wait := 250 * time.Millisecond
		if ms, ok := uintField(m, "retryAfterMs"); ok {
			wait = time.Duration(ms) * time.Millisecond
		}
		// Spread the retries, as the phone's outbox does, so they do not come back all at once.
		wait += time.Duration(rand.Int64N(int64(wait)/2 + 1))
		switch {
		case isPost:
			time.AfterFunc(wait, func() { c.resend(idx) })
		case isMove:
			time.AfterFunc(wait, c.sendMove)
		}
		return
	}
	if isPost && b.posts[idx].status.CompareAndSwap(postInFlight, postRefused) {
		b.refusedN.Add(1)
		b.check(idx)
	}
	b.problem("server refused: %s", strings.TrimSpace(string(m)))
}

func (c *client) sendMove() {
	b := c.b
	c.write([]byte(`{"t":"cmd","id":"` + b.ids.moveID(c.n) + `","type":"participant.move","data":{"participant":"` +
		c.pid + `","table":"` + b.tables[c.table] + `"}}`))
}

// write sends a frame on the current connection, if there is one. A failed write is not an
// error: the connection is ending, and what it carried is resent after reconnecting.
func (c *client) write(frame []byte) bool {
	conn := c.conn.Load()
	if conn == nil {
		return false
	}
	return conn.Write(context.Background(), websocket.MessageText, frame) == nil
}

var postBufs = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

// resend writes post idx again if it is still unanswered.
func (c *client) resend(idx int) {
	b := c.b
	if b.posts[idx].status.Load() != postInFlight {
		return
	}
	buf := postBufs.Get().(*[]byte)
	*buf = b.postFrame((*buf)[:0], idx)
	c.write(*buf)
	postBufs.Put(buf)
}

// sendLoop writes the client's posts at their scheduled times, open loop: it never waits for an
// answer, so a slow server cannot slow the senders down and hide its own latency.
func (c *client) sendLoop(ctx context.Context) {
	b := c.b
	defer b.wg.Done()
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	buf := make([]byte, 0, 512)
	for _, i := range c.posts {
		idx := int(i)
		p := &b.posts[idx]
		if wait := p.sched() - time.Since(b.start); wait > 0 {
			timer.Reset(wait)
			select {
			case <-timer.C:
			case <-ctx.Done():
				return
			}
		}
		p.status.Store(postInFlight)
		b.sent.Add(1)
		b.hLag.Record(time.Since(b.start) - p.sched())
		buf = b.postFrame(buf[:0], idx)
		c.write(buf) // when disconnected, the post waits in the outbox for the next synced
	}
}
