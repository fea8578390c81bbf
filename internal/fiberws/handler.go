package fiberws

import (
	"context"
	"net"
	"net/http"
	"strings"

	"github.com/coder/websocket"
	"github.com/gofiber/fiber/v2"
)

// ServeFunc runs one WebSocket connection, after the Fiber handler has
// returned. ctx is cancelled when the server shuts down; r is the upgrade
// request (headers, URL, RemoteAddr), safe to keep. When ServeFunc returns,
// the connection is closed: close c first to send a close frame, for example
// with StatusGoingAway when ctx is cancelled.
type ServeFunc func(ctx context.Context, c *websocket.Conn, r *http.Request)

// Handler returns a Fiber handler that upgrades the request to a WebSocket
// with coder/websocket, honouring opts (nil: same-host origins only, no
// compression), and runs serve on the hijacked connection. Requests that are
// not a valid upgrade, or come from a refused origin, get coder/websocket's
// HTTP error (426, 400, 403) as a fiber error, for the app's ErrorHandler.
//
// serve's ctx is cancelled when the Fiber app shuts down, but nothing waits
// for serve to return; use a Registry for that.
func Handler(opts *websocket.AcceptOptions, serve ServeFunc) fiber.Handler {
	return NewRegistry().Handler(opts, serve)
}

// Handler is the package-level Handler, with its connections tracked by g:
// serve's ctx is also cancelled by g.Shutdown, which waits for serve to
// return.
func (g *Registry) Handler(opts *websocket.AcceptOptions, serve ServeFunc) fiber.Handler {
	return func(c *fiber.Ctx) error {
		fctx := c.Context()
		r, err := convertRequest(fctx)
		if err != nil {
			return fiber.NewError(fiber.StatusBadRequest, err.Error())
		}
		// Dry run: coder/websocket validates the handshake and the origin
		// and writes its refusal into p, which Fiber then sends.
		var p probe
		_, _ = websocket.Accept(&p, r, opts)
		if !p.upgrade {
			return refusal(c, &p)
		}
		ctx, ok := g.context(fctx.Done())
		if !ok {
			return fiber.NewError(fiber.StatusServiceUnavailable, "server shutting down")
		}
		// Fiber must not answer: the 101 is written on the hijacked
		// connection, once coder/websocket has built its headers.
		fctx.HijackSetNoResponse(true)
		if !c.App().Server().KeepHijackedConns {
			fctx.Hijack(func(conn net.Conn) {
				g.serve(ctx, newHijackedConn(conn), r, opts, serve)
			})
			return nil
		}
		// fasthttp keeps the request's context, headers and all, until the
		// hijack handler returns: serve on a goroutine of our own so that it
		// goes back to fasthttp's pool at once (a few KB per connection held
		// for hours otherwise). The connection is then ours to close.
		fctx.Hijack(func(conn net.Conn) {
			hc := newHijackedConn(conn)
			go func() {
				defer hc.Close()
				g.serve(ctx, hc, r, opts, serve)
			}()
		})
		return nil
	}
}

// serve runs on fasthttp's hijack goroutine; fasthttp closes conn when it
// returns.
func (g *Registry) serve(ctx context.Context, conn net.Conn, r *http.Request, opts *websocket.AcceptOptions, serve ServeFunc) {
	if !g.track(conn) {
		return // shut down between the Fiber handler and now
	}
	defer g.untrack(conn)

	w := &upgradeWriter{conn: conn, header: make(http.Header)}
	ws, err := websocket.Accept(w, r.WithContext(ctx), opts)
	if err != nil {
		w.writeError()
		return
	}
	defer ws.CloseNow() // releases coder/websocket's state if serve did not close
	serve(ctx, ws, r.WithContext(ctx))
}

// refusal turns the dry run's error response into a fiber error, keeping the
// headers coder/websocket set (Upgrade and Connection on a 426,
// Sec-WebSocket-Version on a bad version).
func refusal(c *fiber.Ctx, p *probe) error {
	for k, vs := range p.header {
		switch k {
		case "Content-Type", "Content-Length": // the ErrorHandler's business
			continue
		}
		for _, v := range vs {
			c.Response().Header.Add(k, v)
		}
	}
	status := p.status
	if status < 400 {
		status = fiber.StatusInternalServerError
	}
	msg := strings.TrimSpace(p.body.String())
	if msg == "" {
		msg = http.StatusText(status)
	}
	return fiber.NewError(status, msg)
}
