package live

import (
	"sync/atomic"
	"time"
)

// load measures how many messages this process queues to its connections, so that writers join
// messages into frames only when it matters. One frame per message costs a write system call per
// message and recipient: nothing for a table of twenty, but what starved a room of 4,000 sockets
// watching a burst (design notes). Under FrameGapAbove messages a second every message goes out at
// once; above it, a connection leaves FrameGap between two frames.
var load loadMeter

// loadWindow is how long the meter counts before it starts again.
const loadWindow = 100 * time.Millisecond

var epoch = time.Now()

type loadMeter struct {
	start atomic.Int64 // when the current window began, ns after epoch
	count atomic.Int64 // messages queued in the current window
	last  atomic.Int64 // messages a second over the previous window
	now   func() int64 // ns after epoch; nil: the clock (tests set it)
}

// add counts n messages queued now.
func (m *loadMeter) add(n int) {
	var now int64
	if m.now != nil {
		now = m.now()
	} else {
		now = int64(time.Since(epoch))
	}
	start := m.start.Load()
	if elapsed := now - start; elapsed >= int64(loadWindow) && m.start.CompareAndSwap(start, now) {
		m.last.Store(m.count.Swap(0) * int64(time.Second) / elapsed)
	}
	m.count.Add(int64(n))
}

// over reports whether the process queues more than perSecond messages a second: over the last
// window, or already within this one (a burst is seen as it starts, not a window later).
func (m *loadMeter) over(perSecond float64) bool {
	return float64(m.last.Load()) > perSecond || float64(m.count.Load()) > perSecond*loadWindow.Seconds()
}
