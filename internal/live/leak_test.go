package live_test

import (
	"context"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"nappe/internal/live"
)

// After connections are closed, every goroutine they started (writer, pings,
// write timers) is gone.
func TestNoGoroutineLeak(t *testing.T) {
	base := runtime.NumGoroutine()
	func() {
		ts := newTestServer(t, false)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		opts := live.Options{PingInterval: 10 * time.Millisecond}
		for i := range 10 {
			cli, c := ts.dial(t, opts, nil)
			end := serveReads(c)
			go func() { _, _ = readUntilClose(ctx, cli) }()
			for j := range 20 {
				c.Send(msg(j, 100))
			}
			if i%2 == 0 {
				c.Close(websocket.StatusNormalClosure, "")
			} else {
				_ = cli.CloseNow() // the peer goes away instead
			}
			waitDone(t, c, 10*time.Second)
			<-end
		}
		ts.srv.Close()
		ts.client.CloseIdleConnections()
	}()

	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > base {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			t.Fatalf("%d goroutines, %d before:\n%s", runtime.NumGoroutine(), base, onlyLive(string(buf)))
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// onlyLive keeps the stacks that mention this module or coder/websocket.
func onlyLive(dump string) string {
	var keep []string
	for g := range strings.SplitSeq(dump, "\n\n") {
		if strings.Contains(g, "nappe/") || strings.Contains(g, "coder/websocket") {
			keep = append(keep, g)
		}
	}
	return strings.Join(keep, "\n\n")
}
