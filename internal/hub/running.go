package hub

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"nappe/internal/eventlog"
	"nappe/internal/live"
	"nappe/internal/protocol"
	"nappe/internal/workshop"

	"nappe/internal/metrics"
)

// Workshop is one running workshop. Its exported methods are safe from any goroutine; they hand
// work to the workshop's loop and wait for it.
type Workshop struct {
	id  string
	hub *Hub
	log *slog.Logger

	reqs chan *request
	ctl  chan func()
	recs chan eventlog.Record
	quit chan struct{}
	done chan struct{}

	limitMu  sync.Mutex
	limiters map[string]*rate.Limiter

	// Owned by the loop goroutine.
	state         *workshop.State
	lastSeq       uint64 // log position of the last applied record
	ring          *ring
	rooms         rooms
	stopFollow    func()
	sinceSnapshot int
	// Presence: this process's participants changed since announced (localChanged), or what
	// facilitators see may have changed (presenceDirty).
	presenceDirty, localChanged bool
	announced                   time.Time
	remote                      map[string]remotePresence
	lastOnline                  []string
	stopPresence                func()
	// Headcount: what phones were last told of how many sit at each table, and whether an event
	// since then may have changed it.
	sentHeadcount  map[string]int
	headcountDirty bool
	idleSince      time.Time
	// panicked is the answer for the request in hand when the loop recovered from a panic.
	panicked *PanicError
}

type request struct {
	ctx    context.Context
	cmd    string
	decide func(*workshop.State) ([]workshop.Body, error)
	reply  chan result
}

// answer replies to the request unless it was answered already.
func (r *request) answer(v uint64, err error) {
	select {
	case r.reply <- result{v, err}:
	default:
	}
}

type result struct {
	v   uint64
	err error
}

// load rebuilds a workshop from its latest snapshot and the records after it, then follows the
// log for what other processes append.
func (h *Hub) load(ctx context.Context, id string) (*Workshop, error) {
	w := &Workshop{
		id: id, hub: h, log: h.log.With("workshop", id),
		reqs: make(chan *request, 256), ctl: make(chan func(), 256), recs: make(chan eventlog.Record, 1024),
		quit: make(chan struct{}), done: make(chan struct{}),
		limiters: map[string]*rate.Limiter{},
		state:    workshop.New(), ring: newRing(h.opts.RingSize), rooms: newRooms(),
		remote: map[string]remotePresence{},
	}
	seq, data, err := h.elog.LoadSnapshot(ctx, id)
	switch {
	case err == nil:
		if st, err := workshop.DecodeState(data); err == nil {
			w.state, w.lastSeq = st, seq
		} else {
			w.log.Warn("unreadable snapshot, replaying the whole log", "err", err)
		}
	case !isNotFound(err):
		return nil, fmt.Errorf("load snapshot of %s: %w", id, err)
	}
	if _, err := h.elog.Read(ctx, id, w.lastSeq, func(r eventlog.Record) error { return w.applyRecord(r) }); err != nil {
		return nil, fmt.Errorf("replay %s: %w", id, err)
	}
	if !w.state.Created() {
		return nil, ErrNoWorkshop
	}
	stop, err := h.elog.Follow(context.WithoutCancel(ctx), id, w.lastSeq, func(r eventlog.Record) {
		select {
		case w.recs <- r:
		case <-w.quit:
		}
	})
	if err != nil {
		return nil, fmt.Errorf("follow %s: %w", id, err)
	}
	w.stopFollow = stop
	w.sentHeadcount = w.state.Headcount()
	w.watchPresence()
	go w.loop()
	return w, nil
}

func (w *Workshop) loop() {
	defer close(w.done)
	tick := time.NewTicker(w.hub.opts.PresenceEvery)
	defer tick.Stop()
	for {
		var ok bool
		select {
		case r := <-w.recs:
			ok = w.guard("apply", func() {
				if r.Seq <= w.lastSeq {
					return // our own append, already applied when it was acknowledged
				}
				if err := w.applyRecord(r); err != nil {
					w.log.Error("cannot apply a log record; dropping clients so they resync", "seq", r.Seq, "err", err)
					w.rooms.closeAll(live.StatusTooSlow, "resync")
				}
			})
		case req := <-w.reqs:
			ok = w.guard("command", func() { w.handle(req) })
			if !ok {
				req.answer(0, w.panicked)
			}
		case f := <-w.ctl:
			ok = w.guard("loop", f)
		case <-tick.C:
			unload := false
			ok = w.guard("tick", func() {
				w.flushPresence()
				w.flushHeadcount()
				unload = w.idleLongEnough() && w.hub.retire(w)
			})
			if ok && unload {
				w.log.Debug("unloading idle workshop")
				w.shutdown()
				return
			}
		case <-w.quit:
			w.shutdown()
			return
		}
		if !ok {
			w.crash()
			return
		}
		if w.state.Deleted {
			w.forget()
			return
		}
	}
}

// forget ends a deleted workshop in this process: clients are told it is gone (close 4004, do not
// reconnect), and nothing is saved, since the log is being purged.
func (w *Workshop) forget() {
	w.hub.retire(w)
	if w.stopFollow != nil {
		w.stopFollow()
	}
	if w.stopPresence != nil {
		w.stopPresence()
	}
	w.rooms.closeAll(protocol.CloseNoWorkshop, "workshop deleted")
	w.rooms.release()
}

// do runs f in the loop and waits for it. f must only read the state (and keep the rooms'
// books): a panic in it is answered with a PanicError and the workshop goes on.
func (w *Workshop) do(ctx context.Context, f func()) error {
	ran := make(chan error, 1)
	job := func() {
		var err error
		defer func() {
			if r := recover(); r != nil {
				err = w.hub.recovered("read", w.id, r)
			}
			ran <- err
		}()
		w.hub.Inject("read")
		f()
	}
	select {
	case w.ctl <- job:
	case <-w.done:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-ran:
		return err
	case <-w.done:
		return ErrClosed
	}
}

// applyRecord applies one log record: each event is routed, encoded once per audience, applied,
// remembered for resumes and sent to the rooms.
func (w *Workshop) applyRecord(r eventlog.Record) error {
	events, err := decodeRecord(r.Data)
	if err != nil {
		return err
	}
	for _, e := range events {
		if e.V <= w.state.Version {
			continue
		}
		w.hub.Inject("apply")
		d := workshop.Deliver(w.state, e)
		if err := w.state.Apply(e); err != nil {
			return err
		}
		w.publish(e, d)
		w.headcountDirty = true
		metrics.EventsApplied.Inc()
	}
	w.lastSeq = r.Seq
	w.sinceSnapshot++
	if w.sinceSnapshot >= w.hub.opts.SnapshotEvery {
		w.saveSnapshot()
	}
	return nil
}

// saveSnapshot stores the state in the background: the encoding happens here, in the loop,
// because the state is the loop's; the slow write does not.
func (w *Workshop) saveSnapshot() {
	w.sinceSnapshot = 0
	data, err := json.Marshal(w.state)
	if err != nil {
		w.log.Error("encode snapshot", "err", err)
		return
	}
	seq := w.lastSeq
	w.hub.bg.Add(1)
	go func() {
		defer w.hub.bg.Done()
		defer func() {
			if r := recover(); r != nil {
				w.hub.recovered("snapshot", w.id, r)
			}
		}()
		w.hub.Inject("snapshot")
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := w.hub.elog.SaveSnapshot(ctx, w.id, seq, data); err != nil {
			w.log.Warn("save snapshot", "seq", seq, "err", err)
		}
	}()
}

// idleLongEnough tells whether nobody has used the workshop for IdleUnload: no connection, no
// command waiting.
func (w *Workshop) idleLongEnough() bool {
	if len(w.rooms.clients) > 0 || len(w.reqs) > 0 {
		w.idleSince = time.Time{}
		return false
	}
	now := w.hub.now()
	if w.idleSince.IsZero() {
		w.idleSince = now
	}
	return now.Sub(w.idleSince) >= w.hub.opts.IdleUnload
}

func (w *Workshop) shutdown() {
	if w.stopFollow != nil {
		w.stopFollow()
	}
	if w.stopPresence != nil {
		w.stopPresence()
	}
	if w.sinceSnapshot > 0 {
		w.saveSnapshot()
	}
	// Connections are not closed here: each one says goodbye itself (httpapi), after answering
	// the command it may be handling, which this loop has just finished.
	w.rooms.release()
}
