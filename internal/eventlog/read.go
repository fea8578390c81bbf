package eventlog

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// readBufferBytes bounds what a reader buffers ahead of its callback. It
// must exceed the largest record, or the consumer would stall.
const readBufferBytes = 4 * embeddedMaxPayload

// readIdle is how long Read waits for the next record before checking
// whether the records it was promised are still there (a concurrent
// DeleteWorkshop purges them).
const readIdle = 2 * time.Second

// consumerInactive is the server-side inactivity threshold of our consumers.
const consumerInactive = time.Minute

// Read calls fn for every stored record of the workshop with Seq > after, in
// order, up to the end of the workshop as it is when Read starts, and
// returns the Seq of the last record fn accepted (after if none): where to
// resume. An error from fn stops Read and is returned as is.
//
// It streams through an ordered consumer (server-side filtering, batched
// delivery, flow control): one round trip per batch, not per record.
//
// On a replicated stream the consumer may sit on a replica that has not yet
// applied the newest acknowledged record ("as it is when Read starts" is
// that replica's view). Nothing is lost by this: an Append based on a stale
// read fails with ErrConflict, and the writer reads again.
func (l *Log) Read(ctx context.Context, workshop string, after uint64, fn func(Record) error) (uint64, error) {
	subj, err := subject(workshop)
	if err != nil {
		return after, err
	}
	last, remaining := after, uint64(0)
	for first := true; ; first = false {
		var stalled bool
		last, remaining, stalled, err = l.readFrom(ctx, workshop, subj, last, remaining, first, fn)
		if err != nil || !stalled {
			return last, err
		}
		// Promised records stopped coming while the workshop still has them: seen on a
		// replicated stream under heavy load, where the consumer's replica fell silent. A fresh
		// consumer from the last record delivered picks up; the next remaining records after it
		// are the promised ones, since a workshop's records are only ever appended.
		l.log.Info("read stalled, starting again from the last record", "workshop", workshop, "after", last, "remaining", remaining)
	}
}

// readStall is how long Read waits for promised records, the workshop still holding them,
// before it starts again with a fresh consumer.
const readStall = 3 * readIdle

// readFrom is one consumer's part of Read. The first consumer's NumPending, taken by the server
// when it created the consumer, is exactly the number of records Read must deliver (later
// appends are not included, as promised); a consumer started again after a stall delivers what
// is still remaining of that number.
func (l *Log) readFrom(ctx context.Context, workshop, subj string, last, remaining uint64, first bool, fn func(Record) error) (uint64, uint64, bool, error) {
	cons, err := l.orderedConsumer(ctx, subj, last)
	if err != nil {
		return last, remaining, false, err
	}
	defer l.dropConsumer(cons)
	iter, err := cons.Messages(jetstream.PullMaxBytes(readBufferBytes))
	if err != nil {
		return last, remaining, false, fmt.Errorf("eventlog: read %s: %w", workshop, err)
	}
	defer iter.Stop()
	stopOnCancel := context.AfterFunc(ctx, iter.Stop)
	defer stopOnCancel()

	if first {
		info := cons.CachedInfo()
		if info == nil {
			return last, remaining, false, fmt.Errorf("eventlog: read %s: consumer has no info", workshop)
		}
		remaining = info.NumPending
	}
	var idle time.Duration
	for remaining > 0 {
		msg, err := iter.Next(jetstream.NextMaxWait(readIdle))
		if errors.Is(err, nats.ErrTimeout) {
			// Nothing for a while: if the workshop was purged meanwhile,
			// the promised records will never come.
			if gone, err := l.nothingAfter(ctx, subj, last); err != nil || gone {
				return last, remaining, false, err
			}
			if idle += readIdle; idle >= readStall {
				return last, remaining, true, nil
			}
			continue
		}
		if err != nil {
			if ctx.Err() != nil {
				return last, remaining, false, fmt.Errorf("eventlog: read %s: %w", workshop, ctx.Err())
			}
			return last, remaining, false, fmt.Errorf("eventlog: read %s: %w", workshop, err)
		}
		if err := ctx.Err(); err != nil {
			// Stopping the iterator is asynchronous: without this check,
			// records already buffered would still be handed to fn.
			return last, remaining, false, fmt.Errorf("eventlog: read %s: %w", workshop, err)
		}
		idle = 0
		rec, err := toRecord(msg)
		if err != nil {
			return last, remaining, false, fmt.Errorf("eventlog: read %s: %w", workshop, err)
		}
		remaining--
		if rec.Seq <= last {
			continue // cannot happen with an ordered consumer; never deliver twice
		}
		if err := fn(rec); err != nil {
			return last, remaining, false, err
		}
		last = rec.Seq
	}
	return last, remaining, false, nil
}

// orderedConsumer returns an ordered consumer of subj starting after seq.
// Ordered consumers are ephemeral, unacknowledged and recreated by the
// client from the last delivered sequence whenever it detects a gap, a
// missed heartbeat or a reconnect.
func (l *Log) orderedConsumer(ctx context.Context, subj string, after uint64) (jetstream.Consumer, error) {
	cfg := jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{subj},
		DeliverPolicy:  jetstream.DeliverAllPolicy,
		// The server drops a consumer nobody pulls from after this; the
		// client recreates it if it was only cut off. Shorter than the
		// default five minutes so that dead processes leave little behind.
		InactiveThreshold: consumerInactive,
	}
	if after > 0 {
		cfg.DeliverPolicy = jetstream.DeliverByStartSequencePolicy
		cfg.OptStartSeq = after + 1
	}
	cons, err := l.stream.OrderedConsumer(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("eventlog: consumer on %s: %w", subj, err)
	}
	return cons, nil
}

// dropConsumer deletes the ordered consumer's current server-side consumer
// once we are done with it: stopping the iterator does not, and it would
// otherwise linger until its inactivity threshold.
func (l *Log) dropConsumer(cons jetstream.Consumer) {
	info := cons.CachedInfo()
	if info == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	err := l.stream.DeleteConsumer(ctx, info.Name)
	if err != nil && !errors.Is(err, jetstream.ErrConsumerNotFound) {
		l.log.Debug("cannot delete consumer", "consumer", info.Name, "error", err)
	}
}

// nothingAfter reports whether subj holds no record with a sequence above
// seq.
func (l *Log) nothingAfter(ctx context.Context, subj string, seq uint64) (bool, error) {
	msg, err := l.stream.GetLastMsgForSubject(ctx, subj)
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("eventlog: last record of %s: %w", subj, err)
	}
	return msg.Sequence <= seq, nil
}

func toRecord(msg jetstream.Msg) (Record, error) {
	md, err := msg.Metadata()
	if err != nil {
		return Record{}, fmt.Errorf("record metadata: %w", err)
	}
	return Record{Seq: md.Sequence.Stream, Data: msg.Data(), Time: md.Timestamp}, nil
}
