package loadtest

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func TestHistQuantilesWithinOnePercent(t *testing.T) {
	var h Hist
	rng := rand.New(rand.NewPCG(1, 2))
	var all []time.Duration
	for range 100000 {
		// Log-uniform from 1 µs to 10 s: every bucket size is exercised.
		d := time.Duration(float64(time.Microsecond) * math.Pow(10, rng.Float64()*7))
		all = append(all, d)
		h.Record(d)
	}
	slices.Sort(all)
	for _, q := range []float64{0.01, 0.5, 0.9, 0.99, 0.999} {
		want := all[int(q*float64(len(all)))-1]
		got := h.Quantile(q)
		// Within 1%, or 1 µs (the resolution) for the smallest values.
		if diff := float64(got-want) / float64(want); (diff > 0.01 || diff < -0.01) && (got-want).Abs() > time.Microsecond {
			t.Errorf("q%.3f: got %v, want %v (%.2f%% off)", q, got, want, 100*diff)
		}
	}
	if got := h.Quantile(1); got != all[len(all)-1] {
		t.Errorf("max: got %v, want %v exactly", got, all[len(all)-1])
	}
	if h.Count() != uint64(len(all)) {
		t.Errorf("count %d", h.Count())
	}
}

func TestHistEdges(t *testing.T) {
	var h Hist
	if h.Quantile(0.5) != 0 || h.Summary().N != 0 {
		t.Fatal("empty histogram should read zero")
	}
	h.Record(-time.Second) // counts as zero
	h.Record(0)
	h.Record(100 * 24 * time.Hour) // beyond the last bucket: clamped, max still exact
	if h.Quantile(0.5) != 0 {
		t.Errorf("median %v, want 0", h.Quantile(0.5))
	}
	if h.Quantile(1) != 100*24*time.Hour {
		t.Errorf("max %v", h.Quantile(1))
	}
	for i := range histBuckets - 1 {
		if bucketMid(i) >= bucketMid(i+1) {
			t.Fatalf("bucket %d's middle %v is not below the next one's %v", i, bucketMid(i), bucketMid(i+1))
		}
	}
	var m Hist
	m.Merge(&h)
	if m.Count() != 3 || m.Quantile(1) != h.Quantile(1) {
		t.Errorf("merge: %d values, max %v", m.Count(), m.Quantile(1))
	}
}
