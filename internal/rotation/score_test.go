package rotation

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// scored is what the independent scorer finds in a plan. It shares no code with the planner
// (not index, not revisits, not Measure): it reads the Problem by its ids, so that a bug in the
// planner's own counters cannot hide a bad plan.
type scored struct {
	repeats    int // Σ over pairs of max(0, rounds together − 1)
	revisits   int // rounds where someone sits at a table visited more often than some open table
	hostsMoved int // planned rounds where a host is not at their table
	overCap    int // people above capacity, summed over rounds and tables
	unseated   int // planned seats outside the tables
	imbalance  int // largest (biggest − smallest table) in a planned round, hosts included
}

func (s scored) String() string {
	return fmt.Sprintf("repeats %d, revisits %d, hosts moved %d, over capacity %d, unseated %d, imbalance %d",
		s.repeats, s.revisits, s.hostsMoved, s.overCap, s.unseated, s.imbalance)
}

// score counts, from scratch, how plan breaks Nappe's rules and how many pairs it repeats.
func score(p Problem, plan Plan) scored {
	var s scored
	hostsAt := map[string]int{}
	for _, person := range p.People {
		if person.Host != "" {
			hostsAt[person.Host]++
		}
	}
	// A table a traveller may go to: no limit, or room beyond its hosts.
	open := map[int]bool{}
	for t, tb := range p.Tables {
		open[t] = tb.Capacity == 0 || tb.Capacity > hostsAt[tb.ID]
	}
	together := map[[2]int]int{}
	visits := make([]map[int]int, len(p.People))
	for i := range visits {
		visits[i] = map[int]int{}
	}
	for r, seats := range plan.Rounds {
		planned := r >= len(p.Played)
		byTable := map[int][]int{}
		for i, t := range seats {
			if t < 0 || t >= len(p.Tables) {
				if planned {
					s.unseated++
				}
				continue
			}
			byTable[t] = append(byTable[t], i)
			person := p.People[i]
			if planned && person.Host != "" && p.Tables[t].ID != person.Host {
				s.hostsMoved++
			}
			if person.Host != p.Tables[t].ID {
				least := -1
				for u := range p.Tables {
					if open[u] && (least < 0 || visits[i][u] < least) {
						least = visits[i][u]
					}
				}
				if least >= 0 && visits[i][t] > least {
					s.revisits++
				}
			}
			visits[i][t]++
		}
		if planned && len(p.Tables) > 0 {
			small, big := len(p.People)+1, -1
			for t, tb := range p.Tables {
				k := len(byTable[t])
				small, big = min(small, k), max(big, k)
				if tb.Capacity > 0 && k > tb.Capacity {
					s.overCap += k - tb.Capacity
				}
			}
			s.imbalance = max(s.imbalance, big-small)
		}
		for _, people := range byTable {
			for a := range people {
				for b := a + 1; b < len(people); b++ {
					key := [2]int{min(people[a], people[b]), max(people[a], people[b])}
					if together[key] > 0 {
						s.repeats++
					}
					together[key]++
				}
			}
		}
	}
	return s
}

// checkRules fails unless plan seats everyone in every planned round, hosts at their tables, no
// table over capacity, sizes within one of each other where capacities and hosts allow it (or
// within wantImbalance), and no avoidable revisit.
func checkRules(t *testing.T, p Problem, plan Plan, wantImbalance int) scored {
	t.Helper()
	s := score(p, plan)
	if len(plan.Rounds) != p.Rounds {
		t.Fatalf("%d rounds, want %d", len(plan.Rounds), p.Rounds)
	}
	if s.unseated > 0 || s.hostsMoved > 0 || s.overCap > 0 || s.revisits > 0 || s.imbalance > wantImbalance {
		t.Errorf("rules broken: %v (imbalance allowed %d)", s, wantImbalance)
	}
	return s
}

// TestScorer: the scorer counts what it should on small plans written by hand.
func TestScorer(t *testing.T) {
	p := Problem{
		People: []Person{{ID: "h", Host: "a"}, {ID: "x"}, {ID: "y"}, {ID: "z"}},
		Tables: []Table{{ID: "a", Capacity: 2}, {ID: "b"}},
		Rounds: 3,
	}
	// x and y together three times at b (2 repeats), each back at b twice while a is unvisited;
	// z with h at a twice (1 repeat), back at a twice while b is unvisited; h away in round 3,
	// at b with x and y (new pairs), leaving a 1 against 3.
	plan := Plan{Rounds: [][]int{{0, 1, 1, 0}, {0, 1, 1, 0}, {1, 1, 1, 0}}}
	got := score(p, plan)
	want := scored{repeats: 2 + 1, revisits: 2 + 2 + 2, hostsMoved: 1, imbalance: 2}
	if got != want {
		t.Errorf("got %v, want %v", got, want)
	}
	over := Plan{Rounds: [][]int{{0, 0, 0, 1}, {0, 1, 1, -1}, {0, 0, 1, 1}}}
	got = score(p, over)
	if got.overCap != 1 || got.unseated != 1 {
		t.Errorf("over capacity / unseated: %v", got)
	}
	// The scorer agrees with Measure on random problems and plans.
	rng := rand.New(rand.NewPCG(7, 70))
	for range 200 {
		p := randomProblem(rng, 30)
		plan := Random(p)
		if len(plan.Rounds) == 0 {
			continue
		}
		s, m := score(p, plan), Measure(p, plan)
		if s.repeats != m.RepeatedPairs || s.revisits != m.Revisits || s.overCap != m.CapacityViolations || s.hostsMoved != m.HostsAway {
			t.Fatalf("scorer %v, Measure %+v", s, m)
		}
	}
}
