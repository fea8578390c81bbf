package eventlog

import (
	"encoding/base64"
	"fmt"
)

// Names of the JetStream assets. They are part of the on-disk format: changing
// one orphans existing data.
const (
	streamName    = "NAPPE_EVENTS"
	subjectPrefix = "nappe.ev."
	indexBucket   = "NAPPE_INDEX"     // key-value: join codes and snapshot pointers
	snapBucket    = "NAPPE_SNAPSHOTS" // object store: snapshot bodies
)

// validWorkshop reports whether id is a UUID in the canonical lowercase
// 8-4-4-4-12 form. Only that form is accepted so that one workshop cannot be
// reached under two spellings (subjects and keys are case-sensitive), and so
// that no subject wildcard or separator can ever come from a caller.
func validWorkshop(id string) bool {
	if len(id) != 36 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
				return false
			}
		}
	}
	return true
}

// validCode reports whether code matches [A-Z0-9]{4,12}.
func validCode(code string) bool {
	if len(code) < 4 || len(code) > 12 {
		return false
	}
	for i := 0; i < len(code); i++ {
		c := code[i]
		if !('0' <= c && c <= '9' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// subject is the only place that builds a workshop's event subject.
func subject(workshop string) (string, error) {
	if !validWorkshop(workshop) {
		return "", fmt.Errorf("%w: workshop %q", ErrInvalidID, workshop)
	}
	return subjectPrefix + workshop, nil
}

// signalSubject is the only place that builds a workshop's signal subject: core NATS, outside
// the event stream's subjects, so nothing sent there is stored.
func signalSubject(workshop string) (string, error) {
	if !validWorkshop(workshop) {
		return "", fmt.Errorf("%w: workshop %q", ErrInvalidID, workshop)
	}
	return "nappe.signal." + workshop, nil
}

// codeKey is the only place that builds a join code's key.
func codeKey(code string) (string, error) {
	if !validCode(code) {
		return "", fmt.Errorf("%w: code %q", ErrInvalidID, code)
	}
	return "code." + code, nil
}

// snapKey is the only place that builds the key of a workshop's snapshot
// pointer.
func snapKey(workshop string) (string, error) {
	if !validWorkshop(workshop) {
		return "", fmt.Errorf("%w: workshop %q", ErrInvalidID, workshop)
	}
	return "snap." + workshop, nil
}

// snapObjectPrefix starts the name of every snapshot object of a workshop;
// the caller has validated the workshop.
func snapObjectPrefix(workshop string) string {
	return workshop + "/"
}

// snapMetaSubject is the subject holding the metadata of a snapshot object.
// Its form, $O.<bucket>.M.<base64url(name)>, is fixed by the Object Store
// protocol (ADR-20); the client library does not expose it, and it is needed
// to purge deletion tombstones.
func snapMetaSubject(object string) string {
	return "$O." + snapBucket + ".M." + base64.URLEncoding.EncodeToString([]byte(object))
}
