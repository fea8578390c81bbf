package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/google/uuid"
)

// A phone that stops reading must not hold anyone else up; it is cut off when its queue is full,
// and everyone else gets every note. (Projectors have a far larger bound, since their snapshot is
// the whole workshop; a stalled one is dropped by the write timeout instead.)
func TestStalledClientDoesNotSlowOthers(t *testing.T) {
	s := startServer(t, "--data", t.TempDir(), "--queue-bytes", "65536", "--participant-rate", "1000")
	c := newCafé(t, s)
	ada := joinCafé(t, s, c, "Ada", c.tables[0])
	bob := joinCafé(t, s, c, "Bob", c.tables[0])

	ctx := context.Background()
	// A tiny receive buffer stands in for a phone that stopped reading: the kernel would otherwise
	// absorb megabytes on loopback before the server's queue noticed anything.
	tiny := &net.Dialer{Control: func(_, _ string, rc syscall.RawConn) error {
		return rc.Control(func(fd uintptr) { syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
	}}
	stalled, _, err := websocket.Dial(ctx, strings.Replace(s.url, "http", "ws", 1)+"/ws", &websocket.DialOptions{
		HTTPHeader: http.Header{"Origin": {s.url}},
		HTTPClient: &http.Client{Transport: &http.Transport{DialContext: tiny.DialContext}},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer stalled.CloseNow()
	stalled.SetReadLimit(64 << 20)
	stalled.Write(ctx, websocket.MessageText, []byte(fmt.Sprintf(`{"t":"hello","proto":1,"workshop":%q,"token":%q}`, c.Workshop.ID, bob.token)))
	// …and never reads again, until the end.

	board := online(t, s, c.Workshop.ID, c.BoardKey)
	pa := online(t, s, c.Workshop.ID, ada.token)

	const notes = 600
	long := strings.Repeat("🙂", 490) // ~2 kB each: well past the stalled queue and its socket buffers
	start := time.Now()
	var last string
	ids := make([]string, notes)
	for i := range notes {
		last = fmt.Sprintf("%03d %s", i, long)
		ids[i] = pa.cmd("note.post", map[string]any{"note": uuid.NewString(), "text": last})
	}
	for i, id := range ids {
		if m := pa.waitFor("ack", answer(id)); m["t"] != "ack" {
			t.Fatalf("post %d: %v", i, m)
		}
	}
	board.waitFor("last note on the live board", isEvent("note.posted", noteText(last)))
	t.Logf("%d notes to a live board in %v beside a stalled one", notes, time.Since(start))

	// The stalled phone was cut off as too slow (it may first read what was buffered).
	rctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	for {
		_, _, err := stalled.Read(rctx)
		if err == nil {
			continue
		}
		var ce websocket.CloseError
		if !errors.As(err, &ce) || ce.Code != 4008 {
			t.Fatalf("stalled client ended with %v, want close 4008", err)
		}
		break
	}
}
