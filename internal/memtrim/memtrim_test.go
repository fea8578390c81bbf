package memtrim_test

import (
	"context"
	"runtime"
	"testing"
	"time"

	"nappe/internal/memtrim"
)

func TestTrimsOnceQuietAfterABurst(t *testing.T) {
	const MiB = 1 << 20
	tr := memtrim.NewTrimmer(memtrim.Options{QuietLooks: 2, QuietBytes: 4 * MiB, MinFree: 16 * MiB})
	var allocs uint64
	look := func(allocated, free uint64) bool {
		allocs += allocated
		return tr.Observe(memtrim.Sample{Allocs: allocs, Reclaimable: free})
	}
	steps := []struct {
		name            string
		allocated, free uint64
		want            bool
	}{
		{"first look sets the reference", 0, 80 * MiB, false},
		{"burst", 300 * MiB, 80 * MiB, false},
		{"burst goes on", 50 * MiB, 80 * MiB, false},
		{"quiet once", 1 * MiB, 80 * MiB, false},
		{"quiet twice: trim", 1 * MiB, 80 * MiB, true},
		{"quiet, nothing left to free", 1 * MiB, 2 * MiB, false},
		{"still quiet, still little free", 0, 2 * MiB, false},
		{"next burst", 200 * MiB, 60 * MiB, false},
		{"quiet once", 0, 60 * MiB, false},
		{"quiet twice: trim again", 0, 60 * MiB, true},
		{"steady trickle below the bar, free heap small", 3 * MiB, 10 * MiB, false},
		{"trickle", 3 * MiB, 12 * MiB, false},
	}
	for _, s := range steps {
		if got := look(s.allocated, s.free); got != s.want {
			t.Fatalf("%s: trim = %v, want %v", s.name, got, s.want)
		}
	}
}

var sink []byte

// Run really returns memory: after a burst of garbage that no collection has swept yet (a burst
// that ends just short of the next collection), the heap goes back to the OS.
func TestRunReturnsFreeHeap(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	trimmed := make(chan uint64, 1)
	go memtrim.Run(ctx, memtrim.Options{Interval: 20 * time.Millisecond, MinFree: 8 << 20,
		OnTrim: func(freed uint64) {
			select {
			case trimmed <- freed:
			default:
			}
		}})

	// A live heap of 32 MiB lets the heap grow to about 64 MiB before the next collection; 24 MiB
	// of garbage then stays uncollected, as after a burst that ends short of a collection.
	ballast := make([][]byte, 0, 4096)
	for range 4096 {
		ballast = append(ballast, make([]byte, 8<<10))
	}
	runtime.GC()
	for range 3072 {
		sink = make([]byte, 8<<10)
	}
	defer runtime.KeepAlive(ballast)

	select {
	case freed := <-trimmed:
		if freed < 8<<20 {
			t.Fatalf("trimmed with %d bytes free, below MinFree", freed)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("no trim within 10 s; reclaimable heap now %d bytes", memtrim.Read().Reclaimable)
	}
	deadline := time.Now().Add(5 * time.Second)
	for memtrim.Read().Reclaimable >= 8<<20 {
		if time.Now().After(deadline) {
			t.Fatalf("reclaimable heap still %d bytes after the trim", memtrim.Read().Reclaimable)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
