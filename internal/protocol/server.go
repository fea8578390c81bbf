package protocol

import (
	"encoding/json"
	"fmt"
)

// The server's messages. Each is encoded once and may be sent to many connections, so encoding
// returns bytes, not a writer call per connection.
type (
	Welcome struct {
		T           string  `json:"t"`
		Proto       int     `json:"proto"`
		Role        string  `json:"role"`
		Participant *string `json:"participant"`
		ServerTime  int64   `json:"serverTime"`
	}
	SnapshotMsg struct {
		T     string `json:"t"`
		V     uint64 `json:"v"`
		State any    `json:"state"`
	}
	EventMsg struct {
		T    string `json:"t"`
		V    uint64 `json:"v"`
		At   int64  `json:"at"`
		Type string `json:"type"`
		Data any    `json:"data"`
	}
	Synced struct {
		T string `json:"t"`
		V uint64 `json:"v"`
	}
	Ack struct {
		T  string `json:"t"`
		ID string `json:"id"`
		V  uint64 `json:"v"`
	}
	ErrorMsg struct {
		T            string  `json:"t"`
		ID           *string `json:"id"`
		Code         string  `json:"code"`
		Message      string  `json:"message"`
		RetryAfterMs int64   `json:"retryAfterMs,omitempty"`
	}
	Pong struct {
		T          string `json:"t"`
		N          int64  `json:"n"`
		ServerTime int64  `json:"serverTime"`
	}
	Bye struct {
		T      string `json:"t"`
		Reason string `json:"reason"`
	}
	Presence struct {
		T      string   `json:"t"`
		Online []string `json:"online"`
	}
	// Headcount tells participants how many people sit at each table it names; tables it does
	// not name are unchanged.
	Headcount struct {
		T      string         `json:"t"`
		Tables map[string]int `json:"tables"`
	}
)

// Encode marshals a server message. The messages are plain structs of strings and numbers, so a
// failure is a programming error worth a panic in tests, not a runtime condition.
func Encode(m any) []byte {
	b, err := json.Marshal(m)
	if err != nil {
		panic(fmt.Sprintf("protocol: encode %T: %v", m, err))
	}
	return b
}

// NewEvent builds an ev message.
func NewEvent(v uint64, at int64, typ string, data any) EventMsg {
	return EventMsg{T: "ev", V: v, At: at, Type: typ, Data: data}
}

// NewError builds an error answer; id is the command's id, or "" for a frame that had none.
func NewError(id, code, message string) ErrorMsg {
	m := ErrorMsg{T: "error", Code: code, Message: message}
	if id != "" {
		m.ID = &id
	}
	return m
}
