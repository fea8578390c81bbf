package loadtest

import (
	"bufio"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// startBare runs the baseline server in-process and returns its URL.
func startBare(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := ServeBare(ctx, "127.0.0.1:0", pw)
		pw.Close()
		done <- err
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("bare server did not start: %v", err)
	}
	go io.Copy(io.Discard, pr)
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("bare server: %v", err)
		}
	})
	u, ok := strings.CutPrefix(strings.TrimSpace(line), bareListening)
	if !ok {
		t.Fatalf("unexpected first line %q", line)
	}
	return u
}

func dialBare(t *testing.T, url, room string) *websocket.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(url, "http")+"/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.CloseNow() })
	if err := c.Write(ctx, websocket.MessageText, []byte(`{"t":"hello","room":"`+room+`"}`)); err != nil {
		t.Fatal(err)
	}
	return c
}

func readFrame(t *testing.T, c *websocket.Conn) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, m, err := c.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return string(m)
}

// The bare server sends a message to its room (the sender too) and the wall, not other rooms,
// and catches up a newcomer with what its room has had.
func TestBareServerBroadcastsToRoomAndWall(t *testing.T) {
	url := startBare(t)
	a1, a2, b1, wall := dialBare(t, url, "a"), dialBare(t, url, "a"), dialBare(t, url, "b"), dialBare(t, url, "*")
	for _, c := range []*websocket.Conn{a1, a2, b1, wall} {
		if got := readFrame(t, c); got != string(bareSynced) {
			t.Fatalf("first frame %q, want synced", got)
		}
	}
	msg := `{"t":"cmd","id":"1"}`
	if err := a1.Write(context.Background(), websocket.MessageText, []byte(msg)); err != nil {
		t.Fatal(err)
	}
	for _, c := range []*websocket.Conn{a1, a2, wall} {
		if got := readFrame(t, c); got != msg {
			t.Fatalf("got %q, want %q", got, msg)
		}
	}
	// b1 got nothing: the next thing it reads is its own room's message.
	other := `{"t":"cmd","id":"2"}`
	b1.Write(context.Background(), websocket.MessageText, []byte(other))
	if got := readFrame(t, b1); got != other {
		t.Fatalf("room b got %q", got)
	}
	if got := readFrame(t, wall); got != other {
		t.Fatalf("wall got %q", got)
	}
	late := dialBare(t, url, "*")
	if got := readFrame(t, late); got != msg+"\n"+other+"\n"+string(bareSynced) {
		t.Fatalf("catch-up %q", got)
	}
	lateA := dialBare(t, url, "a")
	if got := readFrame(t, lateA); got != msg+"\n"+string(bareSynced) {
		t.Fatalf("room catch-up %q", got)
	}
}

// The bench's own machinery (schedule, clients, acks, deliveries, the loss check and the report)
// against the in-process bare server: no Nappe binary needed.
func TestBenchAgainstBareServer(t *testing.T) {
	url := startBare(t)
	cfg := DefaultConfig()
	cfg.Tables, cfg.PerTable, cfg.Projectors = 3, 4, 2
	cfg.BurstPosts, cfg.BurstWindow = 60, 300*time.Millisecond
	cfg.Drain = 10 * time.Second
	cfg.Out, cfg.Log = io.Discard, io.Discard
	s := &suite{cfg: cfg}
	e := &endpoint{name: "bare"}
	e.set(url, 0)
	specs, watchers := s.postingPlan("d")
	r, err := s.runPosting(context.Background(), modeBare, []*endpoint{e}, "d", specs, watchers)
	if err != nil {
		t.Fatal(err)
	}
	phones := cfg.Tables * cfg.PerTable
	if r.Conns != phones+cfg.Projectors+phones {
		t.Errorf("%d connections", r.Conns)
	}
	if r.Sent != 60 || r.Acked != 60 || r.Lost != 0 || r.Unknown != 0 {
		t.Errorf("sent %d acked %d lost %d unknown %d; problems %v", r.Sent, r.Acked, r.Lost, r.Unknown, r.Problems)
	}
	// Each post reaches its 3 table mates, 2 projectors and every watcher.
	if want := uint64(60 * (cfg.PerTable - 1 + cfg.Projectors + phones)); r.Delivery.N != want {
		t.Errorf("%d deliveries, want %d", r.Delivery.N, want)
	}
	if r.Delivery.P50 <= 0 || r.Ack.P99 <= 0 {
		t.Errorf("latencies should be positive: %+v %+v", r.Delivery, r.Ack)
	}
	var out strings.Builder
	o := &Outcome{Key: "d", Title: titles["d"], Nappe: r}
	o.Checks = checks("d", o)
	o.print(&out)
	if !strings.Contains(out.String(), "60 / 60 / 0 / 0") || !strings.Contains(out.String(), "PASS") {
		t.Errorf("report:\n%s", out.String())
	}
}
