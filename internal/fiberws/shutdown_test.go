package fiberws_test

import (
	"context"
	"errors"
	"net/http"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"

	"nappe/internal/fiberws"
)

// goingAway is a ServeFunc that reads until ctx is cancelled, then closes
// politely, as Nappe's handlers should.
func goingAway(returned *atomic.Int64) fiberws.ServeFunc {
	return func(ctx context.Context, c *websocket.Conn, _ *http.Request) {
		defer returned.Add(1)
		stop := context.AfterFunc(ctx, func() {
			_ = c.Close(websocket.StatusGoingAway, "server shutting down")
		})
		defer stop()
		for {
			// Not ctx: cancelling Read's context would drop the connection
			// before the close frame is written.
			if _, _, err := c.Read(context.Background()); err != nil {
				return
			}
		}
	}
}

// dialAll opens n connections and reads each in the background; the channel
// gets each client's final error.
func dialAll(t *testing.T, ctx context.Context, url string, n int) <-chan error {
	t.Helper()
	ends := make(chan error, n)
	for range n {
		c, _, err := websocket.Dial(ctx, url, nil)
		if err != nil {
			t.Fatalf("dial: %v", err)
		}
		t.Cleanup(func() { c.CloseNow() })
		go func() {
			for {
				if _, _, err := c.Read(ctx); err != nil {
					ends <- err
					return
				}
			}
		}()
	}
	return ends
}

// Shutting the app down does not hang on open WebSockets and cancels their
// serve contexts, so clients get 1001.
func TestAppShutdownWithOpenWebSockets(t *testing.T) {
	app := newApp()
	var returned atomic.Int64
	app.Get("/ws", fiberws.Handler(nil, goingAway(&returned)))
	addr := startApp(t, app)
	ctx := ctxTimeout(t, 20*time.Second)
	const n = 10
	ends := dialAll(t, ctx, "ws://"+addr+"/ws", n)

	start := time.Now()
	sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := app.ShutdownWithContext(sctx); err != nil {
		t.Fatalf("ShutdownWithContext: %v", err)
	}
	t.Logf("app shut down in %v", time.Since(start).Round(time.Millisecond))
	for range n {
		if err := <-ends; websocket.CloseStatus(err) != websocket.StatusGoingAway {
			t.Fatalf("client ended with %v, want status 1001", err)
		}
	}
}

// Registry.Shutdown waits for every serve function to return.
func TestRegistryShutdownWaits(t *testing.T) {
	base := runtime.NumGoroutine()
	func() {
		app := newApp()
		reg := fiberws.NewRegistry()
		var returned atomic.Int64
		app.Get("/ws", reg.Handler(nil, goingAway(&returned)))
		addr := startApp(t, app)
		ctx := ctxTimeout(t, 20*time.Second)
		const n = 10
		ends := dialAll(t, ctx, "ws://"+addr+"/ws", n)
		waitFor(t, 5*time.Second, "all connections registered", func() bool { return reg.Len() == n })

		sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		if err := app.ShutdownWithContext(sctx); err != nil {
			t.Fatalf("app shutdown: %v", err)
		}
		if err := reg.Shutdown(sctx); err != nil {
			t.Fatalf("registry shutdown: %v", err)
		}
		if got := returned.Load(); got != n {
			t.Fatalf("Shutdown returned with %d of %d serve functions done", got, n)
		}
		for range n {
			if err := <-ends; websocket.CloseStatus(err) != websocket.StatusGoingAway {
				t.Fatalf("client ended with %v, want status 1001", err)
			}
		}
	}()
	waitGoroutines(t, base)
}

// A serve function that ignores its context is cut off when Shutdown's
// context expires, and new connections are refused once shut down.
func TestRegistryShutdownForcesStragglers(t *testing.T) {
	app := newApp()
	reg := fiberws.NewRegistry()
	var returned atomic.Int64
	app.Get("/ws", reg.Handler(nil, func(_ context.Context, c *websocket.Conn, _ *http.Request) {
		defer returned.Add(1)
		for {
			if _, _, err := c.Read(context.Background()); err != nil {
				return
			}
		}
	}))
	addr := startApp(t, app)
	ctx := ctxTimeout(t, 20*time.Second)
	const n = 3
	ends := dialAll(t, ctx, "ws://"+addr+"/ws", n)
	waitFor(t, 5*time.Second, "all connections registered", func() bool { return reg.Len() == n })

	sctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	if err := reg.Shutdown(sctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Shutdown = %v, want a deadline error", err)
	}
	waitFor(t, 5*time.Second, "serve functions to return", func() bool { return returned.Load() == n })
	for range n {
		<-ends
	}

	_, resp, err := websocket.Dial(ctx, "ws://"+addr+"/ws", nil)
	if err == nil || resp == nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("dial after Shutdown: %v, want status 503", err)
	}
}

func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(time.Millisecond)
	}
}

// waitGoroutines waits for the goroutine count to come back to base.
func waitGoroutines(t *testing.T, base int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > base {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines, %d before:\n%s", runtime.NumGoroutine(), base, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(5 * time.Millisecond)
	}
}
