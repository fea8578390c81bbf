package live_test

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/coder/websocket"

	"nappe/internal/live"
)

// FuzzReadFrame sends arbitrary frames from a real client and checks that
// Read classifies each one exactly and that the connection survives every
// frame under the hard limit. Limits are tiny so that all paths are reachable.
func FuzzReadFrame(f *testing.F) {
	const limit, hard = 64, 256
	f.Add(false, false, []byte(`{"op":"note","text":"hello"}`))
	f.Add(false, true, []byte("héllo 🙂 wörld"))
	f.Add(false, false, []byte{0xff, 0xfe})
	f.Add(false, false, []byte("\xed\xa0\x80"))
	f.Add(true, false, []byte{0, 1, 2})
	f.Add(false, false, bytes.Repeat([]byte("a"), limit))
	f.Add(false, false, bytes.Repeat([]byte("a"), limit+1))
	f.Add(false, true, bytes.Repeat([]byte("é"), hard/2))
	f.Add(false, false, []byte{})

	ts := newTestServer(f, false)
	cli, c := ts.dial(f, live.Options{ReadLimit: limit, HardReadLimit: hard, PingInterval: -1}, nil)
	var mu sync.Mutex // one frame at a time on the shared connection

	f.Fuzz(func(t *testing.T, binary, fragmented bool, data []byte) {
		if len(data) > hard {
			data = data[:hard] // beyond the hard limit the connection closes; tested elsewhere
		}
		mu.Lock()
		defer mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()

		typ := websocket.MessageText
		if binary {
			typ = websocket.MessageBinary
		}
		if err := writeFrame(ctx, cli, typ, data, fragmented); err != nil {
			t.Fatalf("client write: %v", err)
		}
		got, err := c.Read(ctx)
		switch {
		case binary:
			if !errors.Is(err, live.ErrBinaryFrame) {
				t.Fatalf("binary frame: Read = %q, %v", got, err)
			}
		case len(data) > limit:
			if !errors.Is(err, live.ErrFrameTooLarge) {
				t.Fatalf("%d-byte frame: Read = %v, want ErrFrameTooLarge", len(data), err)
			}
		case !utf8.Valid(data):
			if !errors.Is(err, live.ErrInvalidUTF8) {
				t.Fatalf("invalid UTF-8 %q: Read = %q, %v", data, got, err)
			}
		default:
			if err != nil || !bytes.Equal(got, data) {
				t.Fatalf("Read = %q, %v; want %q", got, err, data)
			}
		}
	})
}

// writeFrame writes data as one frame or, if fragmented, as a message split
// in the middle, possibly inside a UTF-8 sequence.
func writeFrame(ctx context.Context, cli *websocket.Conn, typ websocket.MessageType, data []byte, fragmented bool) error {
	if !fragmented {
		return cli.Write(ctx, typ, data)
	}
	w, err := cli.Writer(ctx, typ)
	if err != nil {
		return err
	}
	half := len(data) / 2
	if _, err := w.Write(data[:half]); err != nil {
		return err
	}
	if _, err := w.Write(data[half:]); err != nil {
		return err
	}
	return w.Close()
}
