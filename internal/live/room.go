package live

import (
	"log/slog"

	"nappe/internal/metrics"
)

// Room is a set of connections that receive the same messages, such as the
// participants of one table.
//
// Room is not safe for concurrent use: its owner (one goroutine per workshop)
// serialises Add, Remove and Broadcast. That is what makes "catch-up, then
// live" ordering trivial: the owner sends the catch-up to a new connection and
// adds it to the room in the same step, so no broadcast can slip in between.
// The zero value is an empty room.
type Room struct {
	// Logger reports refused messages. Default slog.Default().
	Logger *slog.Logger

	conns []*Conn       // iteration order for Broadcast
	index map[*Conn]int // position of each member in conns
}

// Add makes c a member. Adding a member twice has no effect.
func (r *Room) Add(c *Conn) {
	if r.index == nil {
		r.index = make(map[*Conn]int)
	}
	if _, ok := r.index[c]; ok {
		return
	}
	r.index[c] = len(r.conns)
	r.conns = append(r.conns, c)
}

// Remove ends c's membership. Removing a non-member has no effect.
func (r *Room) Remove(c *Conn) {
	i, ok := r.index[c]
	if !ok {
		return
	}
	r.removeAt(i)
}

// removeAt removes the member at i by moving the last member into its place:
// order among members does not matter, only order of messages per member.
func (r *Room) removeAt(i int) {
	last := len(r.conns) - 1
	delete(r.index, r.conns[i])
	if i != last {
		r.conns[i] = r.conns[last]
		r.index[r.conns[i]] = i
	}
	r.conns[last] = nil
	r.conns = r.conns[:last]
}

// Broadcast queues msg on every member and returns how many queued it. It
// never blocks. Members whose connection is closing or closed, including one
// that overflows now, are removed from the room. A message that breaks the
// framing contract (empty, or with a newline) is logged and sent to nobody.
func (r *Room) Broadcast(msg []byte) int {
	if len(r.conns) == 0 {
		return 0
	}
	if err := checkMessage(msg); err != nil {
		logger := r.Logger
		if logger == nil {
			logger = slog.Default()
		}
		logger.Error("live: broadcast refused", "err", err, "msg_bytes", len(msg))
		return 0
	}
	load.add(len(r.conns))
	n := 0
	defer func() { metrics.Deliveries.Add(n) }()
	for i := 0; i < len(r.conns); {
		if r.conns[i].enqueue(msg) {
			n++
			i++
			continue
		}
		r.removeAt(i) // the member moved into i is visited next
	}
	return n
}

// Len returns the number of members.
func (r *Room) Len() int { return len(r.conns) }
