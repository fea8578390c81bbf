package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/google/uuid"
)

// BenchmarkFanout measures the path a sticky note takes: phones at one table post at a steady
// rate (open loop: a slow server cannot hide its latency by slowing the senders), every phone at
// the table and a projector receive each note. It reports post→projector latency and the
// process's CPU time per delivered event, for Nappe and, in the same run, for a bare
// coder/websocket broadcast server (no storage, no rooms, one frame per message) as a baseline.
//
//	go test ./server -run '^$' -bench Fanout -benchtime 400x
func BenchmarkFanout(b *testing.B) {
	for _, phones := range []int{20, 100} {
		b.Run(fmt.Sprintf("nappe/phones=%d", phones), func(b *testing.B) { benchNappe(b, phones) })
		b.Run(fmt.Sprintf("bare/phones=%d", phones), func(b *testing.B) { benchBare(b, phones) })
	}
}

// postsPerSecond paces the senders: a busy table during a round-end burst.
const postsPerSecond = 200

type latencies struct {
	mu   sync.Mutex
	sent map[string]time.Time
	got  []time.Duration
	all  chan struct{}
	want int
}

func newLatencies(want int) *latencies {
	return &latencies{sent: map[string]time.Time{}, all: make(chan struct{}), want: want}
}

func (l *latencies) send(key string) {
	l.mu.Lock()
	l.sent[key] = time.Now()
	l.mu.Unlock()
}

func (l *latencies) recv(key string) {
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if t, ok := l.sent[key]; ok {
		l.got = append(l.got, now.Sub(t))
		delete(l.sent, key)
		if len(l.got) == l.want {
			close(l.all)
		}
	}
}

func (l *latencies) report(b *testing.B, cpu time.Duration, deliveries int) {
	select {
	case <-l.all:
	case <-time.After(60 * time.Second):
		b.Fatalf("only %d of %d posts reached the projector", len(l.got), l.want)
	}
	slices.Sort(l.got)
	pct := func(p float64) float64 { return float64(l.got[int(p*float64(len(l.got)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.5), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(cpu.Microseconds())/float64(deliveries), "cpu-µs/delivery")
	b.ReportMetric(0, "ns/op")
}

// paced sends b.N posts at postsPerSecond, each from its own goroutine so that a slow answer
// never delays the next post, then reports latency and CPU per delivery.
func paced(b *testing.B, lat *latencies, phones int, post func(i int, text string)) {
	b.ResetTimer()
	cpu0 := cpuTime()
	tick := time.NewTicker(time.Second / postsPerSecond)
	defer tick.Stop()
	for i := 0; i < b.N; i++ {
		<-tick.C
		text := fmt.Sprint("n", i)
		lat.send(text)
		go post(i, text)
	}
	lat.report(b, cpuTime()-cpu0, b.N*(phones+1))
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// drain reads frames and calls onMessage for each "\n"-separated message until ctx ends.
func drain(ctx context.Context, c *websocket.Conn, onMessage func([]byte)) {
	for {
		_, frame, err := c.Read(ctx)
		if err != nil {
			return
		}
		for _, m := range bytes.Split(frame, []byte("\n")) {
			onMessage(m)
		}
	}
}

func benchNappe(b *testing.B, phones int) {
	t := b
	s := startServer(t, "--data", b.TempDir(), "--log-level", "warn", "--participant-rate", "1000")
	c := newCafé(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dialWS := func(token string) *websocket.Conn {
		conn, _, err := websocket.Dial(ctx, strings.Replace(s.url, "http", "ws", 1)+"/ws", &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {s.url}}})
		if err != nil {
			b.Fatal(err)
		}
		conn.SetReadLimit(64 << 20)
		conn.Write(ctx, websocket.MessageText, []byte(fmt.Sprintf(`{"t":"hello","proto":1,"workshop":%q,"token":%q}`, c.Workshop.ID, token)))
		return conn
	}
	lat := newLatencies(b.N)
	var synced sync.WaitGroup
	onBoard := func(m []byte) {
		var msg struct {
			T    string
			Type string
			Data struct{ Note struct{ Text string } }
		}
		json.Unmarshal(m, &msg)
		if msg.T == "synced" {
			synced.Done()
		}
		if msg.Type == "note.posted" {
			lat.recv(msg.Data.Note.Text)
		}
	}
	synced.Add(1)
	go drain(ctx, dialWS(c.BoardKey), onBoard)
	conns := make([]*websocket.Conn, phones)
	for i := range conns {
		p := joinCafé(t, s, c, fmt.Sprint("P", i), c.tables[0])
		conns[i] = dialWS(p.token)
		synced.Add(1)
		go drain(ctx, conns[i], func(m []byte) {
			if bytes.Contains(m, []byte(`"t":"synced"`)) {
				synced.Done()
			}
		})
	}
	synced.Wait()
	paced(b, lat, phones, func(i int, text string) {
		frame := fmt.Sprintf(`{"t":"cmd","id":%q,"type":"note.post","data":{"note":%q,"text":%q}}`, uuid.NewString(), uuid.NewString(), text)
		conns[i%phones].Write(ctx, websocket.MessageText, []byte(frame))
	})
}

// benchBare is the baseline: a coder/websocket server that writes each message to every
// connection as its own frame, with nothing stored and no rooms.
func benchBare(b *testing.B, phones int) {
	var mu sync.Mutex
	var conns []*websocket.Conn
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		mu.Lock()
		conns = append(conns, c)
		mu.Unlock()
		for {
			_, msg, err := c.Read(r.Context())
			if err != nil {
				return
			}
			mu.Lock()
			all := slices.Clone(conns)
			mu.Unlock()
			for _, o := range all {
				go o.Write(context.Background(), websocket.MessageText, msg)
			}
		}
	})}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	go srv.Serve(ln)
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	url := "ws://" + ln.Addr().String()
	lat := newLatencies(b.N)
	dialWS := func() *websocket.Conn {
		c, _, err := websocket.Dial(ctx, url, nil)
		if err != nil {
			b.Fatal(err)
		}
		return c
	}
	board := dialWS()
	go drain(ctx, board, func(m []byte) { lat.recv(string(m)) })
	clients := make([]*websocket.Conn, phones)
	for i := range clients {
		clients[i] = dialWS()
		go drain(ctx, clients[i], func([]byte) {})
	}
	for deadline := time.Now().Add(10 * time.Second); ; {
		mu.Lock()
		n := len(conns)
		mu.Unlock()
		if n == phones+1 {
			break
		}
		if time.Now().After(deadline) {
			b.Fatalf("only %d of %d connections accepted", n, phones+1)
		}
		time.Sleep(time.Millisecond) // polling a condition with a deadline, outside the timed part
	}
	paced(b, lat, phones, func(i int, text string) {
		clients[i%phones].Write(ctx, websocket.MessageText, []byte(text))
	})
}
