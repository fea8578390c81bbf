package eventlog

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/nats-io/nats.go/jetstream"
)

// A snapshot is stored in two parts so that "never go backwards" holds
// across processes. The body is an object with a name of its own
// (workshop/seq/random), written first; then a small pointer in the
// key-value bucket is moved to it by compare-and-set, and only if the
// pointer's seq is lower. Object Store puts are not conditional, so writing
// bodies under one name per workshop could let a slow writer of an old
// snapshot overwrite a newer one. Readers follow the pointer; the body it
// replaced is deleted after the move.
type snapPointer struct {
	Seq    uint64 `json:"seq"`
	Object string `json:"object"`
}

// pointerAttempts bounds the compare-and-set loop; each lost round means
// another writer moved the pointer, so it converges quickly.
const pointerAttempts = 10

// SaveSnapshot stores data as the workshop's state at record seq. A snapshot
// never replaces one with a higher or equal seq: saving an older one is a
// no-op, whichever process saved the newer one.
func (l *Log) SaveSnapshot(ctx context.Context, workshop string, seq uint64, data []byte) error {
	key, err := snapKey(workshop)
	if err != nil {
		return err
	}
	var object string // uploaded body, once uploaded
	for range pointerAttempts {
		cur, rev, err := l.getPointer(ctx, key)
		if err != nil {
			return err
		}
		if cur != nil && cur.Seq >= seq {
			if object != "" {
				l.removeObject(ctx, object) // lost to a newer snapshot
			}
			return nil
		}
		if object == "" {
			object = snapObjectPrefix(workshop) + strconv.FormatUint(seq, 10) + "/" + rand.Text()
			if _, err := l.obs.PutBytes(ctx, object, data); err != nil {
				// A failed put may leave chunks; removing is best effort.
				l.removeObject(ctx, object)
				return fmt.Errorf("eventlog: save snapshot of %s: %w", workshop, err)
			}
		}
		val, _ := json.Marshal(snapPointer{Seq: seq, Object: object})
		if cur == nil {
			_, err = l.kv.Create(ctx, key, val)
		} else {
			_, err = l.kv.Update(ctx, key, val, rev)
		}
		if isKVConflict(err) {
			continue // someone moved the pointer: look again
		}
		if err != nil {
			// Unknown outcome: the pointer may have moved. Keep the body.
			return fmt.Errorf("eventlog: save snapshot pointer of %s: %w", workshop, err)
		}
		if cur != nil {
			l.removeObject(ctx, cur.Object)
		}
		return nil
	}
	if object != "" {
		l.removeObject(ctx, object)
	}
	return fmt.Errorf("eventlog: save snapshot of %s: pointer kept moving after %d attempts", workshop, pointerAttempts)
}

// LoadSnapshot returns the workshop's latest snapshot and the record seq it
// reflects, or ErrNotFound.
func (l *Log) LoadSnapshot(ctx context.Context, workshop string) (uint64, []byte, error) {
	key, err := snapKey(workshop)
	if err != nil {
		return 0, nil, err
	}
	// A newer snapshot may replace the body between reading the pointer and
	// reading the body: then read the pointer again.
	for range pointerAttempts {
		cur, _, err := l.getPointer(ctx, key)
		if err != nil {
			return 0, nil, err
		}
		if cur == nil {
			return 0, nil, fmt.Errorf("%w: snapshot of %s", ErrNotFound, workshop)
		}
		data, err := l.obs.GetBytes(ctx, cur.Object)
		if errors.Is(err, jetstream.ErrObjectNotFound) {
			continue
		}
		if err != nil {
			return 0, nil, fmt.Errorf("eventlog: load snapshot of %s: %w", workshop, err)
		}
		return cur.Seq, data, nil
	}
	return 0, nil, fmt.Errorf("eventlog: load snapshot of %s: body missing or replaced %d times", workshop, pointerAttempts)
}

// getPointer returns the snapshot pointer at key and its revision, or nil
// when there is none.
func (l *Log) getPointer(ctx context.Context, key string) (*snapPointer, uint64, error) {
	e, err := l.kv.Get(ctx, key)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("eventlog: snapshot pointer %s: %w", key, err)
	}
	var p snapPointer
	if err := json.NewDecoder(bytes.NewReader(e.Value())).Decode(&p); err != nil {
		return nil, 0, fmt.Errorf("eventlog: snapshot pointer %s: %w", key, err)
	}
	return &p, e.Revision(), nil
}

// removeObject deletes a snapshot body, logging instead of failing: a
// leftover is only wasted space, which DeleteWorkshop sweeps.
func (l *Log) removeObject(ctx context.Context, name string) {
	if err := l.deleteObject(ctx, name, false); err != nil {
		l.log.Warn("cannot delete snapshot body", "object", name, "error", err)
	}
}

// deleteObject deletes a snapshot body (unless already deleted) and then
// purges the tombstone that Object Store deletion leaves on the meta
// subject, so that saving many snapshots does not pile up one tombstone each.
func (l *Log) deleteObject(ctx context.Context, name string, alreadyDeleted bool) error {
	if !alreadyDeleted {
		if err := l.obs.Delete(ctx, name); err != nil && !errors.Is(err, jetstream.ErrObjectNotFound) {
			return fmt.Errorf("delete snapshot body %s: %w", name, err)
		}
	}
	if err := l.obsStream.Purge(ctx, jetstream.WithPurgeSubject(snapMetaSubject(name))); err != nil {
		return fmt.Errorf("purge snapshot tombstone %s: %w", name, err)
	}
	return nil
}

// isKVConflict reports a lost compare-and-set on the key-value bucket,
// whichever code (10071 or 10164) the server used.
func isKVConflict(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, jetstream.ErrKeyExists) || errors.Is(err, jetstream.ErrKeyRevisionMismatch) {
		return true
	}
	var apiErr *jetstream.APIError
	return errors.As(err, &apiErr) &&
		(apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequence ||
			apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequenceConstant)
}
