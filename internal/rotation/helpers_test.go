package rotation

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"sync"
	"testing"
)

// randomProblem makes a solvable problem of up to about people people: tables of mixed
// capacities (some without limit), zero to two hosts per table, organisations for some, and
// sometimes rounds already played (with people absent from them).
func randomProblem(rng *rand.Rand, people int) Problem {
	n := rng.IntN(people + 1)
	T := 1 + rng.IntN(min(12, n/2+2))
	p := Problem{Rounds: 1 + rng.IntN(6), Seed: rng.Uint64()}
	share := (n + T - 1) / T
	seats := 0
	for t := range T {
		c := 0 // no limit
		if rng.IntN(4) > 0 {
			c = max(1, share+rng.IntN(5)-1)
		}
		p.Tables = append(p.Tables, Table{ID: fmt.Sprintf("t%d", t), Capacity: c})
		seats += c
		if c == 0 {
			seats += n
		}
	}
	for seats < n { // grow capacities until everyone fits
		t := rng.IntN(T)
		if p.Tables[t].Capacity > 0 {
			p.Tables[t].Capacity++
			seats++
		}
	}
	hosts := make([]int, T)
	orgs := 1 + rng.IntN(6)
	for i := range n {
		person := Person{ID: fmt.Sprintf("p%d", i)}
		if t := rng.IntN(T); rng.IntN(3) == 0 && hosts[t] < 2 && (p.Tables[t].Capacity == 0 || hosts[t] < p.Tables[t].Capacity-1) {
			person.Host = p.Tables[t].ID
			hosts[t]++
		}
		if rng.IntN(2) == 0 {
			person.Organisation = fmt.Sprintf("o%d", rng.IntN(orgs))
		}
		p.People = append(p.People, person)
	}
	if rng.IntN(2) == 0 {
		p.OrgWeight = rng.Float64()
	}
	if rng.IntN(3) == 0 && p.Rounds > 1 {
		// Rounds played from a random plan, with a few people absent (arrived late).
		played := Random(p).Rounds[:rng.IntN(p.Rounds)]
		for _, seats := range played {
			round := make([]string, n)
			for i, t := range seats {
				if rng.IntN(10) > 0 {
					round[i] = p.Tables[t].ID
				}
			}
			p.Played = append(p.Played, round)
		}
	}
	return p
}

// sizes counts the people at each table in one round.
func sizes(p Problem, seats []int) []int {
	n := make([]int, len(p.Tables))
	for _, t := range seats {
		if t >= 0 {
			n[t]++
		}
	}
	return n
}

// checkBalanced fails unless the sizes are as even as capacities and hosts allow: a table may be
// more than one above another only if its hosts force it up or the other's capacity holds it down.
func checkBalanced(t *testing.T, p Problem, r int, n []int) {
	t.Helper()
	hosts := make([]int, len(p.Tables))
	for _, person := range p.People {
		if k := slices.IndexFunc(p.Tables, func(tb Table) bool { return tb.ID == person.Host }); k >= 0 {
			hosts[k]++
		}
	}
	for a := range n {
		for b := range n {
			if n[a] > n[b]+1 && n[a] > hosts[a] && (p.Tables[b].Capacity == 0 || n[b] < p.Tables[b].Capacity) {
				t.Fatalf("round %d: table %s has %d, table %s has %d (sizes %v)", r, p.Tables[a].ID, n[a], p.Tables[b].ID, n[b], n)
			}
		}
	}
}

// solved holds the plans solveOnce made, so that tests planning the same default case (TestQuality
// and, for the plan made before a change of roster, TestChurn) plan it once.
var solved struct {
	sync.Mutex
	entries []*solvedEntry
}

type solvedEntry struct {
	p    Problem
	once sync.Once
	plan Plan
	err  error
}

// solveOnce is Solve(p), made once per problem for the whole test binary. The plan is shared:
// callers must not change it.
func solveOnce(p Problem) (Plan, error) {
	solved.Lock()
	var e *solvedEntry
	for _, x := range solved.entries {
		if reflect.DeepEqual(x.p, p) {
			e = x
			break
		}
	}
	if e == nil {
		e = &solvedEntry{p: p}
		solved.entries = append(solved.entries, e)
	}
	solved.Unlock()
	e.once.Do(func() { e.plan, e.err = Solve(p) })
	return e.plan, e.err
}
