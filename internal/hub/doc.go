// Package hub runs the workshops this process serves. Each running workshop is one goroutine that
// owns its state: it decides commands, appends their events to the log with a compare-and-set
// (so several Nappe processes sharing one NATS agree on one order), applies every record of the
// log — its own and other processes' — and fans each event out to the connections in its rooms.
// Because one goroutine does all of that, "send the catch-up, then join the room" needs no lock
// and leaves no hole.
package hub
