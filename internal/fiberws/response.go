package fiberws

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// probe is the http.ResponseWriter of the first, dry run of websocket.Accept
// inside the Fiber handler: it records the error response Accept writes when
// it refuses the handshake (426, 400, 403…), so Fiber can send it, and notes
// whether Accept got as far as hijacking, which means the handshake is good.
type probe struct {
	header  http.Header
	status  int
	body    bytes.Buffer
	upgrade bool
}

var errProbe = errors.New("fiberws: dry run, no connection to hijack")

func (p *probe) Header() http.Header {
	if p.header == nil {
		p.header = make(http.Header)
	}
	return p.header
}

func (p *probe) WriteHeader(code int) {
	if p.status == 0 {
		p.status = code
	}
}

func (p *probe) Write(b []byte) (int, error) {
	p.WriteHeader(http.StatusOK)
	return p.body.Write(b)
}

func (p *probe) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	p.upgrade = true
	return nil, nil, errProbe
}

// handshakeTimeout bounds writing the 101 response to a client that does not
// read it.
const handshakeTimeout = 10 * time.Second

// Buffer sizes of the hijacked connection. Reads go through fasthttp's own
// 4 KiB reader, kept with the hijacked connection (it may hold bytes read
// past the request): the reader coder/websocket gets only needs to hold a
// frame header, and reads larger than it pass straight through. A second
// 4 KiB reader would cost every idle connection 4 KiB for nothing. Writes go
// straight to the TCP connection through a 4 KiB writer, as net/http's, so a
// frame up to that size is one write.
const (
	readBufferSize  = 256
	writeBufferSize = 4 << 10
)

// upgradeWriter is the http.ResponseWriter of the real websocket.Accept, run
// on the hijacked connection: its Hijack writes the 101 response that
// net/http would have written, then hands over the connection.
type upgradeWriter struct {
	conn     net.Conn // what coder/websocket reads, writes and closes
	header   http.Header
	status   int
	body     bytes.Buffer
	hijacked bool
}

var _ http.Hijacker = (*upgradeWriter)(nil)

func (w *upgradeWriter) Header() http.Header { return w.header }

func (w *upgradeWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}

func (w *upgradeWriter) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.body.Write(b)
}

func (w *upgradeWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if w.hijacked {
		return nil, nil, errors.New("fiberws: connection already hijacked")
	}
	w.hijacked = true
	if w.status == 0 {
		w.status = http.StatusSwitchingProtocols
	}
	if err := w.writeHead(); err != nil {
		return nil, nil, err
	}
	rw := bufio.NewReadWriter(bufio.NewReaderSize(w.conn, readBufferSize), bufio.NewWriterSize(w.conn, writeBufferSize))
	return w.conn, rw, nil
}

// writeHead writes the status line and headers straight to the connection.
func (w *upgradeWriter) writeHead() error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "HTTP/1.1 %d %s\r\n", w.status, http.StatusText(w.status))
	if err := w.header.Write(&b); err != nil {
		return fmt.Errorf("fiberws: write response header: %w", err)
	}
	b.WriteString("\r\n")
	_ = w.conn.SetWriteDeadline(time.Now().Add(handshakeTimeout))
	defer w.conn.SetWriteDeadline(time.Time{})
	if _, err := w.conn.Write(b.Bytes()); err != nil {
		return fmt.Errorf("fiberws: write %d response: %w", w.status, err)
	}
	return nil
}

// writeError sends the error response of a failed Accept, if Accept failed
// before hijacking. Only reached when the request changed between the dry
// run and the real one, which cannot happen, or when writing failed.
func (w *upgradeWriter) writeError() {
	if w.hijacked || w.status == 0 {
		return
	}
	w.header.Set("Content-Length", fmt.Sprint(w.body.Len()))
	w.header.Set("Connection", "close")
	if w.writeHead() == nil {
		_, _ = w.conn.Write(w.body.Bytes())
	}
}

// hijackedConn is the connection given to coder/websocket. Reads go through
// fasthttp's hijacked connection, whose buffer may hold bytes the client sent
// right after its request. Close really closes: fasthttp's Close is a no-op
// (it closes the connection itself once the hijack handler returns), but
// coder/websocket closes the connection to abort a write that timed out, and
// with a no-op that write would block for as long as the peer stays silent.
type hijackedConn struct {
	net.Conn          // fasthttp's hijacked connection
	raw      net.Conn // the TCP (or TLS) connection under it
}

func (c hijackedConn) Write(p []byte) (int, error) { return c.raw.Write(p) }
func (c hijackedConn) Close() error                { return c.raw.Close() }

// newHijackedConn unwraps fasthttp's hijacked connection when it can.
func newHijackedConn(c net.Conn) net.Conn {
	u, ok := c.(interface{ UnsafeConn() net.Conn })
	if !ok {
		return c
	}
	return hijackedConn{Conn: c, raw: u.UnsafeConn()}
}
