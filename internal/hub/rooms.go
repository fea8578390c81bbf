package hub

import (
	"sort"
	"sync"

	"github.com/coder/websocket"

	"nappe/internal/live"
	"nappe/internal/workshop"

	"nappe/internal/metrics"
)

// client is one connection attached to a workshop.
type client struct {
	conn  *live.Conn
	actor workshop.Actor
	table string // the table room a participant is in ("" = not seated)
}

// rooms are a workshop's audiences: facilitators, projectors, and one room per table. Each
// connection is in exactly one room.
type rooms struct {
	fac, board live.Room
	tables     map[string]*live.Room
	clients    map[*live.Conn]*client
	online     map[string]int // participant id → open connections
}

func newRooms() rooms {
	metrics.RoomOpened() // facilitators'
	metrics.RoomOpened() // projectors'
	return rooms{tables: map[string]*live.Room{}, clients: map[*live.Conn]*client{}, online: map[string]int{}}
}

func (r *rooms) roomOf(c *client) *live.Room {
	switch c.actor.Role {
	case workshop.RoleFacilitator:
		return &r.fac
	case workshop.RoleBoard:
		return &r.board
	}
	t := r.tables[c.table]
	if t == nil {
		t = &live.Room{}
		r.tables[c.table] = t
		metrics.RoomOpened()
	}
	return t
}

func (r *rooms) add(c *client) {
	r.clients[c.conn] = c
	r.roomOf(c).Add(c.conn)
	if c.actor.Role == workshop.RoleParticipant {
		r.online[c.actor.Participant]++
	}
}

func (r *rooms) remove(conn *live.Conn) bool {
	c, ok := r.clients[conn]
	if !ok {
		return false
	}
	delete(r.clients, conn)
	room := r.roomOf(c)
	room.Remove(conn)
	if c.actor.Role == workshop.RoleParticipant {
		if room.Len() == 0 {
			delete(r.tables, c.table)
		}
		if r.online[c.actor.Participant]--; r.online[c.actor.Participant] <= 0 {
			delete(r.online, c.actor.Participant)
		}
	}
	return true
}

// of returns the connections of one participant.
func (r *rooms) of(participant string) []*client {
	var out []*client
	for _, c := range r.clients {
		if c.actor.Role == workshop.RoleParticipant && c.actor.Participant == participant {
			out = append(out, c)
		}
	}
	return out
}

func (r *rooms) onlineIDs() []string {
	ids := make([]string, 0, len(r.online))
	for id := range r.online {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

func (r *rooms) sendAll(msg []byte) {
	for conn := range r.clients {
		conn.Send(msg)
	}
}

// closeAll closes every connection in parallel: Close flushes what is queued first, and a slow
// phone must not hold up the others.
func (r *rooms) closeAll(code websocket.StatusCode, reason string) {
	var wg sync.WaitGroup
	for conn := range r.clients {
		wg.Add(1)
		go func() { defer wg.Done(); conn.Close(code, reason) }()
	}
	wg.Wait()
	r.release() // the rooms closed are gone; the fresh ones count from here
	*r = newRooms()
}

// release counts the rooms as gone, when the workshop leaves memory.
func (r *rooms) release() {
	for range len(r.tables) + 2 {
		metrics.RoomClosed()
	}
}
