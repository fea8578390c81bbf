// Package memtrim gives the operating system back the heap the Go runtime keeps after a burst,
// once the process has gone quiet.
//
// A café is bursty: hundreds of phones join in a few minutes, or post in the minute a round ends,
// then sit idle for twenty minutes. With GOGC the heap grows to about twice what is live before
// it is collected, and the runtime keeps what it freed mapped: its scavenger only returns memory
// above roughly the last heap goal. After 2,000 phones joined, Nappe held 65 MB of free heap for
// 40 MB live, some 30 KB per idle connection that nothing would use until the next burst. When
// allocation has been low for a few looks in a row and enough heap is free, Run calls
// debug.FreeOSMemory: one collection and the free pages returned, during a lull, not a burst.
package memtrim

import (
	"context"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// Options tunes Run. The zero value is usable.
type Options struct {
	// Interval between two looks at the heap (default 2 s).
	Interval time.Duration
	// QuietLooks is how many looks in a row must see little allocation (default 2).
	QuietLooks int
	// QuietBytes is the most a look may see allocated since the one before and still count as
	// quiet (default 4 MiB; an idle room of 2,000 phones allocates well under 1 MiB a second,
	// pings and presence included).
	QuietBytes uint64
	// MinFree is the reclaimable heap worth returning (default 16 MiB): below it a collection
	// is not worth its CPU.
	MinFree uint64
	// OnTrim, when set, is told how many bytes were reclaimable before each trim.
	OnTrim func(freed uint64)
}

func (o Options) withDefaults() Options {
	if o.Interval <= 0 {
		o.Interval = 2 * time.Second
	}
	if o.QuietLooks <= 0 {
		o.QuietLooks = 2
	}
	if o.QuietBytes == 0 {
		o.QuietBytes = 4 << 20
	}
	if o.MinFree == 0 {
		o.MinFree = 16 << 20
	}
	return o
}

// Sample is one look at the heap.
type Sample struct {
	Allocs uint64 // bytes allocated since the process started
	// Reclaimable is the heap held beyond what the last collection found live: memory free and
	// not yet returned, plus garbage not yet collected. After a burst that ends just short of
	// the next collection, most of it is garbage, which free memory alone would not show.
	Reclaimable uint64
}

// Trimmer decides when to trim from successive samples. It does no I/O, so that the rule can be
// tested without a heap to shape.
type Trimmer struct {
	opts   Options
	seen   bool
	allocs uint64
	quiet  int
}

// NewTrimmer returns a Trimmer with opts (defaults filled in).
func NewTrimmer(opts Options) *Trimmer { return &Trimmer{opts: opts.withDefaults()} }

// Observe takes the next sample and reports whether to trim now.
func (t *Trimmer) Observe(s Sample) bool {
	if !t.seen {
		t.seen, t.allocs = true, s.Allocs
		return false
	}
	delta := s.Allocs - t.allocs
	t.allocs = s.Allocs
	if delta > t.opts.QuietBytes {
		t.quiet = 0
		return false
	}
	t.quiet++
	if t.quiet < t.opts.QuietLooks || s.Reclaimable < t.opts.MinFree {
		return false
	}
	// Trimmed: the free heap is gone, and it takes another burst to bring it back.
	t.quiet = 0
	return true
}

// Run looks at the heap every Interval until ctx is done, trimming when the Trimmer says so.
func Run(ctx context.Context, opts Options) {
	opts = opts.withDefaults()
	t := NewTrimmer(opts)
	tick := time.NewTicker(opts.Interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		s := Read()
		if t.Observe(s) {
			debug.FreeOSMemory()
			if opts.OnTrim != nil {
				opts.OnTrim(s.Reclaimable)
			}
		}
	}
}

// Read samples the runtime's heap metrics.
func Read() Sample {
	m := []metrics.Sample{
		{Name: "/gc/heap/allocs:bytes"},
		{Name: "/memory/classes/heap/free:bytes"},
		{Name: "/memory/classes/heap/objects:bytes"}, // live objects and garbage not yet swept
		{Name: "/gc/heap/live:bytes"},                // what the last collection marked live
	}
	metrics.Read(m)
	held := value(m[1]) + value(m[2])
	live := value(m[3])
	s := Sample{Allocs: value(m[0])}
	if held > live {
		s.Reclaimable = held - live
	}
	return s
}

func value(s metrics.Sample) uint64 {
	if s.Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s.Value.Uint64()
}
