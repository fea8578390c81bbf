// Package live carries Nappe's server→client traffic over WebSocket
// connections: one bounded send queue and writer per connection, a reader that
// validates what phones send, keepalive pings, and rooms for fan-out.
//
// The wire contract the client relies on: every server→client message is a
// complete JSON text without a raw newline. When several messages are waiting
// for one connection, the writer sends them joined by "\n" as a single text
// frame, so a client must split each frame on "\n". Batching only happens when
// a connection is behind, which is exactly when it saves the most CPU: on two
// cores, one frame per message per recipient costs about five times more than
// one frame per batch.
//
// Nothing in this package blocks a broadcaster: Send only appends to a queue
// bounded in bytes, and a connection whose queue would overflow is closed with
// StatusTooSlow so that the client reconnects and resumes from its last event.
package live
