package eventlog

import (
	"fmt"

	"github.com/nats-io/nats.go"
)

// Signals are soft, best-effort messages between Nappe processes (who is online), sent over core
// NATS on the log's connection. They are not stored: losing one only delays an update.

// Signal publishes data on a workshop's signal subject.
func (l *Log) Signal(workshop string, data []byte) error {
	subj, err := signalSubject(workshop)
	if err != nil {
		return err
	}
	if err := l.nc.Publish(subj, data); err != nil {
		return fmt.Errorf("eventlog: signal: %w", err)
	}
	return nil
}

// OnSignal calls fn for every signal on a workshop's subject, from NATS's delivery goroutine, until
// stop is called. fn must not block.
func (l *Log) OnSignal(workshop string, fn func(data []byte)) (stop func(), err error) {
	subj, err := signalSubject(workshop)
	if err != nil {
		return nil, err
	}
	sub, err := l.nc.Subscribe(subj, func(m *nats.Msg) { fn(m.Data) })
	if err != nil {
		return nil, fmt.Errorf("eventlog: subscribe signals: %w", err)
	}
	return func() { _ = sub.Unsubscribe() }, nil
}
