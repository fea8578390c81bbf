package rotation

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestLowerBoundTiny compares the lower bound, and the planner, with the true optimum found by
// trying every plan of tiny problems: the bound must never be above it, and the planner should
// reach it. Then the same with a first round played, someone perhaps absent from it (a late
// arrival), where the bound also counts the step from the played round to the next.
func TestLowerBoundTiny(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(5, 5))
	tight, tried := 0, 0
	for tried < 40 {
		p := tinyProblem(rng)
		if tried >= 25 {
			seats := Random(p).Rounds[0]
			absent := rng.IntN(len(p.People) + 1) // perhaps nobody
			round := make([]string, len(p.People))
			for i, tb := range seats {
				if i != absent {
					round[i] = p.Tables[tb].ID
				}
			}
			p.Played = [][]string{round}
		}
		best, ok := bruteForce(p)
		if !ok {
			continue // no plan without revisits: the bound says nothing
		}
		tried++
		lb := LowerBoundRepeatedPairs(p)
		if lb > best {
			t.Fatalf("bound %d above the optimum %d for %+v", lb, best, p)
		}
		if lb == best {
			tight++
		}
		p.Budget = time.Minute // the work decides, even on a busy machine
		plan, err := solve(p, 0.25)
		if err != nil {
			t.Fatal(err)
		}
		if q := Measure(p, plan); q.Revisits != 0 || q.RepeatedPairs != best {
			t.Fatalf("planner: %+v, the optimum is %d repeated pairs, for %+v", q, best, p)
		}
	}
	t.Logf("the bound is the optimum in %d of %d tiny problems (the last 15 with a round played)", tight, tried)
}

// TestLowerBoundLeaving: the bound after a played round, with people at crowded tables who must
// part in the next round, against the true optimum of tiny problems; someone may have missed the
// played round (a late arrival). The bound must never be above the optimum, and it must be
// reached often: the step from the played round is what forces the repeats here.
func TestLowerBoundLeaving(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(6, 6))
	tight, forced, tried := 0, 0, 0
	for tried < 30 {
		p := Problem{Rounds: 2 + rng.IntN(2), Seed: rng.Uint64()}
		T := 2 + rng.IntN(2)
		n := 2*T + rng.IntN(9-2*T)
		if p.Rounds == 3 {
			n = min(n, 7) // trying every plan of two rounds of 8 people takes too long
		}
		for k := range T {
			p.Tables = append(p.Tables, Table{ID: fmt.Sprintf("t%d", k)})
		}
		for i := range n {
			person := Person{ID: fmt.Sprintf("p%d", i)}
			if i < T && rng.IntN(3) == 0 {
				person.Host = p.Tables[i].ID
			}
			p.People = append(p.People, person)
		}
		seats := Random(p).Rounds[0]
		absent := rng.IntN(2 * n) // someone half the time
		round := make([]string, n)
		for i, tb := range seats {
			if i != absent {
				round[i] = p.Tables[tb].ID
			}
		}
		p.Played = [][]string{round}
		best, ok := bruteForce(p)
		if !ok {
			continue
		}
		tried++
		in, _ := newInstance(p)
		lb := in.lowerBound()
		if lb > best {
			t.Fatalf("bound %d (leaving %d) above the optimum %d for %+v", lb, in.leaving(), best, p)
		}
		if lb == best {
			tight++
		}
		if in.leaving() > 0 {
			forced++
		}
	}
	t.Logf("the bound is the optimum in %d of %d, leaving forces repeats in %d", tight, tried, forced)
	if forced < tried/2 || tight < tried/2 {
		t.Errorf("leaving forces repeats in %d of %d, the bound is tight in %d: the test checks little", forced, tried, tight)
	}
}

func tinyProblem(rng *rand.Rand) Problem {
	p := Problem{Rounds: 2 + rng.IntN(2), Seed: rng.Uint64()}
	T := 2 + rng.IntN(2)
	n := T + 1 + rng.IntN(7-T) // up to 7 people: trying every plan takes up to a second
	for t := range T {
		p.Tables = append(p.Tables, Table{ID: fmt.Sprintf("t%d", t)})
	}
	for i := range n {
		person := Person{ID: fmt.Sprintf("p%d", i)}
		if i < T && rng.IntN(2) == 0 {
			person.Host = p.Tables[i].ID
		}
		p.People = append(p.People, person)
	}
	return p
}

// bruteForce tries every plan of p (its played rounds as played) with the planner's table sizes
// (any choice of the extra seats) and no avoidable revisit, and returns the fewest repeated pairs; ok is false if there is none.
func bruteForce(p Problem) (best int, ok bool) {
	in, err := newInstance(p)
	if err != nil {
		panic(err)
	}
	lv := in.levels()
	flexible := make([]bool, in.tables)
	for _, t := range lv.flexible {
		flexible[t] = true
	}
	// Every seating of one round at balanced tables.
	var rounds [][]int
	seats := make([]int, in.n)
	var deal func(i int)
	deal = func(i int) {
		if i == in.n {
			for t, c := range sizes(p, seats) {
				if c != lv.size[t] && !(flexible[t] && c == lv.size[t]+1) {
					return
				}
			}
			rounds = append(rounds, append([]int(nil), seats...))
			return
		}
		if in.host[i] >= 0 {
			seats[i] = in.host[i]
			deal(i + 1)
			return
		}
		for t := range in.tables {
			seats[i] = t
			deal(i + 1)
		}
	}
	deal(0)
	best = -1
	plan := Plan{Rounds: slices.Clone(in.history)}
	var search func()
	search = func() {
		q := Measure(p, plan)
		if q.Revisits > 0 || best >= 0 && q.RepeatedPairs >= best {
			return // revisits and repeated pairs only grow with more rounds
		}
		if len(plan.Rounds) == p.Rounds {
			best = q.RepeatedPairs
			return
		}
		for _, seats := range rounds {
			plan.Rounds = append(plan.Rounds, seats)
			search()
			plan.Rounds = plan.Rounds[:len(plan.Rounds)-1]
		}
	}
	search()
	return best, best >= 0
}

// TestLowerBoundCases: the bounds of the default cases, as worked out by hand in bound.go's
// reasoning. At 34 people at 4 tables, a table's 7 or 8 travellers must spread over the 3 other
// tables the next round, so 3+2+2 or 3+3+2 of them meet again: 5 or 7 pairs, 24 for the four
// tables, twice over three rounds.
func TestLowerBoundCases(t *testing.T) {
	want := []int{48, 0, 0, 0}
	for k, c := range fixedCases()[:len(want)] {
		if got := LowerBoundRepeatedPairs(c.Problem); got != want[k] {
			t.Errorf("%s: bound %d, want %d", c.Name, got, want[k])
		}
	}
	// Many rounds at few tables: counting meetings decides. 10 people, 2 tables of 5, 9 rounds:
	// 9·2·C(5,2) = 180 meetings among C(10,2) = 45 pairs, so at least 135 repeats.
	p := NewCase(10, 2, 9, 0, 1).Problem
	for i := range p.People {
		p.People[i].Host = ""
	}
	if got := LowerBoundRepeatedPairs(p); got != 135 {
		t.Errorf("10 people, 2 tables, 9 rounds: bound %d, want 135", got)
	}
	if got := LowerBoundRepeatedPairs(Problem{}); got != 0 {
		t.Errorf("invalid problem: bound %d, want 0", got)
	}
}
