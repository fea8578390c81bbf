package live

import (
	"log/slog"
	"time"
)

// Options tunes a Conn. The zero value of each field selects its default.
type Options struct {
	// MaxQueueBytes bounds the bytes waiting to be written (including the
	// batch being written). Default 1 MiB. A Send that would exceed it closes
	// the connection with StatusTooSlow.
	MaxQueueBytes int

	// WriteTimeout bounds each frame write. Default 10 s. A phone that stops
	// reading is dropped after it.
	WriteTimeout time.Duration

	// PingInterval is the time between keepalive pings. Default 25 s, short
	// enough for the idle timeouts of mobile carriers and proxies. Negative
	// disables pings.
	PingInterval time.Duration

	// PongTimeout is how long a ping may wait for its pong before the
	// connection is dropped. Default 10 s.
	PongTimeout time.Duration

	// CloseTimeout bounds how long Close spends flushing the queue before it
	// gives up on the peer. Default 2 s.
	CloseTimeout time.Duration

	// ReadLimit is the largest frame Read returns. Default 64 KiB.
	ReadLimit int64

	// HardReadLimit is the largest frame Read drains and reports as
	// ErrFrameTooLarge; anything larger closes the connection with
	// StatusMessageTooBig (1009). Default 1 MiB.
	HardReadLimit int64

	// FrameGap is the least time between two frames to one connection while
	// the process queues more than FrameGapAbove messages a second: what
	// arrives meanwhile goes out joined in the next frame. In a burst to
	// thousands of sockets, one frame per message costs several times the CPU
	// of one frame per gap (see design notes); under that load every message
	// is written at once. Default 50 ms (25 ms left a room of 4,000 sockets
	// saturated in one run out of two); negative writes every message at once.
	FrameGap time.Duration
	// FrameGapAbove is the process-wide rate of queued messages (per second,
	// every connection together) above which FrameGap applies. Default 10,000;
	// negative: always.
	FrameGapAbove float64

	// Logger receives connection events. Default slog.Default(). Pass one
	// carrying the participant and remote address as attributes.
	Logger *slog.Logger
}

// Defaults of Options.
const (
	DefaultMaxQueueBytes = 1 << 20
	DefaultWriteTimeout  = 10 * time.Second
	DefaultPingInterval  = 25 * time.Second
	DefaultPongTimeout   = 10 * time.Second
	DefaultCloseTimeout  = 2 * time.Second
	DefaultReadLimit     = 64 << 10
	DefaultHardReadLimit = 1 << 20
	DefaultFrameGap      = 50 * time.Millisecond
	DefaultFrameGapAbove = 10_000
)

func (o Options) withDefaults() Options {
	if o.MaxQueueBytes <= 0 {
		o.MaxQueueBytes = DefaultMaxQueueBytes
	}
	if o.WriteTimeout <= 0 {
		o.WriteTimeout = DefaultWriteTimeout
	}
	if o.PingInterval == 0 {
		o.PingInterval = DefaultPingInterval
	}
	if o.PongTimeout <= 0 {
		o.PongTimeout = DefaultPongTimeout
	}
	if o.CloseTimeout <= 0 {
		o.CloseTimeout = DefaultCloseTimeout
	}
	if o.ReadLimit <= 0 {
		o.ReadLimit = DefaultReadLimit
	}
	if o.HardReadLimit <= 0 {
		o.HardReadLimit = DefaultHardReadLimit
	}
	if o.FrameGap == 0 {
		o.FrameGap = DefaultFrameGap
	}
	if o.FrameGapAbove == 0 {
		o.FrameGapAbove = DefaultFrameGapAbove
	}
	// A hard limit below the soft one would make the soft one unreachable.
	o.HardReadLimit = max(o.HardReadLimit, o.ReadLimit)
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return o
}
