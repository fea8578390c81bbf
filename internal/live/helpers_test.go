package live_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"nappe/internal/live"
)

// smallBuffer shrinks socket buffers in tests that stall a peer, so that a
// writer blocks after kilobytes instead of the megabytes loopback absorbs.
const smallBuffer = 32 << 10

// testServer accepts WebSockets on 127.0.0.1 and hands the server side to
// the test, which wraps it in a live.Conn with the options it needs.
type testServer struct {
	srv    *httptest.Server
	raw    chan *websocket.Conn
	small  bool
	client *http.Client
}

func newTestServer(tb testing.TB, small bool) *testServer {
	tb.Helper()
	ts := &testServer{raw: make(chan *websocket.Conn, 1), small: small}
	ts.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		ts.raw <- ws // the hijacked connection outlives this handler
	}))
	if small {
		ts.srv.Listener = smallBufferListener{ts.srv.Listener}
	}
	ts.srv.Start()
	dialer := &net.Dialer{}
	ts.client = &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := dialer.DialContext(ctx, network, addr)
			if err == nil && small {
				_ = c.(*net.TCPConn).SetReadBuffer(smallBuffer)
			}
			return c, err
		},
	}}
	tb.Cleanup(func() {
		ts.srv.Close()
		ts.client.CloseIdleConnections()
	})
	return ts
}

type smallBufferListener struct{ net.Listener }

func (l smallBufferListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		_ = c.(*net.TCPConn).SetWriteBuffer(smallBuffer)
	}
	return c, err
}

// dial opens a connection and returns its client end and its server end.
func (ts *testServer) dial(tb testing.TB, opts live.Options, dopts *websocket.DialOptions) (*websocket.Conn, *live.Conn) {
	tb.Helper()
	cli, ws := ts.dialRaw(tb, dopts)
	if opts.Logger == nil {
		opts.Logger = testLogger(tb)
	}
	c := live.NewConn(ws, opts)
	tb.Cleanup(func() {
		// The client goes first, or Close would wait for a close handshake
		// that a client not reading never completes.
		_ = cli.CloseNow()
		c.Close(websocket.StatusNormalClosure, "")
	})
	return cli, c
}

// dialRaw opens a connection and returns both ends as coder/websocket conns.
func (ts *testServer) dialRaw(tb testing.TB, dopts *websocket.DialOptions) (cli, srv *websocket.Conn) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if dopts == nil {
		dopts = &websocket.DialOptions{}
	}
	dopts.HTTPClient = ts.client
	cli, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(ts.srv.URL, "http"), dopts)
	if err != nil {
		tb.Fatalf("dial: %v", err)
	}
	cli.SetReadLimit(-1)
	tb.Cleanup(func() { _ = cli.CloseNow() })
	select {
	case srv = <-ts.raw:
		tb.Cleanup(func() { _ = srv.CloseNow() })
		return cli, srv
	case <-ctx.Done():
		tb.Fatal("server side of the connection never arrived")
		return nil, nil
	}
}

// serveReads runs the server-side read loop a real handler would run (it is
// also what processes pongs and close frames) and reports its final error.
func serveReads(c *live.Conn) <-chan error {
	end := make(chan error, 1)
	go func() {
		for {
			_, err := c.Read(context.Background())
			if err != nil && !isFrameError(err) {
				end <- err
				return
			}
		}
	}()
	return end
}

func isFrameError(err error) bool {
	return errors.Is(err, live.ErrBinaryFrame) || errors.Is(err, live.ErrInvalidUTF8) || errors.Is(err, live.ErrFrameTooLarge)
}

// received is what a client got: the messages, split on "\n", and how many
// frames carried them.
type received struct {
	msgs   []string
	frames int
}

// readN reads until n messages have arrived or the deadline passes.
func readN(ctx context.Context, cli *websocket.Conn, n int) (received, error) {
	var got received
	for len(got.msgs) < n {
		typ, p, err := cli.Read(ctx)
		if err != nil {
			return got, err
		}
		if typ != websocket.MessageText {
			return got, errors.New("binary frame from server")
		}
		got.frames++
		got.msgs = append(got.msgs, strings.Split(string(p), "\n")...)
	}
	return got, nil
}

// readUntilClose reads everything until the connection ends and returns the
// messages and the terminating error.
func readUntilClose(ctx context.Context, cli *websocket.Conn) (received, error) {
	got, err := readN(ctx, cli, int(^uint(0)>>1))
	return got, err
}

// collector reads a client connection in the background.
type collector struct {
	mu  sync.Mutex
	got []string
}

func collect(ctx context.Context, cli *websocket.Conn) *collector {
	c := &collector{}
	go func() {
		for {
			_, p, err := cli.Read(ctx)
			if err != nil {
				return
			}
			c.mu.Lock()
			c.got = append(c.got, strings.Split(string(p), "\n")...)
			c.mu.Unlock()
		}
	}()
	return c
}

func (c *collector) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.got)
}

func (c *collector) msgs() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.got...)
}

func waitDone(tb testing.TB, c *live.Conn, d time.Duration) {
	tb.Helper()
	select {
	case <-c.Done():
	case <-time.After(d):
		tb.Fatalf("connection not done after %v", d)
	}
}

// waitFor polls cond until it holds; the deadline is a failure, not a pace.
func waitFor(tb testing.TB, d time.Duration, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("timed out after %v waiting for %s", d, what)
		}
		runtime.Gosched()
		time.Sleep(time.Millisecond)
	}
}

// msg builds the i-th test message: JSON, no newline, pad bytes of padding.
func msg(i, pad int) []byte {
	return []byte(`{"seq":` + strconv.Itoa(i) + `,"pad":"` + strings.Repeat("x", pad) + `"}`)
}

// checkInOrder verifies that got is exactly msgs 0..n-1 as built by msg.
func checkInOrder(tb testing.TB, got []string, n, pad int) {
	tb.Helper()
	if len(got) != n {
		tb.Fatalf("got %d messages, want %d", len(got), n)
	}
	for i, m := range got {
		if m != string(msg(i, pad)) {
			tb.Fatalf("message %d = %.40q…, want %.40q…", i, m, msg(i, pad))
		}
	}
}

// testLogger sends a connection's log to t.Log while the test runs and drops
// it afterwards: writers and pings can outlive the test by a few moments.
func testLogger(tb testing.TB) *slog.Logger {
	w := &testWriter{tb: tb}
	tb.Cleanup(w.stop)
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type testWriter struct {
	mu      sync.Mutex
	tb      testing.TB
	stopped bool
}

func (w *testWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.stopped {
		w.tb.Log(strings.TrimSuffix(string(p), "\n"))
	}
	return len(p), nil
}

func (w *testWriter) stop() {
	w.mu.Lock()
	w.stopped = true
	w.mu.Unlock()
}

var _ io.Writer = (*testWriter)(nil)
