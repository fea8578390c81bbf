package live

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/coder/websocket"

	"nappe/internal/metrics"
)

// maxBatchBytes caps one joined frame. Each frame gets its own WriteTimeout,
// so a phone on a slow link that is still reading gets through a backlog in
// several frames instead of failing one huge write.
const maxBatchBytes = 64 << 10

// frameBufs holds the buffers messages are joined in. They are shared by all
// connections rather than kept per connection, so an idle connection that
// was once behind does not keep a 64 KiB buffer alive.
var frameBufs = sync.Pool{New: func() any {
	b := make([]byte, 0, 4<<10)
	return &b
}}

var (
	errEmptyMessage = errors.New("live: empty message")
	errNewline      = errors.New(`live: message contains "\n"`)
	errWriteTimeout = errors.New("live: write timed out")
	errCloseTimeout = errors.New("live: close timeout reached before the queue was written")
	errAborted      = errors.New("live: write cut short to drop the connection")
)

// writeLoop is the connection's only writer of data frames, started by Send
// or a close request. It writes everything queued, then ends; an idle
// connection has no writer.
func (c *Conn) writeLoop() {
	// Right after a frame, when the process is busy, let what else is coming
	// gather for the next one.
	if wait := c.opts.FrameGap - time.Since(c.lastFrame); wait > 0 && load.over(c.opts.FrameGapAbove) {
		time.Sleep(wait)
	}
	var spare [][]byte // the previous batch's array, reused for the next queue
	for {
		c.mu.Lock()
		batch, mode := c.queue, c.mode
		c.queue, spare = spare, nil
		if len(batch) == 0 && mode == open {
			// What stays in c.queue is the last batch's array (at most 256 entries), reused
			// by the next burst rather than grown again for every wake.
			c.writing = false
			c.mu.Unlock()
			return
		}
		c.mu.Unlock()
		if len(batch) == 0 {
			c.closeWS(mode)
			c.finish()
			return
		}
		if err := c.writeBatch(batch); err != nil {
			c.writeFailed(err)
			c.finish()
			return
		}
		c.lastFrame = time.Now()
		// A burst can leave a long array behind; keep only small ones.
		if cap(batch) <= 256 {
			spare = batch[:0]
		}
	}
}

// writeBatch writes batch as frames of up to maxBatchBytes, messages joined
// by "\n". It stops early, without error, when an abrupt close is requested.
func (c *Conn) writeBatch(batch [][]byte) error {
	for len(batch) > 0 {
		timeout, err := c.frameTimeout()
		if err != nil {
			c.release(batch)
			return err
		}
		n := frameSpan(batch)
		frame, buf := batch[0], (*[]byte)(nil)
		if n > 1 {
			buf = frameBufs.Get().(*[]byte)
			frame = join((*buf)[:0], batch[:n])
		}
		err = c.writeFrame(frame, timeout)
		if err == nil {
			metrics.WSFrames.Inc()
			metrics.WSMessages.Add(n)
			metrics.WSBytes.Add(len(frame))
		}
		if buf != nil && cap(frame) <= 2*maxBatchBytes {
			*buf = frame[:0]
			frameBufs.Put(buf)
		}
		stop := c.release(batch[:n])
		batch = batch[n:]
		if err != nil {
			c.release(batch)
			return err
		}
		if stop {
			c.release(batch)
			return nil
		}
	}
	return nil
}

// frameTimeout is WriteTimeout, shortened to what is left of CloseTimeout
// while Close flushes.
func (c *Conn) frameTimeout() (time.Duration, error) {
	c.mu.Lock()
	mode, closeBy := c.mode, c.closeBy
	c.mu.Unlock()
	if mode != closeFlush {
		return c.opts.WriteTimeout, nil
	}
	left := time.Until(closeBy)
	if left <= 0 {
		return 0, errCloseTimeout
	}
	return min(left, c.opts.WriteTimeout), nil
}

// release subtracts written (or abandoned) messages from the queued bytes and
// reports whether the writer should stop writing the current batch.
func (c *Conn) release(msgs [][]byte) (stop bool) {
	size := 0
	for _, m := range msgs {
		size += len(m)
	}
	clear(msgs) // the messages may be large and shared; don't pin them
	c.mu.Lock()
	c.queued -= size
	stop = c.mode >= closeNow
	c.mu.Unlock()
	return stop
}

// frameSpan returns how many leading messages of batch fit in one frame: at
// least one, however large.
func frameSpan(batch [][]byte) int {
	n, framed := 1, len(batch[0])
	for n < len(batch) && framed+1+len(batch[n]) <= maxBatchBytes {
		framed += 1 + len(batch[n])
		n++
	}
	return n
}

// join appends msgs to dst separated by "\n".
func join(dst []byte, msgs [][]byte) []byte {
	for i, m := range msgs {
		if i > 0 {
			dst = append(dst, '\n')
		}
		dst = append(dst, m...)
	}
	return dst
}

// writeFrame writes one text frame. Any error ends the connection.
func (c *Conn) writeFrame(frame []byte, timeout time.Duration) error {
	c.mu.Lock()
	c.writeDeadline = time.Now().Add(timeout)
	c.writeTimer.Reset(timeout)
	c.mu.Unlock()

	err := c.ws.Write(context.Background(), websocket.MessageText, frame)

	c.mu.Lock()
	c.writeDeadline = time.Time{}
	fired := !c.writeTimer.Stop()
	mode := c.mode
	c.mu.Unlock()
	if fired {
		// ws is closed, whatever Write returned.
		switch mode {
		case closeFlush:
			return errCloseTimeout
		case closeAbort:
			return errAborted
		}
		return fmt.Errorf("%w after %v", errWriteTimeout, timeout)
	}
	if err != nil {
		return fmt.Errorf("live: write: %w", err)
	}
	return nil
}

// shortenWriteLocked brings the deadline of a write in progress forward to
// at, so that Close is not held up by a write to a stalled peer for a whole
// WriteTimeout. The timer is only touched under mu, together with
// writeDeadline, so it cannot be re-armed after the write has finished.
func (c *Conn) shortenWriteLocked(at time.Time) {
	if c.writeDeadline.IsZero() || !at.Before(c.writeDeadline) {
		return
	}
	c.writeDeadline = at
	c.writeTimer.Reset(max(time.Until(at), 0))
}

// writeStalled runs when a write outlives its timeout. Closing the
// connection is the only way to unblock the write.
func (c *Conn) writeStalled() {
	_ = c.ws.CloseNow()
}

// writeFailed drops the connection. A peer that went away is routine; one
// that stopped reading is worth a line at Info.
func (c *Conn) writeFailed(err error) {
	level := slog.LevelDebug
	if errors.Is(err, errWriteTimeout) || errors.Is(err, errCloseTimeout) {
		level = slog.LevelInfo
	}
	c.log.Log(context.Background(), level, "live: dropping connection", "err", err)
	_ = c.ws.CloseNow()
}

// closeWS ends the connection as the close request asked.
func (c *Conn) closeWS(mode closeMode) {
	c.mu.Lock()
	code, reason := c.code, c.reason
	c.mu.Unlock()
	var err error
	if mode == closeAbort {
		err = c.ws.CloseNow()
	} else {
		err = c.ws.Close(code, reason)
	}
	if err != nil {
		c.log.Debug("live: close", "err", err, "code", int(code))
	}
}

// finish marks the connection closed for good and releases what it holds.
func (c *Conn) finish() {
	c.mu.Lock()
	if c.mode == open {
		c.mode = closeAbort
	}
	c.ended = true
	c.dropQueueLocked()
	c.mu.Unlock()
	c.writeTimer.Stop()
	c.stopPings()
	close(c.done)
}
