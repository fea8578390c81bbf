package live_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"

	"nappe/internal/live"
)

// BenchmarkBroadcast measures the cost of one delivery (one message to one
// recipient) when b.N 256-byte messages go to a room of real loopback
// connections, for live.Room and for the bare coder/websocket shape it
// replaces: one write goroutine per connection and one frame per message per
// recipient. Messages go in bursts (burst=100: a round ending; burst=1: one
// message at a time, delivered before the next, so nothing can be batched).
// Clients run in the same process, so the CPU figures include the reading
// side of both variants alike.
//
// Metrics: ns/delivery (wall), cpu-ns/delivery (user+system CPU of the whole
// process), frames/delivery (1 for bare; lower is batching at work).
func BenchmarkBroadcast(b *testing.B) {
	for _, burst := range []int{100, 1} {
		for _, n := range []int{100, 1000} {
			name := fmt.Sprintf("conns=%d/burst=%d", n, burst)
			b.Run("live/"+name, func(b *testing.B) { benchBroadcast(b, n, burst, liveFanout) })
			b.Run("bare/"+name, func(b *testing.B) { benchBroadcast(b, n, burst, bareFanout) })
		}
	}
}

// fanout sets up the server side for the given connections and returns the
// broadcast function and a teardown.
// broadcast returns false when a recipient was lost, which would leave the
// benchmark waiting for deliveries that cannot come.
type fanout func(srv []*websocket.Conn) (broadcast func([]byte) bool, stop func())

func liveFanout(srv []*websocket.Conn) (func([]byte) bool, func()) {
	var room live.Room
	opts := live.Options{PingInterval: -1, Logger: slog.New(slog.DiscardHandler)}
	for _, ws := range srv {
		room.Add(live.NewConn(ws, opts))
	}
	return func(m []byte) bool { return room.Broadcast(m) == len(srv) }, func() {}
}

// bareFanout is the shape of coder/websocket's chat example: a buffered
// channel and a writer goroutine per subscriber, a write with a timeout per
// message. The broadcaster blocks when a channel is full (the example would
// drop the subscriber; here every delivery must be counted).
func bareFanout(srv []*websocket.Conn) (func([]byte) bool, func()) {
	chans := make([]chan []byte, len(srv))
	for i, ws := range srv {
		ch := make(chan []byte, 256)
		chans[i] = ch
		go func() {
			for m := range ch {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				err := ws.Write(ctx, websocket.MessageText, m)
				cancel()
				if err != nil {
					return
				}
			}
		}()
	}
	broadcast := func(m []byte) bool {
		for _, ch := range chans {
			ch <- m
		}
		return true
	}
	stop := func() {
		for _, ch := range chans {
			close(ch)
		}
	}
	return broadcast, stop
}

func benchBroadcast(b *testing.B, n, burstSize int, setup fanout) {
	ts := newTestServer(b, false)
	clis := make([]*websocket.Conn, n)
	srvs := make([]*websocket.Conn, n)
	for i := range n {
		clis[i], srvs[i] = ts.dialRaw(b, nil)
	}
	broadcast, stop := setup(srvs)
	defer func() {
		stop()
		for i := range n {
			_ = clis[i].CloseNow()
			_ = srvs[i].CloseNow()
		}
	}()

	var delivered, frames atomic.Int64
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for _, cli := range clis {
		go func() {
			for {
				_, p, err := cli.Read(ctx)
				if err != nil {
					return
				}
				frames.Add(1)
				delivered.Add(int64(bytes.Count(p, []byte("\n")) + 1))
			}
		}()
	}

	m := benchMessage()
	want := int64(b.N) * int64(n)
	cpu0 := cpuTime()
	b.ResetTimer()
	start := time.Now()
	for sent := 0; sent < b.N; {
		burst := min(burstSize, b.N-sent)
		for range burst {
			if !broadcast(m) {
				b.Fatal("a recipient was dropped")
			}
		}
		sent += burst
		waitDelivered(b, &delivered, int64(sent)*int64(n))
	}
	wall := time.Since(start)
	b.StopTimer()
	cpu := cpuTime() - cpu0

	b.ReportMetric(float64(wall.Nanoseconds())/float64(want), "ns/delivery")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(want), "cpu-ns/delivery")
	b.ReportMetric(float64(frames.Load())/float64(want), "frames/delivery")
}

// waitDelivered waits for the clients to have received want messages in all.
func waitDelivered(b *testing.B, delivered *atomic.Int64, want int64) {
	deadline := time.Now().Add(time.Minute)
	for delivered.Load() < want {
		if time.Now().After(deadline) {
			b.Fatalf("%d of %d deliveries after a minute", delivered.Load(), want)
		}
		time.Sleep(50 * time.Microsecond)
	}
}

// benchMessage is a 256-byte JSON event, the size the design notes measured.
func benchMessage() []byte {
	m := []byte(`{"type":"note.added","seq":123456,"table":"t7","text":"`)
	m = append(m, strings.Repeat("n", 256-len(m)-2)...)
	return append(m, `"}`...)
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
