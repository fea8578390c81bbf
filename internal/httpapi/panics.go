package httpapi

import (
	"strings"

	"github.com/coder/websocket"
	"github.com/gofiber/fiber/v2"

	"nappe/internal/protocol"
)

// recoverPanics turns a panic in a handler (rendering a report, reading an import…) into an
// `internal` problem for that request alone. Fasthttp does not recover handlers' panics: without
// this, one would end the process and every workshop in it.
func (a *api) recoverPanics(c *fiber.Ctx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = a.hub.Recovered("http", workshopInPath(c.Path()), r)
		}
	}()
	return c.Next()
}

// workshopInPath is the workshop id of an /api/workshops/{id}/… path, for the log ("" if none).
// Paths never carry secrets.
func workshopInPath(path string) string {
	rest, ok := strings.CutPrefix(path, "/api/workshops/")
	if !ok {
		return ""
	}
	id, _, _ := strings.Cut(rest, "/")
	if len(id) != 36 {
		return ""
	}
	return id
}

// recoverSession ends a WebSocket session whose code panicked: that connection closes with 1011
// (the client reconnects and resumes); the others, and the process, go on.
func (s *session) recoverSession() {
	if r := recover(); r != nil {
		id := ""
		if s.w != nil {
			id = s.w.ID()
		}
		s.api.hub.Recovered("socket", id, r)
		s.conn.CloseAsync(websocket.StatusInternalError, "internal error")
	}
}

// recoverCommand answers a command whose handling panicked on this connection with `internal`,
// which tells the client not to send it again.
func (s *session) recoverCommand(id string) {
	if r := recover(); r != nil {
		wid := ""
		if s.w != nil {
			wid = s.w.ID()
		}
		pe := s.api.hub.Recovered("socket", wid, r)
		s.fail(id, protocol.CodeInternal, pe.Error())
	}
}
