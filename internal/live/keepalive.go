package live

import (
	"context"
	"time"

	"github.com/coder/websocket"
)

// startPings arms the first keepalive ping. A timer rather than a goroutine
// per connection: an idle connection then costs no stack for its pings, and
// a ping's goroutine lives only while it waits for the pong.
func (c *Conn) startPings() {
	if c.opts.PingInterval < 0 {
		return
	}
	c.mu.Lock() // ping reads pingTimer under mu
	c.pingTimer = time.AfterFunc(c.opts.PingInterval, c.ping)
	c.mu.Unlock()
}

// ping sends one ping and waits for its pong, which arrives through Read:
// coder/websocket's Ping needs a reader running. A missing pong means the
// peer, or the caller's read loop, is stuck; either way the connection goes.
func (c *Conn) ping() {
	c.mu.Lock()
	if c.mode != open {
		c.mu.Unlock()
		return
	}
	c.pinging.Add(1) // under mu so that finish cannot be in pinging.Wait yet
	c.mu.Unlock()
	defer c.pinging.Done()

	ctx, cancel := context.WithTimeout(context.Background(), c.opts.PongTimeout)
	err := c.ws.Ping(ctx)
	cancel()
	if err != nil {
		if c.closing() {
			return // the ping failed because the connection is closing
		}
		c.log.Info("live: keepalive failed, dropping connection", "err", err)
		c.startClose(closeAbort, websocket.StatusGoingAway, "")
		return
	}

	c.mu.Lock()
	if c.mode == open {
		c.pingTimer.Reset(c.opts.PingInterval)
	}
	c.mu.Unlock()
}

// stopPings cancels the next ping and waits for one in flight, which ends
// promptly since ws is closed by now.
func (c *Conn) stopPings() {
	c.mu.Lock()
	t := c.pingTimer
	c.mu.Unlock()
	if t == nil {
		return
	}
	t.Stop()
	c.pinging.Wait()
}
