package live_test

import (
	"context"
	"testing"
	"time"

	"github.com/coder/websocket"

	"nappe/internal/live"
)

// Under FrameGapAbove messages a second a message goes out at once, right after the previous
// frame; above it, what follows a frame waits for the gap and goes out joined.
func TestFrameGapOnlyUnderLoad(t *testing.T) {
	const gap = time.Second
	for _, tc := range []struct {
		name   string
		above  float64
		joined bool
	}{
		{"quiet process: every message at once", 1e12, false},
		{"busy process: a gap between frames", -1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestServer(t, false)
			cli, c := ts.dial(t, live.Options{FrameGap: gap, FrameGapAbove: tc.above}, nil)
			defer c.Close(websocket.StatusNormalClosure, "")
			defer cli.CloseNow() // first: the close handshake then ends at once
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()

			c.Send(msg(0, 10))
			if _, err := readN(ctx, cli, 1); err != nil {
				t.Fatal(err)
			}
			sent := time.Now()
			c.Send(msg(1, 10))
			c.Send(msg(2, 10))
			got, err := readN(ctx, cli, 2)
			if err != nil {
				t.Fatal(err)
			}
			took := time.Since(sent)
			switch {
			case tc.joined && (got.frames != 1 || took < gap/2):
				t.Fatalf("%d frames after %v, want the two messages joined after the gap", got.frames, took)
			case !tc.joined && took >= gap/2:
				t.Fatalf("the messages took %v, want them at once", took)
			}
		})
	}
}
