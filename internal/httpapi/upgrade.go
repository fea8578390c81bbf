package httpapi

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"

	"github.com/coder/websocket"
	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp/fasthttpadaptor"
)

// upgrade accepts a WebSocket with coder/websocket from inside Fiber. Fiber speaks fasthttp and
// coder/websocket speaks net/http, and the stock adaptor never writes the 101 response (see the
// design notes), so this takes the connection over from fasthttp and gives coder/websocket a
// ResponseWriter that writes the handshake answer itself.
func upgrade(base context.Context, opts *websocket.AcceptOptions, serve func(context.Context, *websocket.Conn, *http.Request)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if !strings.EqualFold(c.Get(fiber.HeaderUpgrade), "websocket") {
			return problem(http.StatusUpgradeRequired, "bad_frame", "this route only speaks WebSocket")
		}
		r := new(http.Request)
		if err := fasthttpadaptor.ConvertRequest(c.Context(), r, true); err != nil {
			return fmt.Errorf("convert request: %w", err)
		}
		c.Context().HijackSetNoResponse(true)
		c.Context().Hijack(func(conn net.Conn) {
			w := &handshakeWriter{conn: conn, header: http.Header{}}
			ws, err := websocket.Accept(w, r.WithContext(base), opts)
			if err != nil {
				w.refuse() // Accept wrote an error status and body; send them, then hang up
				return
			}
			serve(base, ws, r)
		})
		return nil
	}
}

// handshakeWriter is the http.ResponseWriter coder/websocket answers the handshake through.
type handshakeWriter struct {
	conn   net.Conn
	header http.Header
	status int
	body   bytes.Buffer
}

func (w *handshakeWriter) Header() http.Header         { return w.header }
func (w *handshakeWriter) WriteHeader(status int)      { w.status = status }
func (w *handshakeWriter) Write(p []byte) (int, error) { return w.body.Write(p) }

// Hijack is where the 101 goes out: coder/websocket has set the headers and the status, and from
// here on the connection is the WebSocket's.
func (w *handshakeWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if err := w.writeHead(); err != nil {
		return nil, nil, err
	}
	return w.conn, bufio.NewReadWriter(bufio.NewReader(w.conn), bufio.NewWriter(w.conn)), nil
}

func (w *handshakeWriter) writeHead() error {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "HTTP/1.1 %d %s\r\n", w.status, http.StatusText(w.status))
	if err := w.header.Write(&b); err != nil {
		return err
	}
	b.WriteString("\r\n")
	_, err := w.conn.Write(b.Bytes())
	return err
}

func (w *handshakeWriter) refuse() {
	w.header.Set("Content-Length", fmt.Sprint(w.body.Len()))
	w.header.Set("Connection", "close")
	if w.writeHead() == nil {
		w.conn.Write(w.body.Bytes())
	}
}
