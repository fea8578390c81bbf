package protocol

import "github.com/coder/websocket"

// Close codes of PROTOCOL.md §2: each tells the client whether to reconnect.
const (
	CloseProtoVersion websocket.StatusCode = 4000 // unsupported protocol version: do not reconnect
	CloseUnauthorized websocket.StatusCode = 4001 // bad token: forget it, do not reconnect
	CloseRemoved      websocket.StatusCode = 4003 // the participant was removed: do not reconnect
	CloseNoWorkshop   websocket.StatusCode = 4004 // no such workshop: do not reconnect
)

// The goodbyes, encoded once: sent to every connection at shutdown or removal.
var (
	ByeShutdown = Encode(Bye{T: "bye", Reason: "shutdown"})
	ByeRemoved  = Encode(Bye{T: "bye", Reason: "removed"})
)
