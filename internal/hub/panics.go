package hub

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/coder/websocket"
	"github.com/google/uuid"

	"nappe/internal/metrics"
)

// A panic in a workshop costs one answer, never the process: every goroutine that runs workshop
// code recovers, logs the panic under a reference the user can quote, counts it, and answers the
// request in hand with PanicError. What happens to the workshop depends on where it panicked:
// decisions and reads do not change the state, so the workshop goes on; anything else may have
// left it half changed, so the workshop is unloaded (crash) and loaded again, from its snapshot
// and the log, by the next request.

// PanicError answers a request whose handling panicked. Transports map it to the protocol's
// `internal` code, with Ref.
type PanicError struct{ Ref string }

func (e *PanicError) Error() string { return "internal error (ref " + e.Ref + ")" }

// Recovered is recovered for the transports' own goroutines (HTTP handlers, WebSocket
// sessions): where says which, workshopID may be "".
func (h *Hub) Recovered(where, workshopID string, r any) *PanicError {
	return h.recovered(where, workshopID, r)
}

// recovered logs and counts a recovered panic. The log says where and in which workshop, the
// panic's type (a runtime error's message, which holds no user data) and the stack; never the
// panic value itself, which could carry a note's text or a secret.
func (h *Hub) recovered(where, workshopID string, r any) *PanicError {
	ref := uuid.NewString()[:8]
	metrics.Panics(where)
	h.log.Error("panic recovered", "ref", ref, "workshop", workshopID, "where", where,
		"panic", describePanic(r), "stack", string(debug.Stack()))
	return &PanicError{Ref: ref}
}

func describePanic(r any) string {
	if e, ok := r.(runtime.Error); ok {
		return e.Error()
	}
	return fmt.Sprintf("%T", r)
}

// Inject marks a place where a panic is recovered, so that tests can make it panic there
// (Options.Faults). It does nothing otherwise.
func (h *Hub) Inject(where string) {
	if h.opts.Faults != nil {
		h.opts.Faults(where)
	}
}

// guard runs f and tells whether it returned normally; a panic is recovered and reported.
func (w *Workshop) guard(where string, f func()) (ok bool) {
	defer func() {
		if r := recover(); r != nil {
			w.panicked = w.hub.recovered(where, w.id, r)
			ok = false
		}
	}()
	f()
	return true
}

// crash unloads a workshop whose loop panicked where the state may have been half changed: it is
// neither saved nor kept. Its clients are told to come back (1013 "try again"); they resume on a
// fresh load.
func (w *Workshop) crash() {
	w.hub.retire(w)
	if w.stopFollow != nil {
		w.stopFollow()
	}
	if w.stopPresence != nil {
		w.stopPresence()
	}
	w.rooms.closeAll(websocket.StatusTryAgainLater, "workshop reloading")
	w.rooms.release()
}
