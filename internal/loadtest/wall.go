package loadtest

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/coder/websocket"
)

// Join is one projector joining the wall: how long from starting to dial until synced, and what
// it received.
type Join struct {
	Took  time.Duration
	Notes int // distinct notes of this run received before synced
	Bytes int
}

// joinWall connects one more projector, reads until synced, and leaves.
func (b *bench) joinWall(ctx context.Context) (Join, error) {
	var j Join
	ep := b.eps[0].current()
	probe := &client{b: b, kind: wallClient}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	t0 := time.Now()
	conn, _, err := websocket.Dial(ctx, ep.ws, &websocket.DialOptions{
		HTTPClient:      b.net.client(0),
		HTTPHeader:      http.Header{"Origin": {ep.http}},
		CompressionMode: websocket.CompressionDisabled,
	})
	if err != nil {
		return j, err
	}
	defer conn.CloseNow()
	conn.SetReadLimit(1 << 30)
	if err := conn.Write(ctx, websocket.MessageText, probe.hello()); err != nil {
		return j, err
	}
	seen := newBitset(len(b.posts))
	for synced := false; !synced; {
		_, frame, err := conn.Read(ctx)
		if err != nil {
			return j, fmt.Errorf("before synced: %w", err)
		}
		j.Bytes += len(frame)
		eachLine(frame, func(m []byte) {
			switch kindOf(m) {
			case kindSynced:
				synced = true
			case kindSnapshot, kindEv, kindCmd:
				b.ids.eachNote(m, func(idx int) {
					if idx < len(b.posts) && !seen.set(idx) {
						j.Notes++
					}
				})
			}
		})
	}
	j.Took = time.Since(t0)
	conn.Close(websocket.StatusNormalClosure, "")
	return j, nil
}
