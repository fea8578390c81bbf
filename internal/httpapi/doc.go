// Package httpapi is Nappe's HTTP face: the REST routes, the WebSocket sessions, the embedded
// client, health checks and security headers. It translates between the wire
// (internal/protocol) and the running workshops (internal/hub) and decides nothing itself.
package httpapi
