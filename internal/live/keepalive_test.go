package live_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"

	"nappe/internal/live"
)

// A client that answers pings (coder/websocket does while it reads) stays
// connected across many ping intervals.
func TestKeepaliveKeepsLivePeer(t *testing.T) {
	ts := newTestServer(t, false)
	var pings atomic.Int64
	cli, c := ts.dial(t, live.Options{PingInterval: 20 * time.Millisecond, PongTimeout: 2 * time.Second},
		&websocket.DialOptions{OnPingReceived: func(context.Context, []byte) bool {
			pings.Add(1)
			return true
		}})
	serveReads(c)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _, _ = readUntilClose(ctx, cli) }()

	waitFor(t, 10*time.Second, "5 pings", func() bool { return pings.Load() >= 5 })
	select {
	case <-c.Done():
		t.Fatal("a peer answering pings was dropped")
	default:
	}
}

// A client that never reads never answers pings and is dropped.
func TestKeepaliveDropsSilentPeer(t *testing.T) {
	ts := newTestServer(t, false)
	_, c := ts.dial(t, live.Options{PingInterval: 20 * time.Millisecond, PongTimeout: 100 * time.Millisecond}, nil)
	end := serveReads(c)
	waitDone(t, c, 10*time.Second)
	select {
	case err := <-end:
		t.Logf("read loop ended: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("read loop did not end after the connection was dropped")
	}
}
