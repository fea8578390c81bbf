package rotation

import (
	"math/rand/v2"
	"testing"
)

// TestMeets: the hash tables count as a plain map does, through growth and counts back to 0.
func TestMeets(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	m := newMeets(denseMeets+1, 10)
	want := map[[2]int]int{}
	for range 200_000 {
		p, q := rng.IntN(50), rng.IntN(2000)
		if p == q {
			continue
		}
		d := 1
		if want[[2]int{p, q}] > 0 && rng.IntN(2) == 0 {
			d = -1
		}
		m.add(p, q, d)
		want[[2]int{p, q}] += d
		want[[2]int{q, p}] += d
	}
	for k, c := range want {
		if got := m.get(k[0], k[1]); got != c {
			t.Fatalf("%v: %d, want %d", k, got, c)
		}
	}
	if m.get(3, 4999) != 0 {
		t.Error("a pair never met counts")
	}
}

// TestLargeRoom: above the dense limit (sparse meetings) and the old limit of 4,000 people,
// the plan follows every rule, checked by the independent scorer, and repeats nobody where the
// hand method shows it can be done; the limit is 10,000.
func TestLargeRoom(t *testing.T) {
	t.Parallel()
	people := 10_000
	if testing.Short() {
		people = 4_500
	}
	p := NewCase(people, people/20, 6, 0, 12).Problem
	plan, err := Solve(p)
	if err != nil {
		t.Fatal(err)
	}
	s := checkRules(t, p, plan, 1)
	if s.repeats != 0 {
		t.Errorf("%d repeated pairs", s.repeats)
	}
	p = NewCase(MaxPeople+1, 100, 2, 0, 1).Problem
	if _, err := Solve(p); err == nil {
		t.Errorf("%d people planned", MaxPeople+1)
	}
	// The greedy start and the search at that size, with organisations (no construction applies).
	p = NewCase(people, people/20, 3, 10, 13).Problem
	plan, err = Solve(p)
	if err != nil {
		t.Fatal(err)
	}
	s = checkRules(t, p, plan, 1)
	t.Logf("%d people, organisations: %v", people, s)
}
