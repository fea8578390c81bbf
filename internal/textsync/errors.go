package textsync

import "errors"

// The refusals, for errors.Is: the returned errors wrap one of them with the detail.
var (
	// ErrMalformed: the JSON is not a ChangeSet in CodeMirror's form.
	ErrMalformed = errors.New("textsync: malformed change set")
	// ErrLength: the change set was made for a document of another length (stale, or out of range).
	ErrLength = errors.New("textsync: change set does not fit the document's length")
	// ErrTooLong: the result would exceed MaxLen.
	ErrTooLong = errors.New("textsync: text too long")
	// ErrSurrogate: the result would hold half of a surrogate pair.
	ErrSurrogate = errors.New("textsync: change would leave an unpaired surrogate")
)
