package rotation

import (
	"math/rand/v2"
	"reflect"
	"sync/atomic"
	"testing"
	"time"
)

// TestSolveProperties checks, on random problems of every shape, what every plan must satisfy.
// The search runs with a twentieth of its usual work: these properties do not depend on it.
func TestSolveProperties(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(7, 7))
	count := 100
	if testing.Short() {
		count = 30
	}
	for k := range count {
		p := randomProblem(rng, 60)
		plan, err := solve(p, 0.05)
		if err != nil {
			t.Fatalf("problem %d: %v", k, err)
		}
		checkPlan(t, p, plan)
		q := Measure(p, plan)
		if q.CapacityViolations != 0 || q.HostsAway != 0 {
			t.Fatalf("problem %d: %+v", k, q)
		}
		// Without played rounds and with no more rounds than tables, exactly the revisits the
		// table sizes force; in any case no more than at random (TestSecondTour compares with
		// the hand method when there are more rounds than tables).
		if forced, ok := forcedRevisits(p, plan); ok && q.Revisits != forced {
			t.Fatalf("problem %d: %d revisits where the table sizes force %d", k, q.Revisits, forced)
		}
		if o := Measure(p, Random(p)); q.Revisits > o.Revisits {
			t.Fatalf("problem %d: %d revisits, random has %d", k, q.Revisits, o.Revisits)
		}
		if lb := LowerBoundRepeatedPairs(p); q.Revisits == 0 && q.RepeatedPairs < lb {
			t.Fatalf("problem %d: %d repeated pairs, below the lower bound %d", k, q.RepeatedPairs, lb)
		}
	}
}

// TestSecondTour: with more rounds than tables, people visit every table before a second visit
// anywhere, and the planner does it at least as well as the hand method. This needs the search's
// full work, so it runs on fewer problems.
func TestSecondTour(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(11, 7))
	count := 8
	if testing.Short() {
		count = 3
	}
	for k := 0; k < count; {
		p := randomProblem(rng, 40)
		if in, err := newInstance(p); err != nil || p.Rounds <= in.opens {
			continue
		}
		k++
		p.Budget = time.Minute
		plan, err := Solve(p)
		if err != nil {
			t.Fatal(err)
		}
		checkPlan(t, p, plan)
		if q, h := Measure(p, plan), Measure(p, HandMethod(p)); q.Revisits > h.Revisits {
			t.Fatalf("problem %d: %d revisits, the hand method has %d", k, q.Revisits, h.Revisits)
		}
	}
}

// checkPlan fails unless plan seats everyone of p in every round, played rounds as played, hosts
// at their tables, within capacities, at balanced tables.
func checkPlan(t *testing.T, p Problem, plan Plan) {
	t.Helper()
	if len(plan.Rounds) != p.Rounds {
		t.Fatalf("%d rounds, want %d", len(plan.Rounds), p.Rounds)
	}
	for r, seats := range plan.Rounds {
		if len(seats) != len(p.People) {
			t.Fatalf("round %d: %d seats for %d people", r, len(seats), len(p.People))
		}
		if r < len(p.Played) {
			for i, tb := range seats {
				if id := p.Played[r][i]; id == "" && tb != -1 || id != "" && (tb < 0 || p.Tables[tb].ID != id) {
					t.Fatalf("played round %d changed for %s: %q became %d", r, p.People[i].ID, id, tb)
				}
			}
			continue
		}
		for i, tb := range seats {
			if tb < 0 || tb >= len(p.Tables) {
				t.Fatalf("round %d: %s has no table (%d)", r, p.People[i].ID, tb)
			}
			if h := p.People[i].Host; h != "" && p.Tables[tb].ID != h {
				t.Fatalf("round %d: host %s at %s, not %s", r, p.People[i].ID, p.Tables[tb].ID, h)
			}
		}
		n := sizes(p, seats)
		for tb, c := range n {
			if capacity := p.Tables[tb].Capacity; capacity > 0 && c > capacity {
				t.Fatalf("round %d: %d people at %s of capacity %d", r, c, p.Tables[tb].ID, capacity)
			}
		}
		checkBalanced(t, p, r, n)
	}
}

// forcedRevisits is, for a problem without played rounds and with no more rounds than open
// tables, the revisits the plan's table sizes force: a table offering more traveller seats over
// the event than there are travellers must see that many come back. ok is false otherwise.
func forcedRevisits(p Problem, plan Plan) (int, bool) {
	in, err := newInstance(p)
	if err != nil || in.played > 0 || in.rounds > in.opens {
		return 0, false
	}
	travellers := 0
	for _, h := range in.host {
		if h < 0 {
			travellers++
		}
	}
	forced := 0
	for t := range in.tables {
		seats := 0
		for _, round := range plan.Rounds {
			for i, tb := range round {
				if tb == t && in.host[i] < 0 {
					seats++
				}
			}
		}
		forced += max(0, seats-travellers)
	}
	return forced, true
}

// TestSolveDeterministic: the same problem gives the same plan, whichever chain finishes first.
func TestSolveDeterministic(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	problems := []Problem{DefaultCases()[0].Problem, NewCase(60, 6, 4, 3, 5).Problem}
	for range 10 {
		problems = append(problems, randomProblem(rng, 40))
	}
	for k, p := range problems {
		p.Budget = time.Minute // far beyond the work: the deadline must not decide
		a, errA := solve(p, 0.1)
		b, errB := solve(p, 0.1)
		if errA != nil || errB != nil {
			t.Fatal(errA, errB)
		}
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("problem %d: two plans for one seed", k)
		}
	}
	// The public entry point, with its full work.
	p := DefaultCases()[0].Problem
	p.Budget = time.Minute
	a, _ := Solve(p)
	b, _ := Solve(p)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two plans for one seed")
	}
}

// TestReplan: re-planning keeps the rounds played, and a late arrival gets seats from then on.
func TestReplan(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(9, 9))
	for k := range 30 {
		p := randomProblem(rng, 50)
		p.Played = nil
		plan, err := solve(p, 0.05)
		if err != nil {
			t.Fatal(err)
		}
		from := rng.IntN(p.Rounds + 1)
		p, err = played(p, plan, from)
		if err != nil {
			t.Fatal(err)
		}
		again, err := solve(p, 0.05)
		if err != nil {
			t.Fatalf("problem %d: %v", k, err)
		}
		if !reflect.DeepEqual(again.Rounds[:from], plan.Rounds[:from]) {
			t.Fatalf("problem %d: played rounds changed", k)
		}
		checkPlan(t, p, again)
	}

	// Through the public entry point, and someone arrives after two rounds of four.
	p := NewCase(34, 4, 4, 0, 1).Problem
	p.Rounds = 3
	plan, err := Solve(p)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Replan(p, plan, 1)
	if err != nil || !reflect.DeepEqual(again.Rounds[:1], plan.Rounds[:1]) {
		t.Fatalf("replan: %v", err)
	}
	p.Rounds = 4
	p.People = append(p.People, Person{ID: "late"})
	p.Played = make([][]string, 2)
	for r := range p.Played {
		for _, tb := range plan.Rounds[r] {
			p.Played[r] = append(p.Played[r], p.Tables[tb].ID)
		}
		p.Played[r] = append(p.Played[r], "")
	}
	again, err = solve(p, 0.2)
	if err != nil {
		t.Fatal(err)
	}
	checkPlan(t, p, again)
	if q := Measure(p, again); q.Revisits != 0 {
		t.Fatalf("%d revisits after a late arrival", q.Revisits)
	}
}

// TestBudget: the time ceiling stops a search that would run longer, and the plan is still whole.
func TestBudget(t *testing.T) {
	p := NewCase(1000, 50, 5, 8, 9).Problem // about 0.3 s of work on two cores
	p.Budget = 20 * time.Millisecond
	begin := time.Now()
	plan, err := Solve(p)
	took := time.Since(begin)
	if err != nil {
		t.Fatal(err)
	}
	checkPlan(t, p, plan)
	var setup time.Duration // the greedy seating and the counts the search starts from
	{
		begin := time.Now()
		in, _ := newInstance(p)
		newChain(in, p.Seed, 0, [2]int{}, nil, new(atomic.Bool))
		setup = time.Since(begin)
	}
	if took > 2*setup+p.Budget+200*time.Millisecond {
		t.Fatalf("%v with a budget of %v (setup %v)", took, p.Budget, setup)
	}
	t.Logf("%v with a budget of %v (setup %v)", took, p.Budget, setup)
}
