package live_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"nappe/internal/live"
)

func TestReadValidation(t *testing.T) {
	ts := newTestServer(t, false)
	const limit, hard = 1 << 10, 8 << 10
	cli, c := ts.dial(t, live.Options{ReadLimit: limit, HardReadLimit: hard}, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	write := func(typ websocket.MessageType, p []byte) {
		t.Helper()
		if err := cli.Write(ctx, typ, p); err != nil {
			t.Fatalf("client write: %v", err)
		}
	}
	expectOK := func(want string) {
		t.Helper()
		got, err := c.Read(ctx)
		if err != nil || string(got) != want {
			t.Fatalf("Read = %.30q…, %v; want %.30q…", got, err, want)
		}
	}
	expectErr := func(want error) {
		t.Helper()
		if _, err := c.Read(ctx); !errors.Is(err, want) {
			t.Fatalf("Read error = %v, want %v", err, want)
		}
	}

	write(websocket.MessageText, []byte(`{"a":1}`))
	expectOK(`{"a":1}`)

	write(websocket.MessageText, []byte{'{', 0xff, 0xfe, '}'})
	expectErr(live.ErrInvalidUTF8)
	write(websocket.MessageText, []byte("\xed\xa0\x80")) // a UTF-16 surrogate, invalid in UTF-8
	expectErr(live.ErrInvalidUTF8)
	write(websocket.MessageText, []byte("héllo 🙂"))
	expectOK("héllo 🙂")

	write(websocket.MessageBinary, []byte{1, 2, 3})
	expectErr(live.ErrBinaryFrame)
	expectOKAfter := strings.Repeat("a", limit) // exactly at the limit
	write(websocket.MessageText, []byte(expectOKAfter))
	expectOK(expectOKAfter)

	write(websocket.MessageText, []byte(strings.Repeat("b", limit+1)))
	expectErr(live.ErrFrameTooLarge)
	write(websocket.MessageText, []byte(strings.Repeat("c", hard)))
	expectErr(live.ErrFrameTooLarge)

	// A message in several frames is one message, validated as a whole: the
	// 🙂 is split across the two frames.
	w, err := cli.Writer(ctx, websocket.MessageText)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = w.Write([]byte("split \xf0\x9f"))
	_, _ = w.Write([]byte("\x99\x82 ok"))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	expectOK("split 🙂 ok")

	// The connection still works both ways.
	if !c.Send([]byte(`{"still":"alive"}`)) {
		t.Fatal("Send refused")
	}
	if got, err := readN(ctx, cli, 1); err != nil || got.msgs[0] != `{"still":"alive"}` {
		t.Fatalf("client got %q, %v", got.msgs, err)
	}
}

// Beyond HardReadLimit the connection is closed with 1009.
func TestReadBeyondHardLimitCloses(t *testing.T) {
	ts := newTestServer(t, false)
	const limit, hard = 1 << 10, 8 << 10
	cli, c := ts.dial(t, live.Options{ReadLimit: limit, HardReadLimit: hard}, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	clientEnd := make(chan error, 1)
	go func() {
		// The write may fail once the server closes; what matters is the close.
		_ = cli.Write(ctx, websocket.MessageText, []byte(strings.Repeat("d", hard+1)))
		_, err := readUntilClose(ctx, cli)
		clientEnd <- err
	}()
	_, err := c.Read(ctx)
	if err == nil || isFrameError(err) {
		t.Fatalf("Read error = %v, want a connection error", err)
	}
	if !errors.Is(err, websocket.ErrMessageTooBig) {
		t.Fatalf("Read error = %v, want one wrapping websocket.ErrMessageTooBig", err)
	}
	if code := websocket.CloseStatus(<-clientEnd); code != websocket.StatusMessageTooBig {
		t.Fatalf("client saw close status %d, want %d", code, websocket.StatusMessageTooBig)
	}
	waitDone(t, c, 10*time.Second)
}

func asCloseError(err error, ce *websocket.CloseError) bool {
	return errors.As(err, ce)
}
