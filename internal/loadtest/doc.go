// Package loadtest is Nappe's load tool: it drives real WebSocket clients (simulated phones and
// projectors) against a Nappe server, open loop, and reports what a room of people would feel:
// connections held, posts acknowledged and lost, post→recipient latency, and what the server
// spent in CPU and memory. It can spawn the server itself (to read its CPU time and RSS from
// /proc), restart it, run two of them on one NATS, and run the same scenario against a bare
// coder/websocket broadcast server for a baseline.
//
//	go run ./server bench --scenario all --baseline
//
// The client side is written to stay out of the way on a small machine: one goroutine per socket
// reading, frames read into pooled buffers, and no JSON decoding of what the server sends — every
// post's note id encodes the run and the post's index, so a receiver finds the post with one
// substring search (see ids.go and parse.go).
package loadtest
