// Package eventlog is Nappe's system of record.
//
// Every workshop is an append-only list of opaque events kept in one
// JetStream stream, one subject per workshop. Appends are conditional on the
// last sequence of that subject (a compare-and-set done by the server), so any
// number of Nappe processes sharing one NATS agree on a single order without
// talking to each other; following a subject is how an event written by one
// process reaches the participants connected to another.
//
// Besides the events the package stores snapshots (an Object Store bucket,
// since they can be several megabytes) and the short public join codes (a
// key-value bucket, whose create-if-absent gives atomic claims).
//
// It deliberately knows nothing about the workshop domain: payloads are bytes,
// workshops are UUIDs. When no NATS URL is configured it runs an embedded
// nats-server, which keeps a single-binary deployment possible.
package eventlog
