package hub

import "nappe/internal/protocol"

// flushHeadcount runs every PresenceEvery: when events may have moved people, it tells every
// phone the tables whose number of people changed since it last did. Phones see only their own
// table's people, yet the table picker needs to know where there is room; one small frame a
// second at most, rather than every arrival to every phone (2,000 × 2,000 in a busy lobby). A
// phone gets the whole count when it connects.
func (w *Workshop) flushHeadcount() {
	if !w.headcountDirty {
		return
	}
	w.headcountDirty = false
	now := w.state.Headcount()
	changed := map[string]int{}
	for id, n := range now {
		if old, ok := w.sentHeadcount[id]; !ok || old != n {
			changed[id] = n
		}
	}
	w.sentHeadcount = now
	if len(changed) == 0 {
		return
	}
	msg := protocol.Encode(protocol.Headcount{T: "headcount", Tables: changed})
	for _, room := range w.rooms.tables {
		room.Broadcast(msg)
	}
}
