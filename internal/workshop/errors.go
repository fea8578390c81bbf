package workshop

import "fmt"

// Error codes, shared with the wire protocol (internal/protocol/PROTOCOL.md §4): clients switch on
// them, so they are part of the contract.
const (
	CodeForbidden = "forbidden"
	CodeNotFound  = "not_found"
	CodeInvalid   = "invalid"
	CodeTooLong   = "too_long"
	CodeNotEmpty  = "not_empty"
	CodeDuplicate = "duplicate"
	CodeTableFull = "table_full"
	CodeUnknown   = "unknown_type"
	// CodeStale refuses a synthesis push made for an older version: the editor receives the
	// updates it missed, rebases its own and pushes again.
	CodeStale = "stale"
	// CodeWorkshopFull refuses what would take a workshop past what it may hold (MaxParticipants,
	// MaxNotes): every report and chart is bounded by those limits.
	CodeWorkshopFull = "workshop_full"
)

// Error is a refusal of a command: it changes nothing and tells the sender why.
type Error struct {
	Code    string
	Message string
	// Field is the path of the offending field when it is known ("notes[3].createdAt" in an
	// import), for the problem's `field` member.
	Field string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

func errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// named says which field err is about, keeping its message.
func named(field string, err *Error) *Error {
	err.Field = field
	return err
}
