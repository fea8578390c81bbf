package live_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"nappe/internal/live"
)

func TestRoomMembership(t *testing.T) {
	r := live.Room{Logger: testLogger(t)}
	a, b := new(live.Conn), new(live.Conn)
	r.Remove(a) // not a member: no effect
	r.Add(a)
	r.Add(a)
	r.Add(b)
	if r.Len() != 2 {
		t.Fatalf("Len = %d, want 2", r.Len())
	}
	r.Remove(a)
	r.Remove(a)
	if r.Len() != 1 {
		t.Fatalf("Len = %d, want 1", r.Len())
	}
	if n := r.Broadcast([]byte("bad\nframing")); n != 0 {
		t.Fatalf("Broadcast of a message with a newline reached %d", n)
	}
}

// One member that never reads must not delay a broadcast to 50 others: every
// Broadcast returns at once, the others get everything while the stalled one
// still reads nothing, and the stalled one is dropped from the room.
func TestRoomStalledMemberDoesNotDelayOthers(t *testing.T) {
	ts := newTestServer(t, true)
	const others, n, pad = 50, 400, 500
	var room live.Room
	_, stalled := ts.dial(t, live.Options{MaxQueueBytes: 32 << 10}, nil)
	room.Add(stalled)
	clis := make([]*websocket.Conn, others)
	for i := range clis {
		var c *live.Conn
		clis[i], c = ts.dial(t, live.Options{}, nil)
		room.Add(c)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	results := make([]received, others)
	for i, cli := range clis {
		wg.Go(func() {
			got, err := readN(ctx, cli, n)
			if err != nil {
				t.Errorf("member %d: %v", i, err)
			}
			results[i] = got
		})
	}

	var slowest time.Duration
	for i := range n {
		start := time.Now()
		room.Broadcast(msg(i, pad))
		slowest = max(slowest, time.Since(start))
	}
	wg.Wait()
	for i := range results {
		checkInOrder(t, results[i].msgs, n, pad)
	}
	t.Logf("slowest Broadcast to %d members: %v", others+1, slowest)
	// Generous for -race on 2 cores; a Broadcast that waited on the stalled
	// peer would take at least its write timeout (10 s).
	if slowest > 250*time.Millisecond {
		t.Fatalf("a Broadcast took %v", slowest)
	}
	if room.Len() != others {
		t.Fatalf("room has %d members, want %d (the stalled one removed)", room.Len(), others)
	}
}
