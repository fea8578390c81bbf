package hub

import (
	"context"

	"nappe/internal/live"
	"nappe/internal/protocol"
	"nappe/internal/workshop"
)

// Attach authenticates a connection and starts its stream: welcome, then what it missed since
// version since (or a snapshot), then synced, then live events. All of it happens in the loop, so
// no event can slip between the catch-up and the live stream.
func (w *Workshop) Attach(ctx context.Context, conn *live.Conn, token string, since uint64) (workshop.Actor, error) {
	var actor workshop.Actor
	var err error
	if derr := w.do(ctx, func() {
		a, ok := w.state.Authenticate(token)
		if !ok {
			err = ErrUnauthorized
			return
		}
		actor = a
		c := &client{conn: conn, actor: a}
		if a.Role == workshop.RoleParticipant {
			c.table = w.state.Participants[a.Participant].Table
		} else {
			conn.SetMaxQueueBytes(w.hub.opts.WallQueueBytes)
		}
		welcome := protocol.Welcome{T: "welcome", Proto: protocol.Version, Role: a.Role.String(), ServerTime: w.hub.now().UnixMilli()}
		if a.Participant != "" {
			welcome.Participant = &a.Participant
		}
		conn.Send(protocol.Encode(welcome))
		w.catchUpClient(c, since)
		w.rooms.add(c)
		switch a.Role {
		case workshop.RoleFacilitator:
			conn.Send(protocol.Encode(protocol.Presence{T: "presence", Online: w.onlineEverywhere(w.rooms.onlineIDs())}))
		case workshop.RoleParticipant:
			w.presenceDirty, w.localChanged = true, true
			conn.Send(protocol.Encode(protocol.Headcount{T: "headcount", Tables: w.state.Headcount()}))
		}
	}); derr != nil {
		return actor, derr
	}
	return actor, err
}

// Detach forgets a connection that ended.
func (w *Workshop) Detach(conn *live.Conn) {
	select {
	case w.ctl <- func() {
		if w.rooms.remove(conn) {
			w.presenceDirty, w.localChanged = true, true
		}
	}:
	case <-w.done:
	}
}

func (w *Workshop) catchUpClient(c *client, since uint64) {
	v := w.state.Version
	if since != v {
		if !w.replay(c, since) {
			w.sendSnapshot(c)
		}
	}
	c.conn.Send(protocol.Encode(protocol.Synced{T: "synced", V: v}))
}

// replay sends the events after since that this client may see, if the ring still has them all
// and none of them moved the client to another table.
func (w *Workshop) replay(c *client, since uint64) bool {
	if since == 0 || since > w.state.Version {
		return false
	}
	entries, ok := w.ring.since(since)
	if !ok {
		return false
	}
	if c.actor.Role == workshop.RoleParticipant {
		for _, e := range entries {
			for _, p := range e.reseat {
				if p == c.actor.Participant {
					return false
				}
			}
		}
	}
	for _, e := range entries {
		if msg := pick(e, c); msg != nil {
			c.conn.Send(msg)
		}
	}
	return true
}

func pick(e *delivered, c *client) []byte {
	switch c.actor.Role {
	case workshop.RoleFacilitator:
		return e.fac
	case workshop.RoleBoard:
		if e.board != nil {
			return e.board
		}
		return e.pub
	}
	if e.forTable(c.table) {
		return e.pub
	}
	return nil
}

func (w *Workshop) sendSnapshot(c *client) {
	c.conn.Send(protocol.Encode(protocol.SnapshotMsg{T: "snapshot", V: w.state.Version, State: w.state.Snapshot(c.actor)}))
}

// publish encodes an event once per audience, keeps it for resumes and sends it to its rooms.
func (w *Workshop) publish(e workshop.Event, d workshop.Delivery) {
	entry := delivered{v: e.V, tables: d.Tables, all: d.AllTables, reseat: d.Reseat}
	if d.Fac != nil {
		entry.fac = protocol.Encode(protocol.NewEvent(e.V, e.At, d.Type, d.Fac))
	}
	if d.Public != nil {
		entry.pub = protocol.Encode(protocol.NewEvent(e.V, e.At, d.Type, d.Public))
	}
	if d.Board != nil {
		entry.board = protocol.Encode(protocol.NewEvent(e.V, e.At, d.Type, d.Board))
	}
	w.ring.push(entry)
	if entry.fac != nil {
		w.rooms.fac.Broadcast(entry.fac)
	}
	if entry.board != nil {
		w.rooms.board.Broadcast(entry.board)
	} else if entry.pub != nil {
		w.rooms.board.Broadcast(entry.pub)
	}
	if entry.pub != nil {
		if entry.all {
			for _, room := range w.rooms.tables {
				room.Broadcast(entry.pub)
			}
		} else {
			for _, t := range d.Tables {
				if room := w.rooms.tables[t]; room != nil {
					room.Broadcast(entry.pub)
				}
			}
		}
	}
	for _, p := range d.Reseat {
		w.reseat(p)
	}
	for _, p := range d.Removed {
		w.removeParticipant(p)
	}
}

// reseat moves a participant's connections to their new table's room and gives them that table's
// notes as a fresh snapshot.
func (w *Workshop) reseat(participant string) {
	p, ok := w.state.Participants[participant]
	if !ok {
		return
	}
	for _, c := range w.rooms.of(participant) {
		w.rooms.remove(c.conn)
		c.table = p.Table
		w.sendSnapshot(c)
		c.conn.Send(protocol.Encode(protocol.Synced{T: "synced", V: w.state.Version}))
		w.rooms.add(c)
	}
}

func (w *Workshop) removeParticipant(participant string) {
	for _, c := range w.rooms.of(participant) {
		w.rooms.remove(c.conn)
		c.conn.Send(protocol.ByeRemoved)
		go c.conn.Close(protocol.CloseRemoved, "removed from the workshop")
	}
	w.presenceDirty, w.localChanged = true, true
}
