package live_test

import (
	"context"
	"testing"
	"time"

	"github.com/coder/websocket"

	"nappe/internal/live"
)

func TestSendDelivers(t *testing.T) {
	ts := newTestServer(t, false)
	cli, c := ts.dial(t, live.Options{}, nil)
	const n = 20
	for i := range n {
		if !c.Send(msg(i, 10)) {
			t.Fatalf("Send %d refused", i)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	got, err := readN(ctx, cli, n)
	if err != nil {
		t.Fatal(err)
	}
	checkInOrder(t, got.msgs, n, 10)
}

// With the reader paused, messages pile up in the queue and the writer sends
// them as few frames, each a "\n"-joined batch, all in order.
func TestBatchingWhenBehind(t *testing.T) {
	ts := newTestServer(t, true)
	cli, c := ts.dial(t, live.Options{}, nil)
	const n, pad = 1000, 200
	for i := range n {
		if !c.Send(msg(i, pad)) {
			t.Fatalf("Send %d refused", i)
		}
	}
	// The client has not read anything, so the writer must be stuck behind
	// the full socket buffers with the rest queued.
	waitFor(t, 5*time.Second, "a backlog", func() bool { return c.QueuedBytes() > 0 })

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	got, err := readN(ctx, cli, n)
	if err != nil {
		t.Fatal(err)
	}
	checkInOrder(t, got.msgs, n, pad)
	t.Logf("%d messages in %d frames", n, got.frames)
	if got.frames > n/4 {
		t.Fatalf("%d frames for %d messages: not batched", got.frames, n)
	}
	if q := c.QueuedBytes(); q != 0 {
		t.Fatalf("QueuedBytes = %d after everything arrived", q)
	}
}

// A connection whose queue would exceed MaxQueueBytes is closed with 4008
// "too slow", while another connection fed the same messages gets all of
// them without waiting for the slow one.
func TestOverflowClosesTooSlow(t *testing.T) {
	ts := newTestServer(t, true)
	slowCli, slow := ts.dial(t, live.Options{MaxQueueBytes: 64 << 10}, nil)
	fastCli, fast := ts.dial(t, live.Options{}, nil)

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	fastGot := collect(ctx, fastCli)
	const pad = 1000
	sent := 0
	for ; sent < 10_000; sent++ {
		if !fast.Send(msg(sent, pad)) {
			t.Fatalf("Send %d to the reading connection refused", sent)
		}
		if !slow.Send(msg(sent, pad)) {
			break
		}
	}
	if sent == 10_000 {
		t.Fatal("the queue of a connection that never reads never overflowed")
	}
	if slow.Send(msg(0, 1)) {
		t.Fatal("Send accepted after overflow")
	}
	// The slow client still reads nothing: the other one must not wait for it.
	waitFor(t, 10*time.Second, "the reading client to get everything", func() bool { return fastGot.len() == sent+1 })
	checkInOrder(t, fastGot.msgs(), sent+1, pad)

	// Now the slow client reads: some messages in order, then the close.
	sgot, err := readUntilClose(ctx, slowCli)
	if code := websocket.CloseStatus(err); code != live.StatusTooSlow {
		t.Fatalf("slow client ended with %v (status %d), want status %d", err, code, live.StatusTooSlow)
	}
	var ce websocket.CloseError
	if ok := asCloseError(err, &ce); !ok || ce.Reason != "too slow" {
		t.Fatalf("close reason = %q, want %q", ce.Reason, "too slow")
	}
	checkInOrder(t, sgot.msgs, len(sgot.msgs), pad)
	if len(sgot.msgs) >= sent {
		t.Fatalf("slow client got %d of %d messages: nothing was dropped", len(sgot.msgs), sent)
	}
	waitDone(t, slow, 10*time.Second)
	if q := slow.QueuedBytes(); q != 0 {
		t.Fatalf("QueuedBytes = %d after close", q)
	}
}

// A peer that stops reading is dropped after WriteTimeout.
func TestWriteTimeoutDropsStalledPeer(t *testing.T) {
	ts := newTestServer(t, true)
	_, c := ts.dial(t, live.Options{WriteTimeout: 300 * time.Millisecond}, nil)
	start := time.Now()
	for i := 0; i < 1000 && c.Send(msg(i, 1000)); i++ {
	}
	waitDone(t, c, 10*time.Second)
	t.Logf("dropped after %v", time.Since(start).Round(time.Millisecond))
	if c.Send(msg(0, 1)) {
		t.Fatal("Send accepted after the connection was dropped")
	}
}

// Close writes what is queued, then closes with the given status; it is
// idempotent and later Sends are refused.
func TestCloseFlushes(t *testing.T) {
	ts := newTestServer(t, false)
	cli, c := ts.dial(t, live.Options{}, nil)
	const n = 200
	for i := range n {
		c.Send(msg(i, 50))
	}
	closed := make(chan struct{})
	go func() {
		c.Close(websocket.StatusNormalClosure, "bye")
		close(closed)
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	got, err := readUntilClose(ctx, cli)
	checkInOrder(t, got.msgs, n, 50)
	var ce websocket.CloseError
	if !asCloseError(err, &ce) || ce.Code != websocket.StatusNormalClosure || ce.Reason != "bye" {
		t.Fatalf("client ended with %v, want close 1000 \"bye\"", err)
	}
	select {
	case <-closed:
	case <-ctx.Done():
		t.Fatal("Close did not return")
	}
	c.Close(websocket.StatusInternalError, "again") // returns at once
	if c.Send(msg(0, 1)) {
		t.Fatal("Send accepted after Close")
	}
}

func TestSendRefusesBrokenFraming(t *testing.T) {
	ts := newTestServer(t, false)
	cli, c := ts.dial(t, live.Options{}, nil)
	if c.Send([]byte("{\"a\":\n1}")) {
		t.Fatal("message with a newline accepted")
	}
	if c.Send(nil) {
		t.Fatal("empty message accepted")
	}
	if !c.Send([]byte(`{"ok":true}`)) {
		t.Fatal("connection unusable after a refused message")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	got, err := readN(ctx, cli, 1)
	if err != nil || got.msgs[0] != `{"ok":true}` {
		t.Fatalf("got %q, %v", got.msgs, err)
	}
}

// Close gives a stalled peer CloseTimeout, not a whole WriteTimeout, even
// when a write to it is already in progress.
func TestCloseBoundedWithStalledPeer(t *testing.T) {
	ts := newTestServer(t, true)
	const closeTimeout = 200 * time.Millisecond
	_, c := ts.dial(t, live.Options{WriteTimeout: time.Minute, CloseTimeout: closeTimeout}, nil)
	sent := 0
	for i := 0; i < 1000 && c.Send(msg(i, 1000)); i++ {
		sent += len(msg(i, 1000))
	}
	// Wait for the writer to be stuck in a write on the full socket: it has
	// written something and the backlog no longer moves.
	last := -1
	waitFor(t, 5*time.Second, "the writer to block", func() bool {
		q := c.QueuedBytes()
		stuck := q == last && q < sent
		last = q
		if !stuck {
			time.Sleep(20 * time.Millisecond) // the interval the backlog must hold still
		}
		return stuck
	})
	start := time.Now()
	c.Close(websocket.StatusNormalClosure, "")
	took := time.Since(start)
	t.Logf("Close took %v", took.Round(time.Millisecond))
	if took > 10*closeTimeout {
		t.Fatalf("Close took %v with CloseTimeout %v", took, closeTimeout)
	}
}

func TestSetMaxQueueBytesAllowsALargeSnapshot(t *testing.T) {
	ts := newTestServer(t, false)
	cli, c := ts.dial(t, live.Options{MaxQueueBytes: 64 << 10}, nil)
	big := msg(0, 200<<10)
	c.SetMaxQueueBytes(1 << 20)
	if !c.Send(big) {
		t.Fatal("a message under the raised bound was refused")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	got, err := readN(ctx, cli, 1)
	if err != nil {
		t.Fatal(err)
	}
	checkInOrder(t, got.msgs, 1, 200<<10)
}
