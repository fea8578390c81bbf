package loadtest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// ServeBare runs the baseline server: coder/websocket doing the least that Nappe's job needs and
// nothing more. A client's first frame names its room ({"room":"<table>"}, or "*" for the whole
// wall); the server answers with what the room has had so far and {"t":"synced"}, in one frame.
// Every later frame is kept in memory and written, as it is, to every socket of the sender's
// room (the sender included: that is its acknowledgement) and of the wall — one goroutine per
// socket, one frame per message and recipient, no parsing, no storage on disk, no queues.
//
// It prints "bare: listening on http://HOST:PORT" once it accepts connections.
func ServeBare(ctx context.Context, addr string, stdout io.Writer) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	b := newBareHub()
	srv := &http.Server{Handler: b, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "%shttp://%s\n", bareListening, ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	srv.Close()
	b.closeAll()
	return nil
}

type bareRoom struct {
	members []*websocket.Conn // copy on write: a broadcast reads it without holding the lock
	history [][]byte
}

type bareHub struct {
	mu    sync.Mutex
	rooms map[string]*bareRoom
	wall  *bareRoom
	all   [][]byte // every message, for the wall's history
}

func newBareHub() *bareHub {
	return &bareHub{rooms: map[string]*bareRoom{}, wall: &bareRoom{}}
}

var bareSynced = []byte(`{"t":"synced","v":0}`)

func (b *bareHub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c, err := websocket.Accept(w, r, &websocket.AcceptOptions{InsecureSkipVerify: true})
	if err != nil {
		return
	}
	defer c.CloseNow()
	c.SetReadLimit(1 << 20)
	ctx := context.Background()
	_, hello, err := c.Read(ctx)
	if err != nil {
		return
	}
	name, ok := stringField(hello, "room")
	if !ok {
		c.Close(websocket.StatusPolicyViolation, "hello needs a room")
		return
	}
	room, catchUp := b.join(string(name), c)
	defer b.leave(room, c)
	if err := c.Write(ctx, websocket.MessageText, catchUp); err != nil {
		return
	}
	wall := room == b.wall
	for {
		_, msg, err := c.Read(ctx)
		if err != nil {
			return
		}
		if wall {
			continue // the wall only watches
		}
		for _, to := range b.keep(room, msg) {
			to.Write(ctx, websocket.MessageText, msg)
		}
	}
}

// join adds c to its room and returns what the room has had, then synced, as one frame.
func (b *bareHub) join(name string, c *websocket.Conn) (*bareRoom, []byte) {
	b.mu.Lock()
	defer b.mu.Unlock()
	room := b.wall
	history := b.all
	if name != "*" {
		room = b.rooms[name]
		if room == nil {
			room = &bareRoom{}
			b.rooms[name] = room
		}
		history = room.history
	}
	room.members = append(room.members[:len(room.members):len(room.members)], c)
	var frame bytes.Buffer
	for _, m := range history {
		frame.Write(m)
		frame.WriteByte('\n')
	}
	frame.Write(bareSynced)
	return room, frame.Bytes()
}

func (b *bareHub) leave(room *bareRoom, c *websocket.Conn) {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]*websocket.Conn, 0, len(room.members))
	for _, m := range room.members {
		if m != c {
			out = append(out, m)
		}
	}
	room.members = out
}

// keep records msg in its room's history and returns who receives it: the room, then the wall.
func (b *bareHub) keep(room *bareRoom, msg []byte) []*websocket.Conn {
	b.mu.Lock()
	defer b.mu.Unlock()
	room.history = append(room.history, msg)
	b.all = append(b.all, msg)
	to := make([]*websocket.Conn, 0, len(room.members)+len(b.wall.members))
	return append(append(to, room.members...), b.wall.members...)
}

func (b *bareHub) closeAll() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, r := range b.rooms {
		for _, c := range r.members {
			c.CloseNow()
		}
	}
	for _, c := range b.wall.members {
		c.CloseNow()
	}
}
