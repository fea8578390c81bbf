package protocol

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// ClientMessage is any frame a client may send. Which fields matter depends on T.
type ClientMessage struct {
	T string `json:"t"`
	// hello
	Proto    int    `json:"proto"`
	Workshop string `json:"workshop"`
	Token    string `json:"token"`
	Since    uint64 `json:"since"`
	// cmd
	ID   string          `json:"id"`
	Type string          `json:"type"`
	Data json.RawMessage `json:"data"`
	// ping
	N int64 `json:"n"`
}

// Error is a refusal with a code from PROTOCOL.md §4.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Error codes that the transport itself produces (the domain has its own, same vocabulary).
const (
	CodeBadFrame         = "bad_frame"
	CodeUnknownType      = "unknown_type"
	CodeBinaryFrame      = "binary_frame"
	CodeInvalidUTF8      = "invalid_utf8"
	CodeFrameTooLarge    = "frame_too_large"
	CodeNotAuthenticated = "not_authenticated"
	CodeUnauthorized     = "unauthorized"
	CodeProtoVersion     = "proto_version"
	CodeNotFound         = "not_found"
	CodeInvalid          = "invalid"
	CodeRateLimited      = "rate_limited"
	CodeUnavailable      = "unavailable"
	CodeInternal         = "internal"
)

func bad(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// DecodeClient parses one client frame. It never panics and refuses anything that is not exactly a
// JSON object of a known kind, so that everything past it can trust the shape.
func DecodeClient(frame []byte) (ClientMessage, *Error) {
	var m ClientMessage
	if !utf8.Valid(frame) {
		return m, bad(CodeInvalidUTF8, "the frame is not valid UTF-8")
	}
	trimmed := bytes.TrimSpace(frame)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return m, bad(CodeBadFrame, "a frame must be one JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		return ClientMessage{}, bad(CodeBadFrame, "malformed frame: %v", err)
	}
	if dec.More() {
		return ClientMessage{}, bad(CodeBadFrame, "a frame must hold one JSON object only")
	}
	switch m.T {
	case "hello":
		if m.Workshop == "" || m.Token == "" {
			return m, bad(CodeBadFrame, "hello needs workshop and token")
		}
	case "cmd":
		if m.ID == "" || m.Type == "" {
			return m, bad(CodeBadFrame, "cmd needs id and type")
		}
		if len(m.ID) > 64 {
			return m, bad(CodeBadFrame, "cmd id is too long")
		}
		if len(m.Data) > 0 && bytes.TrimSpace(m.Data)[0] != '{' && !bytes.Equal(bytes.TrimSpace(m.Data), []byte("null")) {
			return m, bad(CodeBadFrame, "cmd data must be an object")
		}
	case "ping":
	case "":
		return m, bad(CodeBadFrame, "the frame has no t")
	default:
		return m, bad(CodeUnknownType, "unknown message type %q", m.T)
	}
	return m, nil
}
