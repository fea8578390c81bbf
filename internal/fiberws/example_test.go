package fiberws_test

import (
	"context"
	"net/http"
	"time"

	"github.com/coder/websocket"
	"github.com/gofiber/fiber/v2"

	"nappe/internal/fiberws"
)

// A WebSocket route and the shutdown sequence: the app first (it stops
// accepting and cancels every serve context), then the Registry (it waits for
// the serve functions, and cuts off those still running when its context
// expires).
func ExampleRegistry() {
	app := fiber.New()
	reg := fiberws.NewRegistry()
	app.Get("/ws", reg.Handler(&websocket.AcceptOptions{OriginPatterns: []string{"nappe.example"}},
		func(ctx context.Context, c *websocket.Conn, r *http.Request) {
			// Close politely when the server shuts down. Read with a context
			// of its own: cancelling Read's context drops the connection
			// without a close frame.
			stop := context.AfterFunc(ctx, func() {
				_ = c.Close(websocket.StatusGoingAway, "server shutting down")
			})
			defer stop()
			for {
				if _, _, err := c.Read(context.Background()); err != nil {
					return
				}
			}
		}))

	go func() { _ = app.Listen("127.0.0.1:0") }()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = app.ShutdownWithContext(ctx)
	_ = reg.Shutdown(ctx)
}
