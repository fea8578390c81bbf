package eventlog

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/nats-io/nats.go/jetstream"
)

// DeleteWorkshop removes everything stored about a workshop: its events, its
// snapshot (and any body a crashed save left behind) and the given join
// codes, where they still lead to it. It goes on after a failure and returns
// all failures joined, so calling it again finishes the job.
//
// Appends or snapshot saves racing with the deletion can outlive it; the
// caller stops writing to the workshop first.
func (l *Log) DeleteWorkshop(ctx context.Context, workshop string, codes ...string) error {
	subj, err := subject(workshop)
	if err != nil {
		return err
	}
	key, err := snapKey(workshop)
	if err != nil {
		return err
	}
	for _, code := range codes {
		if !validCode(code) {
			return fmt.Errorf("%w: code %q", ErrInvalidID, code)
		}
	}
	var errs []error
	if err := l.stream.Purge(ctx, jetstream.WithPurgeSubject(subj)); err != nil {
		errs = append(errs, fmt.Errorf("purge events: %w", err))
	}
	for _, code := range codes {
		if err := l.releaseCode(ctx, code, workshop); err != nil {
			errs = append(errs, err)
		}
	}
	// Pointer first: from then on LoadSnapshot says ErrNotFound, and the
	// bodies are unreachable garbage to sweep.
	if err := l.kv.Purge(ctx, key); err != nil && !errors.Is(err, jetstream.ErrKeyNotFound) {
		errs = append(errs, fmt.Errorf("purge snapshot pointer: %w", err))
	}
	if err := l.sweepSnapshots(ctx, workshop); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return fmt.Errorf("eventlog: delete workshop %s: %w", workshop, errors.Join(errs...))
	}
	return nil
}

// sweepSnapshots deletes every object of the workshop, tombstones included.
// Listing walks the metadata of the whole bucket, but the bucket holds about
// one object per workshop and deletion is rare.
func (l *Log) sweepSnapshots(ctx context.Context, workshop string) error {
	infos, err := l.obs.List(ctx, jetstream.ListObjectsShowDeleted())
	if errors.Is(err, jetstream.ErrNoObjectsFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("list snapshots: %w", err)
	}
	prefix := snapObjectPrefix(workshop)
	for _, info := range infos {
		if !strings.HasPrefix(info.Name, prefix) {
			continue
		}
		if err := l.deleteObject(ctx, info.Name, info.Deleted); err != nil {
			return err
		}
	}
	return nil
}
