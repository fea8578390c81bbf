package loadtest

import (
	"math"
	"math/bits"
	"sync/atomic"
	"time"
)

// Hist is a log-linear histogram of durations in microseconds, in the manner of HDR histograms:
// each power of two is split into 2^subBits equal buckets, so any recorded value is known to
// within 1/2^subBits (under 1%) whatever its size. Record is lock-free and safe from any goroutine.
type Hist struct {
	counts [histBuckets]atomic.Uint64
	n      atomic.Uint64
	max    atomic.Int64 // exact, in nanoseconds
	sum    atomic.Int64 // in microseconds
}

const (
	subBits     = 7
	subCount    = 1 << subBits
	maxExponent = 40 // 2^40 µs is 12 days
	histBuckets = (maxExponent - subBits + 2) * subCount
)

func bucketOf(us uint64) int {
	if us < subCount {
		return int(us)
	}
	e := bits.Len64(us) - subBits - 1 // us>>e is in [subCount, 2·subCount)
	if e > maxExponent-subBits {
		return histBuckets - 1
	}
	return (e+1)*subCount + int(us>>e) - subCount
}

// bucketMid is the middle of bucket i, in microseconds.
func bucketMid(i int) float64 {
	if i < subCount {
		return float64(i)
	}
	e := i/subCount - 1
	lo := uint64(i%subCount+subCount) << e
	return float64(lo) + float64(uint64(1)<<e)/2
}

// Record adds one duration (negative ones count as zero).
func (h *Hist) Record(d time.Duration) {
	d = max(d, 0)
	us := uint64(d / time.Microsecond)
	h.counts[bucketOf(us)].Add(1)
	h.n.Add(1)
	h.sum.Add(int64(us))
	for {
		m := h.max.Load()
		if int64(d) <= m || h.max.CompareAndSwap(m, int64(d)) {
			return
		}
	}
}

// Count is how many values were recorded.
func (h *Hist) Count() uint64 { return h.n.Load() }

// Quantile returns the value at quantile q (0 to 1), 0 when empty. The maximum is exact.
func (h *Hist) Quantile(q float64) time.Duration {
	n := h.n.Load()
	if n == 0 {
		return 0
	}
	if q >= 1 {
		return time.Duration(h.max.Load())
	}
	rank := uint64(math.Ceil(q * float64(n)))
	rank = max(rank, 1)
	var seen uint64
	for i := range h.counts {
		seen += h.counts[i].Load()
		if seen >= rank {
			v := time.Duration(bucketMid(i) * float64(time.Microsecond))
			return min(v, time.Duration(h.max.Load()))
		}
	}
	return time.Duration(h.max.Load())
}

// Merge adds o's values to h.
func (h *Hist) Merge(o *Hist) {
	for i := range o.counts {
		if c := o.counts[i].Load(); c > 0 {
			h.counts[i].Add(c)
		}
	}
	h.n.Add(o.n.Load())
	h.sum.Add(o.sum.Load())
	for {
		m, om := h.max.Load(), o.max.Load()
		if om <= m || h.max.CompareAndSwap(m, om) {
			return
		}
	}
}

// Summary is what a report shows of a histogram.
type Summary struct {
	N                  uint64
	P50, P90, P99, Max time.Duration
	Mean               time.Duration
}

// Summary freezes the histogram's figures.
func (h *Hist) Summary() Summary {
	s := Summary{N: h.Count(), P50: h.Quantile(0.5), P90: h.Quantile(0.9), P99: h.Quantile(0.99), Max: h.Quantile(1)}
	if s.N > 0 {
		s.Mean = time.Duration(h.sum.Load()/int64(s.N)) * time.Microsecond
	}
	return s
}
