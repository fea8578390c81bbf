// Package fiberws accepts coder/websocket connections inside Fiber v2
// handlers.
//
// The stock bridge, adaptor.HTTPHandler(websocket.Accept…), hangs: fasthttp's
// net/http adaptor records WriteHeader(101) but nothing ever writes the
// "HTTP/1.1 101" response, while coder/websocket expects net/http to have sent
// it. This package does the handshake itself: it converts the request with
// fasthttpadaptor.ConvertRequest, lets coder/websocket check it (so its
// Origin check, OriginPatterns and its HTTP errors apply unchanged), hijacks
// the connection with HijackSetNoResponse, and writes the 101 response on the
// hijacked connection before handing it to coder/websocket.
//
// Set KeepHijackedConns on the app's fasthttp server (app.Server()) before
// serving: each connection then runs on a goroutine of its own and fasthttp's
// request context goes back to its pool at once instead of being held for
// the connection's lifetime.
//
// Hijacked connections are invisible to fasthttp: app.ShutdownWithContext
// returns without waiting for them. The serve function's context is cancelled
// when the app shuts down; to wait for connections to finish, and to force
// stragglers closed, use a Registry and call its Shutdown after the app's.
package fiberws
