package fiberws_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/gofiber/fiber/v2"

	"nappe/internal/fiberws"
)

// echo is a ServeFunc that sends every message back.
func echo(ctx context.Context, c *websocket.Conn, _ *http.Request) {
	for {
		typ, p, err := c.Read(ctx)
		if err != nil {
			return
		}
		if err := c.Write(ctx, typ, p); err != nil {
			return
		}
	}
}

func TestEchoAndRequest(t *testing.T) {
	t.Run("kept connections", func(t *testing.T) { testEchoAndRequest(t, newApp()) })
	t.Run("fasthttp's default", func(t *testing.T) { testEchoAndRequest(t, newPlainApp()) })
}

// A serve function that returns without closing still ends the connection,
// whoever owns it.
func TestReturningServeClosesTheConnection(t *testing.T) {
	for name, app := range map[string]*fiber.App{"kept": newApp(), "default": newPlainApp()} {
		t.Run(name, func(t *testing.T) {
			app.Get("/ws", fiberws.Handler(nil, func(context.Context, *websocket.Conn, *http.Request) {}))
			addr := startApp(t, app)
			ctx := ctxTimeout(t, 10*time.Second)
			c, _, err := websocket.Dial(ctx, "ws://"+addr+"/ws", nil)
			if err != nil {
				t.Fatal(err)
			}
			defer c.CloseNow()
			if _, _, err := c.Read(ctx); err == nil || errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("read = %v, want the connection closed by the server", err)
			}
		})
	}
}

func testEchoAndRequest(t *testing.T, app *fiber.App) {
	seen := make(chan *http.Request, 1)
	app.Get("/ws/:table", fiberws.Handler(nil, func(ctx context.Context, c *websocket.Conn, r *http.Request) {
		seen <- r
		c.SetReadLimit(1 << 20)
		echo(ctx, c, r)
	}))
	addr := startApp(t, app)
	ctx := ctxTimeout(t, 10*time.Second)

	c, resp, err := websocket.Dial(ctx, "ws://"+addr+"/ws/t7?resume=42", &websocket.DialOptions{
		HTTPHeader: http.Header{"X-Participant": {"ana"}},
	})
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer c.CloseNow()
	if resp.StatusCode != http.StatusSwitchingProtocols {
		t.Fatalf("status %d", resp.StatusCode)
	}
	c.SetReadLimit(1 << 20)

	// Small, then larger than every buffer on the way.
	for _, msg := range []string{"hello", strings.Repeat("é", 100_000)} {
		if err := c.Write(ctx, websocket.MessageText, []byte(msg)); err != nil {
			t.Fatal(err)
		}
		_, got, err := c.Read(ctx)
		if err != nil || string(got) != msg {
			t.Fatalf("echo of %d bytes: got %d bytes, %v", len(msg), len(got), err)
		}
	}

	r := <-seen
	if r.Header.Get("X-Participant") != "ana" {
		t.Errorf("header X-Participant = %q", r.Header.Get("X-Participant"))
	}
	if r.URL.Path != "/ws/t7" || r.URL.Query().Get("resume") != "42" {
		t.Errorf("URL = %v", r.URL)
	}
	if !strings.HasPrefix(r.RemoteAddr, "127.0.0.1:") {
		t.Errorf("RemoteAddr = %q", r.RemoteAddr)
	}
	if r.Host != addr {
		t.Errorf("Host = %q, want %q", r.Host, addr)
	}
}

func TestNotAnUpgrade(t *testing.T) {
	app := newApp()
	app.Get("/ws", fiberws.Handler(nil, echo))
	app.Get("/ok", func(c *fiber.Ctx) error { return c.SendString("ok") })
	addr := startApp(t, app)

	resp := httpGet(t, "http://"+addr+"/ws", nil)
	if resp.StatusCode != http.StatusUpgradeRequired {
		t.Fatalf("plain GET: status %d, want 426", resp.StatusCode)
	}
	if resp.Header.Get("Upgrade") != "websocket" {
		t.Errorf("426 without Upgrade: websocket header: %v", resp.Header)
	}

	resp = httpGet(t, "http://"+addr+"/ws", http.Header{
		"Connection": {"Upgrade"}, "Upgrade": {"websocket"}, "Sec-Websocket-Version": {"13"},
	})
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("upgrade without a key: status %d, want 400", resp.StatusCode)
	}
	if !strings.Contains(string(body), "Sec-WebSocket-Key") {
		t.Errorf("400 body %q does not say what is wrong", body)
	}

	// A refused upgrade leaves the server answering normally.
	resp = httpGet(t, "http://"+addr+"/ok", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("after refusals: status %d", resp.StatusCode)
	}
}

func TestOrigin(t *testing.T) {
	app := newApp()
	app.Get("/ws", fiberws.Handler(nil, echo))
	app.Get("/partner", fiberws.Handler(&websocket.AcceptOptions{OriginPatterns: []string{"partner.example"}}, echo))
	addr := startApp(t, app)

	tests := []struct {
		path, origin string
		ok           bool
	}{
		{"/ws", "", true}, // not a browser
		{"/ws", "http://" + addr, true},
		{"/ws", "http://evil.example", false},
		{"/ws", "http://" + addr + ".evil.example", false},
		{"/partner", "https://partner.example", true},
		{"/partner", "https://evil.example", false},
	}
	for _, tt := range tests {
		t.Run(tt.path+" "+tt.origin, func(t *testing.T) {
			ctx := ctxTimeout(t, 10*time.Second)
			h := http.Header{}
			if tt.origin != "" {
				h.Set("Origin", tt.origin)
			}
			c, resp, err := websocket.Dial(ctx, "ws://"+addr+tt.path, &websocket.DialOptions{HTTPHeader: h})
			if tt.ok {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				c.CloseNow()
				return
			}
			if err == nil {
				c.CloseNow()
				t.Fatal("cross-origin handshake accepted")
			}
			if resp == nil || resp.StatusCode != http.StatusForbidden {
				t.Fatalf("refusal %v, want status 403", err)
			}
		})
	}
}

func TestConcurrentConnections(t *testing.T) {
	app := newApp()
	app.Get("/ws", fiberws.Handler(nil, echo))
	addr := startApp(t, app)
	ctx := ctxTimeout(t, 20*time.Second)

	const clients, msgs = 32, 50
	var wg sync.WaitGroup
	for i := range clients {
		wg.Go(func() {
			c, _, err := websocket.Dial(ctx, "ws://"+addr+"/ws", nil)
			if err != nil {
				t.Errorf("client %d: dial: %v", i, err)
				return
			}
			defer c.Close(websocket.StatusNormalClosure, "")
			for j := range msgs {
				want := fmt.Sprintf(`{"client":%d,"n":%d}`, i, j)
				if err := c.Write(ctx, websocket.MessageText, []byte(want)); err != nil {
					t.Errorf("client %d: write: %v", i, err)
					return
				}
				_, got, err := c.Read(ctx)
				if err != nil || string(got) != want {
					t.Errorf("client %d: got %q, %v; want %q", i, got, err, want)
					return
				}
			}
		})
	}
	wg.Wait()
}

// A write to a peer that does not read must time out: coder/websocket aborts
// it by closing the connection, which fasthttp's hijacked connection would
// silently ignore.
func TestWriteTimeoutThroughBridge(t *testing.T) {
	app := newApp()
	result := make(chan error, 1)
	app.Get("/ws", fiberws.Handler(nil, func(ctx context.Context, c *websocket.Conn, _ *http.Request) {
		chunk := make([]byte, 1<<20)
		for {
			wctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
			err := c.Write(wctx, websocket.MessageBinary, chunk)
			cancel()
			if err != nil {
				result <- err
				return
			}
		}
	}))
	addr := startApp(t, app)
	ctx := ctxTimeout(t, 10*time.Second)
	c, _, err := websocket.Dial(ctx, "ws://"+addr+"/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	// The client reads nothing.
	select {
	case err := <-result:
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Logf("write ended with %v", err)
		}
	case <-ctx.Done():
		t.Fatal("a write to a peer that does not read never timed out")
	}
}
