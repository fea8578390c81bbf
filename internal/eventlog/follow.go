package eventlog

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// followRetry is the pause before a follower rebuilds its consumer after an
// error the client library did not recover from by itself.
const followRetry = time.Second

// Follow delivers every record of the workshop with Seq > after, in order,
// those stored now and those appended later by any process, until stop is
// called, ctx ends or the Log is closed. fn is called from a single
// goroutine, one record at a time; a slow fn holds back only this follower.
//
// Delivery has no holes and no duplicates across NATS reconnects and server
// restarts: the ordered consumer underneath tracks the last stream sequence
// delivered and, on a gap, a missed heartbeat or a reconnect, recreates its
// server-side consumer from the next one. Follow adds a guard against
// redelivery, and if the consumer ever gives up it starts a new one from the
// last record delivered.
//
// stop does not wait: a call of fn already running finishes, but none starts
// after stop returns. stop may be called from fn, and more than once.
func (l *Log) Follow(ctx context.Context, workshop string, after uint64, fn func(Record)) (stop func(), err error) {
	subj, err := subject(workshop)
	if err != nil {
		return nil, err
	}
	if !l.addFollower() {
		return nil, ErrClosed
	}
	f := &follower{l: l, subj: subj, workshop: workshop, last: after, fn: fn}
	ctx, f.cancel = context.WithCancel(ctx)
	// Creating the first consumer here reports a broken setup to the caller
	// rather than to the log.
	cons, iter, err := f.start(ctx)
	if err != nil {
		f.cancel()
		l.followers.Done()
		return nil, err
	}
	go func() {
		defer l.followers.Done()
		f.run(ctx, cons, iter)
	}()
	return f.stop, nil
}

type follower struct {
	l        *Log
	subj     string
	workshop string
	fn       func(Record)
	cancel   context.CancelFunc
	last     uint64 // only touched by the delivering goroutine

	mu      sync.Mutex
	stopped bool
}

func (f *follower) stop() {
	f.mu.Lock()
	f.stopped = true
	f.mu.Unlock()
	f.cancel()
}

// deliver calls fn unless stop has returned, ctx has ended or the Log is
// closed. Stopping the iterator is asynchronous, so records it had buffered
// can still come out of it: they are not delivered.
func (f *follower) deliver(ctx context.Context, rec Record) bool {
	f.mu.Lock()
	stopped := f.stopped
	f.mu.Unlock()
	if stopped || ctx.Err() != nil || f.l.closing() {
		return false
	}
	f.fn(rec)
	return true
}

func (f *follower) start(ctx context.Context) (jetstream.Consumer, jetstream.MessagesContext, error) {
	cons, err := f.l.orderedConsumer(ctx, f.subj, f.last)
	if err != nil {
		return nil, nil, err
	}
	iter, err := cons.Messages(jetstream.PullMaxBytes(readBufferBytes))
	if err != nil {
		f.l.dropConsumer(cons)
		return nil, nil, fmt.Errorf("eventlog: follow %s: %w", f.workshop, err)
	}
	return cons, iter, nil
}

func (f *follower) run(ctx context.Context, cons jetstream.Consumer, iter jetstream.MessagesContext) {
	log := f.l.log.With("workshop", f.workshop)
	// Closing the Log ends the follower like stop would. (drain stops the
	// iterator when ctx ends; that can take a while if the consumer is being
	// recreated, which is why stop itself does not do it.)
	go func() {
		select {
		case <-ctx.Done():
		case <-f.l.done:
			f.cancel()
		}
	}()
	for {
		if iter == nil {
			var err error
			if cons, iter, err = f.start(ctx); err != nil {
				if ctx.Err() != nil {
					return
				}
				log.Warn("follow: cannot create consumer, retrying", "error", err, "after_seq", f.last)
				if !sleepCtx(ctx, followRetry) {
					return
				}
				continue
			}
		}
		more := f.drain(ctx, iter, log)
		f.l.dropConsumer(cons)
		if !more {
			return
		}
		iter = nil
	}
}

// drain delivers from iter until it fails. It returns false when the
// follower is over (stopped, ctx done, Log closed) and true when a new
// consumer should be started from f.last.
func (f *follower) drain(ctx context.Context, iter jetstream.MessagesContext, log *slog.Logger) bool {
	stopIter := context.AfterFunc(ctx, iter.Stop)
	defer func() {
		stopIter()
		iter.Stop()
	}()
	for {
		msg, err := iter.Next()
		if err != nil {
			if ctx.Err() != nil {
				return false
			}
			if errors.Is(err, jetstream.ErrConnectionClosed) {
				return false
			}
			log.Warn("follow: consumer failed, restarting it", "error", err, "after_seq", f.last)
			return sleepCtx(ctx, followRetry)
		}
		rec, err := toRecord(msg)
		if err != nil {
			log.Warn("follow: bad record metadata, restarting", "error", err, "after_seq", f.last)
			return sleepCtx(ctx, followRetry)
		}
		if rec.Seq <= f.last {
			continue // already delivered: never twice
		}
		if !f.deliver(ctx, rec) {
			return false
		}
		f.last = rec.Seq
	}
}

// sleepCtx waits d, returning false if ctx ended first.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
