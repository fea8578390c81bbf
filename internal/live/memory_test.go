package live_test

import (
	"log/slog"
	"runtime"
	"testing"
	"time"

	"github.com/coder/websocket"

	"nappe/internal/live"
)

// What live adds to an idle coder/websocket connection (queue, timers) must
// stay small: the design budget for a whole idle connection is 16–36 KB. An
// idle connection holds no writer goroutine (about 3 KB more with its stack);
// the bound catches that, or a buffer kept per connection.
func TestIdleConnMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("opens 500 connections")
	}
	const n, budget = 500, 3 << 10
	ts := newTestServer(t, false)
	clis := make([]*websocket.Conn, n)
	srvs := make([]*websocket.Conn, n)
	for i := range n {
		clis[i], srvs[i] = ts.dialRaw(t, nil)
	}
	goroutines := runtime.NumGoroutine()
	before := memInUse()
	opts := live.Options{Logger: slog.New(slog.DiscardHandler)}
	conns := make([]*live.Conn, n)
	for i, ws := range srvs {
		conns[i] = live.NewConn(ws, opts)
		conns[i].Send([]byte(`{"hello":1}`)) // the writer runs, then parks
	}
	for _, c := range conns {
		waitFor(t, 10*time.Second, "the queue to drain", func() bool { return c.QueuedBytes() == 0 })
	}
	// The writers end once their queue is written.
	waitFor(t, 10*time.Second, "the writers to end", func() bool { return runtime.NumGoroutine() <= goroutines })
	perConn := (memInUse() - before) / n
	t.Logf("live adds %d bytes per idle connection", perConn)
	if perConn > budget {
		t.Fatalf("live adds %d bytes per idle connection, budget %d", perConn, budget)
	}
	for i, c := range conns {
		_ = clis[i].CloseNow()
		c.CloseAsync(websocket.StatusNormalClosure, "")
	}
	for _, c := range conns {
		<-c.Done()
	}
}

func memInUse() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapInuse + m.StackInuse)
}
