package eventlog

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Record is one stored event batch. Seq is its JetStream stream sequence:
// increasing within a workshop, but not contiguous (the stream is shared by
// all workshops).
type Record struct {
	Seq  uint64
	Data []byte
	Time time.Time
}

// Append publishes data on the workshop's subject only if the last message
// on that subject has stream sequence expectLast (0: the subject must be
// empty), and returns the new record's Seq.
//
// The server does the check, so it holds across processes. A stale
// expectLast returns an error matching ErrConflict: read what is new and try
// again. msgID becomes Nats-Msg-Id; note that the sequence check runs before
// de-duplication, so a retry of a write that did land comes back as a
// conflict, and only the caller can recognise its own op in what it reads.
// If the server does report a duplicate, Append returns ErrConflict too, with
// the sequence of the record already stored: that record is the one that
// counts (its bytes may differ from data, say in a timestamp), so the caller
// must read it rather than take data as what was stored.
//
// Any other error (NATS down, timeout) is not ErrConflict and leaves the
// outcome unknown: the write may or may not have landed. Give ctx a deadline
// of a few seconds: nats.go does not fail a request that is in flight when
// the connection drops, it waits for the deadline (5 s when ctx has none).
func (l *Log) Append(ctx context.Context, workshop string, expectLast uint64, msgID string, data []byte) (uint64, error) {
	subj, err := subject(workshop)
	if err != nil {
		return 0, err
	}
	if len(data) > l.maxData {
		return 0, fmt.Errorf("%w: %d bytes, the limit is %d (set by the NATS server's max_payload and the stream's max_msg_size)", ErrTooLarge, len(data), l.maxData)
	}
	opts := []jetstream.PublishOpt{
		jetstream.WithExpectStream(streamName),
		jetstream.WithExpectLastSequencePerSubject(expectLast),
	}
	if msgID != "" {
		opts = append(opts, jetstream.WithMsgID(msgID))
	}
	ack, err := l.js.Publish(ctx, subj, data, opts...)
	if err != nil {
		err = appendError(err)
		if !errors.Is(err, ErrConflict) && !errors.Is(err, ErrTooLarge) {
			l.writes.record(err) // storage full, no quorum, no answer in time
		}
		return 0, err
	}
	l.writes.record(nil)
	if ack.Duplicate {
		return ack.Sequence, fmt.Errorf("%w: duplicate of record %d", ErrConflict, ack.Sequence)
	}
	return ack.Sequence, nil
}

// appendError gives the errors callers branch on their package's identity,
// keeping the original in the chain for logs.
func appendError(err error) error {
	var apiErr *jetstream.APIError
	if errors.As(err, &apiErr) {
		switch apiErr.ErrorCode {
		// 10071 on one replica; 10164 when a replicated stream's leader
		// checks against its own view of concurrent proposals.
		case jetstream.JSErrCodeStreamWrongLastSequence, jetstream.JSErrCodeStreamWrongLastSequenceConstant:
			return fmt.Errorf("%w: %w", ErrConflict, err)
		case jetstream.JSErrCodeStreamMessageExceedsMaximum:
			return fmt.Errorf("%w: %w", ErrTooLarge, err)
		}
	}
	if errors.Is(err, nats.ErrMaxPayload) {
		return fmt.Errorf("%w: %w", ErrTooLarge, err)
	}
	if errors.Is(err, nats.ErrConnectionClosed) {
		return fmt.Errorf("eventlog: append: %w: %w", ErrClosed, err)
	}
	return fmt.Errorf("eventlog: append: %w", err)
}
