package live

import (
	"testing"
	"time"
)

func TestLoadMeter(t *testing.T) {
	var clock int64
	m := loadMeter{now: func() int64 { return clock }}
	at := func(d time.Duration) { clock = int64(d) }

	at(0)
	m.add(100)
	if m.over(10_000) {
		t.Fatal("100 messages at once is not 10,000 a second")
	}
	// A burst is seen within its window, before the window ends.
	at(20 * time.Millisecond)
	m.add(1_500)
	if !m.over(10_000) {
		t.Fatal("1,600 messages in 20 ms: over 10,000 a second")
	}
	// The next window starts from the burst's rate…
	at(100 * time.Millisecond)
	m.add(1)
	if !m.over(10_000) {
		t.Fatal("the window after a burst of 16,000 a second still counts as busy")
	}
	// …and a quiet window brings it down.
	at(1100 * time.Millisecond)
	m.add(1)
	if m.over(10_000) {
		t.Fatalf("one message in a second is not busy (last %d/s)", m.last.Load())
	}
	if !m.over(-1) {
		t.Fatal("a negative threshold means always")
	}
}
