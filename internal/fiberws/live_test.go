package fiberws_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/gofiber/fiber/v2"

	"nappe/internal/fiberws"
	"nappe/internal/live"
)

// serveLive is the shape of a Nappe WebSocket handler: a live.Conn, a read
// loop with a context that is never cancelled (cancelling it would drop the
// connection without a close frame), and a polite close when the server
// shuts down.
func serveLive(join func(*live.Conn), leave func(*live.Conn)) fiberws.ServeFunc {
	return func(ctx context.Context, ws *websocket.Conn, r *http.Request) {
		c := live.NewConn(ws, live.Options{Logger: slog.New(slog.DiscardHandler)})
		defer c.Close(websocket.StatusNormalClosure, "")
		stop := context.AfterFunc(ctx, func() {
			c.CloseAsync(websocket.StatusGoingAway, "server shutting down")
		})
		defer stop()
		join(c)
		defer leave(c)
		for {
			msg, err := c.Read(context.Background())
			switch {
			case errors.Is(err, live.ErrInvalidUTF8), errors.Is(err, live.ErrBinaryFrame), errors.Is(err, live.ErrFrameTooLarge):
				c.Send([]byte(`{"type":"error"}`))
			case err != nil:
				return
			default:
				_ = msg // a real handler decodes and dispatches it
			}
		}
	}
}

// The whole stack: Fiber, the bridge, live rooms, batching, then shutdown.
func TestLiveRoomThroughFiber(t *testing.T) {
	var mu sync.Mutex // stands in for the workshop goroutine that owns the room
	var room live.Room
	join := func(c *live.Conn) { mu.Lock(); room.Add(c); mu.Unlock() }
	leave := func(c *live.Conn) { mu.Lock(); room.Remove(c); mu.Unlock() }

	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	reg := fiberws.NewRegistry()
	app.Get("/ws", reg.Handler(nil, serveLive(join, leave)))
	addr := startApp(t, app)
	ctx := ctxTimeout(t, 20*time.Second)

	const clients, msgs = 8, 500
	clis := make([]*websocket.Conn, clients)
	for i := range clis {
		c, _, err := websocket.Dial(ctx, "ws://"+addr+"/ws", nil)
		if err != nil {
			t.Fatal(err)
		}
		defer c.CloseNow()
		clis[i] = c
	}
	waitFor(t, 5*time.Second, "everyone in the room", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return room.Len() == clients
	})

	mu.Lock()
	for i := range msgs {
		room.Broadcast([]byte(`{"seq":` + strconv.Itoa(i) + `}`))
	}
	mu.Unlock()

	var wg sync.WaitGroup
	for i, c := range clis {
		wg.Go(func() {
			var got []string
			frames := 0
			for len(got) < msgs {
				_, p, err := c.Read(ctx)
				if err != nil {
					t.Errorf("client %d after %d messages: %v", i, len(got), err)
					return
				}
				frames++
				got = append(got, strings.Split(string(p), "\n")...)
			}
			for j, m := range got {
				if want := `{"seq":` + strconv.Itoa(j) + `}`; m != want {
					t.Errorf("client %d: message %d = %q, want %q", i, j, m, want)
					return
				}
			}
			if i == 0 {
				t.Logf("%d messages in %d frames", msgs, frames)
			}
			// The connection reads on: an invalid frame gets an error message.
			if err := c.Write(ctx, websocket.MessageText, []byte{0xff}); err != nil {
				t.Errorf("client %d: write: %v", i, err)
				return
			}
			if _, p, err := c.Read(ctx); err != nil || string(p) != `{"type":"error"}` {
				t.Errorf("client %d: got %q, %v after an invalid frame", i, p, err)
			}
		})
	}
	wg.Wait()

	ends := make(chan error, clients)
	for _, c := range clis {
		go func() {
			_, _, err := c.Read(ctx)
			ends <- err
		}()
	}
	if err := app.ShutdownWithContext(ctx); err != nil {
		t.Fatal(err)
	}
	if err := reg.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	for range clients {
		if err := <-ends; websocket.CloseStatus(err) != websocket.StatusGoingAway {
			t.Fatalf("client ended with %v, want 1001", err)
		}
	}
	if room.Len() != 0 {
		t.Fatalf("%d members left in the room after shutdown", room.Len())
	}
}
