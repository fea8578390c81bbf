package hub

import (
	"encoding/json"
	"slices"
	"sort"
	"time"

	"nappe/internal/protocol"
)

// Presence across processes: each process announces the participants connected to it, on change
// and as a heartbeat; facilitators see the union. An announcement older than presenceTTL is
// forgotten, so a process that died stops counting its phones as online.
const (
	presenceHeartbeat = 5 * time.Second
	presenceTTL       = 3 * presenceHeartbeat
)

type announcement struct {
	Process string   `json:"process"`
	Online  []string `json:"online"`
}

type remotePresence struct {
	online []string
	at     time.Time
}

// watchPresence subscribes to other processes' announcements; they are merged in the loop.
func (w *Workshop) watchPresence() {
	stop, err := w.hub.elog.OnSignal(w.id, func(data []byte) {
		var a announcement
		if json.Unmarshal(data, &a) != nil || a.Process == w.hub.process {
			return
		}
		select {
		case w.ctl <- func() {
			w.remote[a.Process] = remotePresence{online: a.Online, at: w.hub.now()}
			w.presenceDirty = true
		}:
		default: // the loop is busy: presence is soft state, the next heartbeat repairs it
		}
	})
	if err != nil {
		w.log.Warn("presence across processes unavailable", "err", err)
		return
	}
	w.stopPresence = stop
}

// flushPresence runs every PresenceEvery: it announces this process's participants when they
// changed (or as a heartbeat) and tells facilitators when the union changed.
func (w *Workshop) flushPresence() {
	now := w.hub.now()
	for p, r := range w.remote {
		if now.Sub(r.at) > presenceTTL {
			delete(w.remote, p)
			w.presenceDirty = true
		}
	}
	local := w.rooms.onlineIDs()
	if w.localChanged || now.Sub(w.announced) >= presenceHeartbeat {
		w.localChanged, w.announced = false, now
		data, _ := json.Marshal(announcement{Process: w.hub.process, Online: local})
		if err := w.hub.elog.Signal(w.id, data); err != nil {
			w.log.Debug("announce presence", "err", err)
		}
	}
	if !w.presenceDirty {
		return
	}
	w.presenceDirty = false
	online := w.onlineEverywhere(local)
	if slices.Equal(online, w.lastOnline) {
		return
	}
	w.lastOnline = online
	w.rooms.fac.Broadcast(protocol.Encode(protocol.Presence{T: "presence", Online: online}))
}

func (w *Workshop) onlineEverywhere(local []string) []string {
	set := map[string]bool{}
	for _, id := range local {
		set[id] = true
	}
	for _, r := range w.remote {
		for _, id := range r.online {
			set[id] = true
		}
	}
	out := make([]string, 0, len(set))
	for id := range set {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}
