package eventlog

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Size limits. Events are appended in batches, and a batch of pasted notes
// can be large, so records may be bigger than NATS's 1 MiB default.
const (
	// maxRecordSize is the largest payload Append accepts when the server
	// allows it.
	maxRecordSize = 4 << 20
	// headerRoom is kept for the headers Append adds (message id, expected
	// sequence) and the ones the server adds.
	headerRoom = 4 << 10
	// embeddedMaxPayload is the embedded server's max_payload: one record
	// with its headers.
	embeddedMaxPayload = maxRecordSize + headerRoom
	// dedupeWindow is how long Nats-Msg-Id de-duplication holds.
	dedupeWindow = 2 * time.Minute
)

// setup creates or updates the stream and the two buckets. Every call is a
// create-or-update with a fixed configuration, so running it from several
// processes at once converges; a lost creation race is retried as an update.
func (l *Log) setup(ctx context.Context, replicas int) error {
	// A server whose max_payload is smaller than what we want is not an
	// error: records are then limited to what it accepts, and Append says so
	// clearly (ErrTooLarge) instead of failing deep inside NATS.
	maxMsg := embeddedMaxPayload
	if sp := int(l.nc.MaxPayload()); sp < maxMsg {
		maxMsg = sp
		l.log.Warn("nats max_payload is below the wanted record size; large event batches will be refused",
			"server_max_payload", sp, "wanted_record_bytes", maxRecordSize)
	}
	l.maxData = maxMsg - headerRoom

	scfg := jetstream.StreamConfig{
		Name:        streamName,
		Description: "Nappe workshop events, one subject per workshop",
		Subjects:    []string{subjectPrefix + "*"},
		Storage:     jetstream.FileStorage,
		Replicas:    replicas,
		Retention:   jetstream.LimitsPolicy, // no age or size limit: this is the record
		MaxMsgSize:  int32(maxMsg),
		Duplicates:  dedupeWindow,
		AllowDirect: true,
		DenyDelete:  true, // events are never removed one by one; a workshop goes whole (purge)
	}
	err := retryCreateRace(ctx, func() (err error) {
		l.stream, err = l.js.CreateOrUpdateStream(ctx, scfg)
		return err
	})
	if err != nil {
		return fmt.Errorf("eventlog: create stream %s: %w", streamName, err)
	}

	err = retryCreateRace(ctx, func() (err error) {
		l.kv, err = l.js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
			Bucket:      indexBucket,
			Description: "Nappe join codes and snapshot pointers",
			History:     1,
			Storage:     jetstream.FileStorage,
			Replicas:    replicas,
		})
		return err
	})
	if err != nil {
		return fmt.Errorf("eventlog: create key-value bucket %s: %w", indexBucket, err)
	}

	err = retryCreateRace(ctx, func() (err error) {
		l.obs, err = l.js.CreateOrUpdateObjectStore(ctx, jetstream.ObjectStoreConfig{
			Bucket:      snapBucket,
			Description: "Nappe workshop snapshots",
			Storage:     jetstream.FileStorage,
			Replicas:    replicas,
			Compression: true, // snapshots are JSON-like and compress well
		})
		return err
	})
	if err != nil {
		return fmt.Errorf("eventlog: create object store %s: %w", snapBucket, err)
	}
	// The object store's stream is needed to purge the tombstones that
	// deleting an object leaves behind (see removeObject).
	if l.obsStream, err = l.js.Stream(ctx, "OBJ_"+snapBucket); err != nil {
		return fmt.Errorf("eventlog: object store stream: %w", err)
	}
	return nil
}

// retryCreateRace runs f again when another process created the same asset
// between our "update: not found" and our "create": the next update finds it.
func retryCreateRace(ctx context.Context, f func() error) error {
	var err error
	for range 5 {
		err = f()
		if !errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) && !errors.Is(err, jetstream.ErrBucketExists) {
			return err
		}
		if ctx.Err() != nil {
			return errors.Join(err, ctx.Err())
		}
	}
	return err
}
