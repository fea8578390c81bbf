package hub

import (
	"context"
	"errors"
	"fmt"
	"time"

	"nappe/internal/eventlog"
	"nappe/internal/workshop"

	"nappe/internal/metrics"
)

// Submit decides a command in the workshop's loop, stores its events durably and applies them.
// It returns the version that holds the command's effect. A command id seen before returns the
// version it had then, without doing anything: that is what makes retries safe. ErrUnavailable
// means nothing is known to be stored; the caller may retry with the same id.
func (w *Workshop) Submit(ctx context.Context, cmdID string, decide func(*workshop.State) ([]workshop.Body, error)) (uint64, error) {
	// A command that waited too long in the queue is refused unstarted: its sender has likely
	// given up and will retry, and a backlog must not keep the loop busy for minutes.
	ctx, cancel := context.WithTimeout(ctx, w.hub.opts.CommandTimeout)
	defer cancel()
	start := time.Now()
	defer func() { metrics.CommandSeconds.UpdateDuration(start) }()
	req := &request{ctx: ctx, cmd: cmdID, decide: decide, reply: make(chan result, 1)}
	select {
	case w.reqs <- req:
	case <-w.done:
		return 0, ErrClosed
	case <-ctx.Done():
		return 0, fmt.Errorf("%w: %w", ErrUnavailable, ctx.Err())
	}
	select {
	case r := <-req.reply:
		var refused *workshop.Error
		switch {
		case r.err == nil:
			metrics.CommandsOK.Inc()
		case errors.As(r.err, &refused):
			metrics.CommandsRefused.Inc()
		default:
			metrics.CommandsUnavailable.Inc()
		}
		return r.v, r.err
	case <-w.done:
		return 0, ErrClosed
	}
}

// Command is Submit for a client's command, authorised for actor.
func (w *Workshop) Command(ctx context.Context, actor workshop.Actor, c workshop.Command) (uint64, error) {
	now := w.hub.now().UnixMilli()
	return w.Submit(ctx, c.ID, func(s *workshop.State) ([]workshop.Body, error) {
		return workshop.Decide(s, actor, c, now)
	})
}

func (w *Workshop) handle(req *request) {
	reply := req.answer
	for {
		if v, ok := w.state.Commands[req.cmd]; ok {
			reply(v, nil)
			return
		}
		if err := req.ctx.Err(); err != nil {
			reply(0, fmt.Errorf("%w: %w", ErrUnavailable, err))
			return
		}
		if !w.hub.elog.Connected() {
			reply(0, fmt.Errorf("%w: not connected to NATS", ErrUnavailable))
			return
		}
		bodies, err := w.decide(req)
		if err != nil {
			reply(0, err)
			return
		}
		if len(bodies) == 0 {
			reply(w.state.Version, nil) // nothing to change: already as asked
			return
		}
		at := w.hub.now().UnixMilli()
		events := make([]workshop.Event, len(bodies))
		for i, b := range bodies {
			events[i] = workshop.Event{V: w.state.Version + uint64(i) + 1, At: at, Cmd: req.cmd, Body: b}
		}
		data, err := encodeRecord(events)
		if err != nil {
			reply(0, err)
			return
		}
		ctx, cancel := context.WithTimeout(req.ctx, w.hub.opts.AppendTimeout)
		appendStart := time.Now()
		seq, err := w.hub.elog.Append(ctx, w.id, w.lastSeq, req.cmd, data)
		metrics.AppendSeconds.UpdateDuration(appendStart)
		cancel()
		switch {
		case err == nil:
			if err := w.applyRecord(eventlog.Record{Seq: seq, Data: data, Time: time.UnixMilli(at)}); err != nil {
				reply(0, err)
				return
			}
			reply(events[len(events)-1].V, nil)
			return
		case errors.Is(err, eventlog.ErrConflict):
			metrics.AppendConflicts.Inc()
			// Another process appended first: take in what it wrote, then decide again (the
			// command may even be among it, if this was a retry that reached both). Conflicts are
			// retried until the command's deadline: under contention each round lets one writer
			// through, so every writer gets its turn.
			if err := w.catchUp(req.ctx); err != nil {
				reply(0, fmt.Errorf("%w: %w", ErrUnavailable, err))
				return
			}
		default:
			// The append may or may not have landed. The next append's compare-and-set will tell,
			// and the client's retry carries the same id.
			reply(0, fmt.Errorf("%w: %w", ErrUnavailable, err))
			return
		}
	}
}

// decide runs the command's decision. Decisions are pure, so a panic in one refuses that
// command with a PanicError and leaves the workshop as it was.
func (w *Workshop) decide(req *request) (bodies []workshop.Body, err error) {
	defer func() {
		if r := recover(); r != nil {
			bodies, err = nil, w.hub.recovered("decide", w.id, r)
		}
	}()
	w.hub.Inject("decide")
	return req.decide(w.state)
}

// followWait is how long a conflicting writer waits for the follower to bring the record that beat
// it before reading the log itself.
const followWait = time.Second

// catchUp applies what other processes appended. The follower is already streaming it, so the
// loop takes it from there (no new consumer, which would cost milliseconds while the other writer
// moves on again); reading the log is the fallback.
func (w *Workshop) catchUp(ctx context.Context) error {
	start := w.lastSeq
	timeout := time.NewTimer(followWait)
	defer timeout.Stop()
	for w.lastSeq == start {
		select {
		case r := <-w.recs:
			if r.Seq > w.lastSeq {
				if err := w.applyRecord(r); err != nil {
					return err
				}
			}
		case <-timeout.C:
			return w.readLog(ctx)
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	for { // take whatever else has already arrived
		select {
		case r := <-w.recs:
			if r.Seq > w.lastSeq {
				if err := w.applyRecord(r); err != nil {
					return err
				}
			}
		default:
			return nil
		}
	}
}

func (w *Workshop) readLog(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, w.hub.opts.AppendTimeout)
	defer cancel()
	_, err := w.hub.elog.Read(ctx, w.id, w.lastSeq, func(r eventlog.Record) error {
		if r.Seq <= w.lastSeq {
			return nil
		}
		return w.applyRecord(r)
	})
	return err
}
