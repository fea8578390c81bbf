package eventlog

import (
	"context"
	"errors"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"
)

// ClaimCode makes code lead to workshop. The claim is atomic across
// processes (a create-if-absent on the key-value bucket): of two workshops
// claiming one code, exactly one gets it and the other gets ErrCodeTaken.
// Claiming a code the workshop already holds succeeds, so a retry after an
// unknown outcome is safe.
func (l *Log) ClaimCode(ctx context.Context, code, workshop string) error {
	key, err := codeKey(code)
	if err != nil {
		return err
	}
	if !validWorkshop(workshop) {
		return fmt.Errorf("%w: workshop %q", ErrInvalidID, workshop)
	}
	_, err = l.kv.Create(ctx, key, []byte(workshop))
	if err == nil {
		return nil
	}
	if !isKVConflict(err) {
		return fmt.Errorf("eventlog: claim code %s: %w", code, err)
	}
	owner, lerr := l.LookupCode(ctx, code)
	switch {
	case lerr == nil && owner == workshop:
		return nil
	case lerr == nil || errors.Is(lerr, ErrNotFound):
		// Taken by another workshop, or taken and released in between:
		// either way this claim lost the race.
		return fmt.Errorf("%w: %s", ErrCodeTaken, code)
	default:
		return fmt.Errorf("eventlog: claim code %s: %w", code, lerr)
	}
}

// LookupCode returns the workshop that code leads to, or ErrNotFound.
func (l *Log) LookupCode(ctx context.Context, code string) (string, error) {
	key, err := codeKey(code)
	if err != nil {
		return "", err
	}
	e, err := l.kv.Get(ctx, key)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return "", fmt.Errorf("%w: code %s", ErrNotFound, code)
	}
	if err != nil {
		return "", fmt.Errorf("eventlog: lookup code %s: %w", code, err)
	}
	return string(e.Value()), nil
}

// releaseCode removes code if, and only if, it still leads to workshop: the
// revision check keeps a concurrent re-claim by another workshop intact.
func (l *Log) releaseCode(ctx context.Context, code, workshop string) error {
	key, err := codeKey(code)
	if err != nil {
		return err
	}
	e, err := l.kv.Get(ctx, key)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("eventlog: release code %s: %w", code, err)
	}
	if string(e.Value()) != workshop {
		return nil // not ours
	}
	if err := l.kv.Purge(ctx, key, jetstream.LastRevision(e.Revision())); err != nil && !isKVConflict(err) {
		return fmt.Errorf("eventlog: release code %s: %w", code, err)
	}
	return nil
}
