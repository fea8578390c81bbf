package hub

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/google/uuid"

	"nappe/internal/eventlog"
)

// Errors the transports map to answers.
var (
	ErrNoWorkshop   = errors.New("no such workshop")
	ErrUnauthorized = errors.New("unknown token")
	// ErrUnavailable: storage did not confirm the write. It may still land; a retry with the same
	// command id has one effect either way.
	ErrUnavailable = errors.New("storage unavailable; not confirmed")
	ErrClosed      = errors.New("shutting down")
)

// Options tune a Hub; zero values take the defaults.
type Options struct {
	RingSize      int           // events kept per workshop for resumes (default 4096)
	SnapshotEvery int           // records between snapshots (default 500)
	AppendTimeout time.Duration // bound on one append (default 5 s)
	// CommandTimeout bounds a command from submission to answer, queueing included (default 10 s).
	CommandTimeout time.Duration
	PresenceEvery  time.Duration // how often facilitators get who is online (default 1 s)
	// IdleUnload is how long a workshop with no connection and no command stays in memory
	// (default 10 min); it is loaded again, from its snapshot, on next use.
	IdleUnload time.Duration
	// LoadTimeout bounds loading a workshop from its snapshot and log (default 30 s). A load is
	// shared by everyone waiting for it, so no single caller's deadline cuts it short.
	LoadTimeout time.Duration
	// WallQueueBytes bounds the send queue of projectors and consoles, which are sent the whole
	// workshop when they connect (default 64 MiB; phones keep the transport's bound).
	WallQueueBytes int
	// ParticipantRate is commands per second per participant, in bursts of six times that;
	// facilitators get ten times more (default 5).
	ParticipantRate float64
	Now             func() time.Time
	Logger          *slog.Logger
	// Faults, for tests only, is called at each place that recovers from panics (see Inject),
	// so that a test can make it panic there.
	Faults func(where string)
}

// Hub is the set of workshops this process runs, loaded on first use.
type Hub struct {
	elog    *eventlog.Log
	opts    Options
	log     *slog.Logger
	process string // this process's id in presence announcements

	mu      sync.Mutex
	running map[string]*loading
	closed  bool
	bg      sync.WaitGroup // background snapshot writes
}

type loading struct {
	ready chan struct{}
	w     *Workshop
	err   error
}

// New makes a Hub over an open event log.
func New(elog *eventlog.Log, opts Options) *Hub {
	if opts.RingSize <= 0 {
		opts.RingSize = 4096
	}
	if opts.SnapshotEvery <= 0 {
		opts.SnapshotEvery = 500
	}
	if opts.AppendTimeout <= 0 {
		opts.AppendTimeout = 5 * time.Second
	}
	if opts.CommandTimeout <= 0 {
		opts.CommandTimeout = 2 * opts.AppendTimeout
	}
	if opts.PresenceEvery <= 0 {
		opts.PresenceEvery = time.Second
	}
	if opts.IdleUnload <= 0 {
		opts.IdleUnload = 10 * time.Minute
	}
	if opts.LoadTimeout <= 0 {
		opts.LoadTimeout = 30 * time.Second
	}
	if opts.WallQueueBytes <= 0 {
		opts.WallQueueBytes = 64 << 20
	}
	if opts.ParticipantRate <= 0 {
		opts.ParticipantRate = 5
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Hub{elog: elog, opts: opts, log: opts.Logger, process: uuid.NewString(), running: map[string]*loading{}}
}

func (h *Hub) now() time.Time { return h.opts.Now() }

func isNotFound(err error) bool { return errors.Is(err, eventlog.ErrNotFound) }

// Get returns the running workshop, loading it on first use. Concurrent first uses share one load,
// which runs on its own deadline: a caller that gives up stops waiting, not the load.
func (h *Hub) Get(ctx context.Context, id string) (*Workshop, error) {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return nil, ErrClosed
	}
	l, ok := h.running[id]
	if !ok {
		l = &loading{ready: make(chan struct{})}
		h.running[id] = l
		h.mu.Unlock()
		go func() {
			lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), h.opts.LoadTimeout)
			defer cancel()
			l.w, l.err = h.loadSafely(lctx, id)
			if l.err != nil {
				h.mu.Lock()
				delete(h.running, id) // a failed load is retried by the next caller
				h.mu.Unlock()
			}
			close(l.ready)
		}()
	} else {
		h.mu.Unlock()
	}
	select {
	case <-l.ready:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if l.err != nil {
		if errors.Is(l.err, eventlog.ErrInvalidID) {
			return nil, ErrNoWorkshop
		}
		return nil, l.err
	}
	select {
	case <-l.w.done: // unloaded while we looked it up: load it again
		return h.Get(ctx, id)
	default:
	}
	return l.w, nil
}

// loadSafely is load, with a panic (a stored record that breaks the replay, say) turned into an
// error: that workshop cannot be opened, every other one goes on.
func (h *Hub) loadSafely(ctx context.Context, id string) (w *Workshop, err error) {
	defer func() {
		if r := recover(); r != nil {
			w, err = nil, h.recovered("load", id, r)
		}
	}()
	h.Inject("load")
	return h.load(ctx, id)
}

// retire forgets a workshop that is unloading itself, unless it was already replaced.
func (h *Hub) retire(w *Workshop) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if l, ok := h.running[w.id]; ok && l.w == w && !h.closed {
		delete(h.running, w.id)
		return true
	}
	return false
}

// Running reports how many workshops this process holds in memory.
func (h *Hub) Running() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.running)
}

// Lookup finds a workshop by its join code.
func (h *Hub) Lookup(ctx context.Context, code string) (*Workshop, error) {
	id, err := h.elog.LookupCode(ctx, code)
	if isNotFound(err) || errors.Is(err, eventlog.ErrInvalidID) {
		return nil, ErrNoWorkshop
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return h.Get(ctx, id)
}

// Close stops every running workshop: clients are told to reconnect (to another process, or to
// this one once it is back), pending snapshots are written.
func (h *Hub) Close(ctx context.Context) error {
	h.mu.Lock()
	h.closed = true
	all := h.running
	h.running = map[string]*loading{}
	h.mu.Unlock()
	for _, l := range all {
		<-l.ready
		if l.w != nil {
			close(l.w.quit)
		}
	}
	for _, l := range all {
		if l.w != nil {
			select {
			case <-l.w.done:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	}
	done := make(chan struct{})
	go func() { h.bg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
