package fiberws_test

import (
	"context"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
)

// startApp serves app on a real loopback listener (Fiber's app.Test cannot
// carry a WebSocket) and returns its address. The app is shut down at the end
// of the test unless the test did it.
func startApp(t testing.TB, app *fiber.App) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- app.Listener(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = app.ShutdownWithContext(ctx)
		select {
		case <-served:
		case <-ctx.Done():
			t.Error("app.Listener did not return after shutdown")
		}
	})
	return ln.Addr().String()
}

// newApp is an app set up as Nappe's: hijacked connections are kept, so each
// WebSocket runs on a goroutine of its own.
func newApp() *fiber.App {
	app := newPlainApp()
	app.Server().KeepHijackedConns = true
	return app
}

// newPlainApp leaves fasthttp's default: the connection lives on fasthttp's
// hijack goroutine, which closes it.
func newPlainApp() *fiber.App {
	return fiber.New(fiber.Config{DisableStartupMessage: true})
}

// httpGet sends a plain request with the given headers.
func httpGet(t *testing.T, url string, header http.Header) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func ctxTimeout(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}
