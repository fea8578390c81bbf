package live

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"unicode/utf8"

	"github.com/coder/websocket"
)

// Errors of Read about one frame. The connection is still usable after them:
// the caller answers with an error message and reads on.
var (
	ErrBinaryFrame   = errors.New("live: binary frame")
	ErrInvalidUTF8   = errors.New("live: text frame is not valid UTF-8")
	ErrFrameTooLarge = errors.New("live: frame too large")
)

// readBufs holds the buffers frames are read into before being copied out at
// their exact size, so that no connection keeps a buffer while idle.
var readBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// Read returns the next text frame (a whole message, however fragmented).
// Errors wrapping ErrBinaryFrame, ErrInvalidUTF8 or ErrFrameTooLarge concern
// that frame only. Any other error means the connection is finished: Read
// has then asked the writer to close it, and Done will be closed shortly.
//
// Cancelling ctx drops the connection without a close frame (coder/websocket
// closes it on any read error); to close politely, call Close from another
// goroutine and let Read return the resulting error.
func (c *Conn) Read(ctx context.Context) ([]byte, error) {
	typ, r, err := c.ws.Reader(ctx)
	if err != nil {
		return nil, c.readFailed(err)
	}
	if typ != websocket.MessageText {
		if _, err := io.Copy(io.Discard, r); err != nil {
			return nil, c.readFailed(err)
		}
		return nil, ErrBinaryFrame
	}

	buf := readBufs.Get().(*bytes.Buffer)
	defer putReadBuf(buf)
	buf.Reset()
	// One byte more than the limit tells "exactly at the limit" from "over".
	if _, err := buf.ReadFrom(&io.LimitedReader{R: r, N: c.opts.ReadLimit + 1}); err != nil {
		return nil, c.readFailed(err)
	}
	if int64(buf.Len()) > c.opts.ReadLimit {
		// Drain the rest so the connection can go on; coder/websocket stops
		// at HardReadLimit and closes with 1009.
		n, err := io.Copy(io.Discard, r)
		if err != nil {
			return nil, c.readFailed(err)
		}
		return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrFrameTooLarge, int64(buf.Len())+n, c.opts.ReadLimit)
	}
	if err := checkText(buf.Bytes()); err != nil {
		return nil, err
	}
	return bytes.Clone(buf.Bytes()), nil
}

// checkText validates a text frame's payload: coder/websocket does not check
// that text frames are UTF-8, as RFC 6455 requires.
func checkText(p []byte) error {
	if !utf8.Valid(p) {
		return ErrInvalidUTF8
	}
	return nil
}

// readFailed asks the writer to close a connection whose reads failed and
// wraps the error. The close handshake lets a 1009 sent by coder/websocket
// reach the client before the TCP connection goes.
func (c *Conn) readFailed(err error) error {
	c.startClose(closeNow, websocket.StatusNormalClosure, "")
	return fmt.Errorf("live: read: %w", err)
}

func putReadBuf(b *bytes.Buffer) {
	// A frame near the hard limit must not keep a megabyte in the pool.
	if b.Cap() > 2*DefaultReadLimit {
		return
	}
	readBufs.Put(b)
}
