package httpapi

import "net"

// socketSendBuffer caps what the kernel holds for one connection. Left alone, Linux lets it grow
// to megabytes, so a phone that stopped reading would pin that memory and go unnoticed by the
// queue bound of internal/live for as long; 256 KiB still carries a large snapshot at full speed.
const socketSendBuffer = 256 << 10

// Listener wraps the server's listener so that every accepted connection gets that cap. It is set
// at accept time because fasthttp hands a hijacked connection over wrapped, without its TCP knobs.
func Listener(ln net.Listener) net.Listener { return cappedListener{ln} }

type cappedListener struct{ net.Listener }

func (l cappedListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetWriteBuffer(socketSendBuffer)
	}
	return c, err
}
