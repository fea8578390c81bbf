package fiberws_test

import (
	"context"
	"testing"

	"github.com/coder/websocket"

	"nappe/internal/fiberws"
)

// BenchmarkEchoRoundTrip measures one 256-byte message to the server and back
// through Fiber and the bridge on loopback (the design notes measured about
// 19 µs for the other bridge).
func BenchmarkEchoRoundTrip(b *testing.B) {
	app := newApp()
	app.Get("/ws", fiberws.Handler(nil, echo))
	addr := startApp(b, app)
	ctx := context.Background()
	c, _, err := websocket.Dial(ctx, "ws://"+addr+"/ws", nil)
	if err != nil {
		b.Fatal(err)
	}
	defer c.CloseNow()
	msg := make([]byte, 256)
	for i := range msg {
		msg[i] = 'x'
	}
	for b.Loop() {
		if err := c.Write(ctx, websocket.MessageText, msg); err != nil {
			b.Fatal(err)
		}
		if _, _, err := c.Read(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
