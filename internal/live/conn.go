package live

import (
	"bytes"
	"log/slog"
	"sync"
	"time"

	"github.com/coder/websocket"

	"nappe/internal/metrics"
)

// StatusTooSlow closes a connection whose send queue overflowed. The client
// reconnects and resumes from the last event it applied.
const StatusTooSlow websocket.StatusCode = 4008

// closeMode says how a connection is being closed. Larger modes are more
// abrupt; a close request may escalate to a larger mode, never back.
type closeMode uint8

const (
	open       closeMode = iota
	closeFlush           // Close: write what is queued (bounded by CloseTimeout), then the close handshake
	closeNow             // overflow or read failure: drop the queue, then the close handshake
	closeAbort           // peer unresponsive: drop the queue and the TCP connection, no handshake
)

// Conn is one WebSocket connection with a send queue bounded in bytes, a writer
// goroutine that batches what is queued, and a validating reader. The writer
// runs only while there is something to write or a close to carry out: most
// connections in a café are idle most of the time, and a parked goroutine per
// connection costs its stack.
//
// Send, Close, Done and QueuedBytes may be called from any goroutine. Read must
// be called by one goroutine at a time, and continuously: it is also what
// processes the pongs of the keepalive pings and the peer's close frame.
type Conn struct {
	ws   *websocket.Conn
	opts Options
	// maxQueue is opts.MaxQueueBytes unless SetMaxQueueBytes changed it (guarded by mu).
	maxQueue int
	log      *slog.Logger

	done chan struct{} // closed when the writer has finished and ws is closed

	mu      sync.Mutex
	queue   [][]byte // messages not yet taken by the writer
	queued  int      // bytes in queue plus bytes of the batch being written
	mode    closeMode
	code    websocket.StatusCode
	reason  string
	closeBy time.Time // flush deadline of closeFlush
	writing bool      // a writer goroutine is running; it rechecks the queue before it ends
	ended   bool      // the connection is closed and its writer has finished for good

	lastFrame time.Time // when the last frame went out; used only by the writer

	writeTimer    *time.Timer // closes ws when a write stalls; armed only around writes, under mu
	writeDeadline time.Time   // when writeTimer fires; zero when no write is in progress
	pingTimer     *time.Timer
	pinging       sync.WaitGroup // a ping waiting for its pong
}

// NewConn takes over ws: it sets ws's read limit and starts the keepalive
// pings. The caller must keep calling Read and must call
// Close when done with the connection.
func NewConn(ws *websocket.Conn, opts Options) *Conn {
	opts = opts.withDefaults()
	c := &Conn{
		ws:       ws,
		opts:     opts,
		maxQueue: opts.MaxQueueBytes,
		log:      opts.Logger,
		done:     make(chan struct{}),
	}
	// coder/websocket enforces the hard limit itself (closing with 1009);
	// Read enforces the soft one.
	ws.SetReadLimit(opts.HardReadLimit)
	// A timer per connection rather than a context per write: with
	// context.Background() coder/websocket registers nothing per write, which
	// matters when a broadcast means thousands of writes.
	c.writeTimer = time.AfterFunc(time.Hour, c.writeStalled)
	c.writeTimer.Stop()
	c.startPings()
	return c
}

// Send queues msg, a complete JSON text without a raw newline, and returns at
// once. It returns false when msg was not queued: the connection is closing
// or closed, msg would overflow the queue (the connection is then closed with
// StatusTooSlow), or msg is empty or contains a newline (a bug, logged).
//
// msg is not copied and must not be modified afterwards; one slice may be sent
// to many connections.
func (c *Conn) Send(msg []byte) bool {
	if err := checkMessage(msg); err != nil {
		c.log.Error("live: message refused", "err", err, "msg_bytes", len(msg))
		return false
	}
	load.add(1)
	return c.enqueue(msg)
}

// enqueue is Send without the message check, for Room.Broadcast which checks
// a message once for all its members.
func (c *Conn) enqueue(msg []byte) bool {
	c.mu.Lock()
	if c.mode != open {
		c.mu.Unlock()
		return false
	}
	if c.queued+len(msg) > c.maxQueue {
		queued := c.queued
		c.startCloseLocked(closeNow, StatusTooSlow, "too slow")
		c.mu.Unlock()
		metrics.WSTooSlow.Inc()
		c.log.Warn("live: send queue overflow, closing", "queued_bytes", queued, "msg_bytes", len(msg))
		return false
	}
	c.queue = append(c.queue, msg)
	c.queued += len(msg)
	c.kickLocked()
	c.mu.Unlock()
	return true
}

// checkMessage enforces the framing contract: the client splits frames on
// "\n", so a message with a newline, or an empty one, would split wrongly.
func checkMessage(msg []byte) error {
	if len(msg) == 0 {
		return errEmptyMessage
	}
	if bytes.IndexByte(msg, '\n') >= 0 {
		return errNewline
	}
	return nil
}

// Close writes what is queued (for at most Options.CloseTimeout), closes the
// connection with code and reason, and returns when the connection is closed.
// The close handshake may add up to 5 s when the peer does not answer it.
// Close is idempotent: later calls only wait; the first code wins. A reason
// longer than 123 bytes is refused by coder/websocket (1011 is sent instead).
func (c *Conn) Close(code websocket.StatusCode, reason string) {
	c.CloseAsync(code, reason)
	<-c.done
}

// CloseAsync is Close without the wait, for goroutines that must not block,
// such as a workshop loop removing a participant. Done reports the end.
func (c *Conn) CloseAsync(code websocket.StatusCode, reason string) {
	c.startClose(closeFlush, code, reason)
}

// Done is closed when the connection is closed and its goroutines have ended.
func (c *Conn) Done() <-chan struct{} { return c.done }

// SetMaxQueueBytes changes the queue bound of this connection. A projector or a console is sent
// the whole workshop at once when it (re)connects, which can be far larger than what a phone ever
// needs; there are only a few of them, so they get a larger bound.
func (c *Conn) SetMaxQueueBytes(n int) {
	c.mu.Lock()
	c.maxQueue = n
	c.mu.Unlock()
}

// QueuedBytes reports the bytes waiting to be written, including the batch
// being written.
func (c *Conn) QueuedBytes() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.queued
}

func (c *Conn) startClose(mode closeMode, code websocket.StatusCode, reason string) {
	c.mu.Lock()
	c.startCloseLocked(mode, code, reason)
	c.mu.Unlock()
}

// startCloseLocked records the close request and starts the writer, which does
// the closing: Send must not block, and only the writer may touch the queue
// while it writes.
func (c *Conn) startCloseLocked(mode closeMode, code websocket.StatusCode, reason string) {
	if mode <= c.mode {
		return
	}
	if c.mode == open {
		c.code, c.reason = code, reason
		c.closeBy = time.Now().Add(c.opts.CloseTimeout)
	}
	c.mode = mode
	switch mode {
	case closeFlush:
		c.shortenWriteLocked(c.closeBy)
	case closeNow:
		// The write in progress may finish: the close frame that follows
		// it tells the client why it is being dropped.
		c.dropQueueLocked()
	case closeAbort:
		c.shortenWriteLocked(time.Now())
		c.dropQueueLocked()
	}
	c.kickLocked()
}

// dropQueueLocked forgets the queued messages, releasing their memory now
// rather than when the writer gets to them.
func (c *Conn) dropQueueLocked() {
	for _, m := range c.queue {
		c.queued -= len(m)
	}
	clear(c.queue)
	c.queue = c.queue[:0]
}

// kickLocked starts the writer unless it is running (it looks at the queue and
// the close request before it ends, under mu, so nothing is left unseen) or
// has already closed the connection.
func (c *Conn) kickLocked() {
	if c.writing || c.ended {
		return
	}
	c.writing = true
	go c.writeLoop()
}

func (c *Conn) closing() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.mode != open
}
