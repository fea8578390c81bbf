package rotation

import (
	"cmp"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

// lexCompare orders qualities as the product asks (negative: a is better): capacity and hosts,
// then even tables, then avoidable revisits, then repeated pairs, then pairs of colleagues.
func lexCompare(a, b Quality) int {
	return cmp.Or(
		cmp.Compare(a.CapacityViolations+a.HostsAway, b.CapacityViolations+b.HostsAway),
		cmp.Compare(a.Imbalance, b.Imbalance),
		cmp.Compare(a.Revisits, b.Revisits),
		cmp.Compare(a.RepeatedPairs, b.RepeatedPairs),
		cmp.Compare(a.SameOrgPairs, b.SameOrgPairs),
	)
}

// noWorse tells whether a is at least as good as b on every measure.
func noWorse(a, b Quality) bool {
	return a.CapacityViolations+a.HostsAway <= b.CapacityViolations+b.HostsAway && a.Imbalance <= b.Imbalance &&
		a.Revisits <= b.Revisits && a.RepeatedPairs <= b.RepeatedPairs && a.SameOrgPairs <= b.SameOrgPairs
}

// fixedCases are the default cases where everyone stays.
func fixedCases() []Case {
	var out []Case
	for _, c := range DefaultCases() {
		if c.Churn == nil {
			out = append(out, c)
		}
	}
	return out
}

// TestChurn: when people leave after the first round and others arrive late, the planner (which
// re-plans) is strictly better than both baselines on the lexicographic quality and no worse on
// any measure, and reaches the floor (proven optimal); every method's plan of the whole event
// seats exactly the people there in each round, hosts at their tables, within capacities.
func TestChurn(t *testing.T) {
	t.Parallel()
	var churned []Case
	for _, c := range DefaultCases() {
		if c.Churn != nil && !(testing.Short() && len(c.Problem.People) > 1000) {
			churned = append(churned, c)
		}
	}
	if len(churned) < 3 {
		t.Fatalf("%d cases with churn among the default cases", len(churned))
	}
	for _, c := range churned {
		t.Run(c.Name, func(t *testing.T) {
			c.Problem.Budget = time.Minute // the work decides, even under the race detector
			r, err := newRoster(c.Problem, *c.Churn)
			if err != nil {
				t.Fatal(err)
			}
			if left := len(c.Problem.People) - r.stayed; left == 0 || r.arrived == 0 {
				t.Fatalf("%d leave, %d arrive: no churn", left, r.arrived)
			}
			qs := map[string]Quality{}
			var planned Plan
			for _, m := range methods {
				if m.name == "planner" {
					m.plan = solveOnce // the plan made beforehand is TestQuality's: make it once
				}
				o, err := c.play(m)
				if err != nil {
					t.Fatalf("%s: %v", m.name, err)
				}
				checkEvent(t, r, o.plan)
				qs[m.name] = Measure(o.event, o.plan)
				if m.name == "planner" {
					planned = o.plan
					for k := r.after; k < c.Problem.Rounds; k++ {
						seats := make([]int, r.stayed+r.arrived)
						for i, j := range r.stay {
							if j >= 0 {
								seats[j] = o.plan.Rounds[k][i]
							}
						}
						copy(seats[r.stayed:], o.plan.Rounds[k][len(c.Problem.People):])
						checkBalanced(t, r.rest, k, sizes(r.rest, seats))
					}
					if !o.floor.optimal(qs[m.name], c.Problem.OrgWeight > 0) {
						t.Errorf("planner %+v, above the floor %+v", qs[m.name], o.floor)
					}
				}
				t.Logf("%-7s %+v", m.name, qs[m.name])
			}
			q := qs["planner"]
			for _, name := range []string{"random", "hand"} {
				if b := qs[name]; lexCompare(q, b) >= 0 || !noWorse(q, b) {
					t.Errorf("planner %+v, %s %+v", q, name, b)
				}
			}
			if len(c.Problem.People) <= 200 && c.Problem.OrgWeight == 0 { // the quick ones
				// The same case gives the same plan.
				if again, err := c.play(methods[0]); err != nil || !reflect.DeepEqual(again.plan, planned) {
					t.Errorf("two plans for one case (%v)", err)
				}
			}
		})
	}
}

// checkEvent fails unless plan, a plan of r's whole event, seats those who left until they
// leave, late arrivals from their arrival, everyone else in every round, hosts at their tables,
// and nobody above a table's capacity.
func checkEvent(t *testing.T, r *roster, plan Plan) {
	t.Helper()
	if len(plan.Rounds) != r.p.Rounds {
		t.Fatalf("%d rounds, want %d", len(plan.Rounds), r.p.Rounds)
	}
	for k, seats := range plan.Rounds {
		if len(seats) != len(r.event.People) {
			t.Fatalf("round %d: %d seats for %d people", k, len(seats), len(r.event.People))
		}
		for i, tb := range seats {
			there := k < r.after && i < len(r.p.People) || k >= r.after && (i >= len(r.p.People) || r.stay[i] >= 0)
			if there != (tb >= 0) {
				t.Fatalf("round %d: %s at table %d, there: %v", k, r.event.People[i].ID, tb, there)
			}
		}
	}
	if q := Measure(r.event, plan); q.CapacityViolations != 0 || q.HostsAway != 0 {
		t.Fatalf("%+v", q)
	}
}

// TestHandWithChurn: the hand baseline does what the facilitator does: everyone who stayed
// follows their card in every round, and each late arrival, in order of arrival, takes the table
// with the most empty chairs among those they have not sat at.
func TestHandWithChurn(t *testing.T) {
	for _, c := range []Case{WithChurn(NewCase(200, 20, 4, 0, 2), 0.1), WithChurn(NewCase(31, 5, 4, 3, 7), 0.2)} {
		r, err := newRoster(c.Problem, *c.Churn)
		if err != nil {
			t.Fatal(err)
		}
		o, err := c.play(methods[2])
		if err != nil {
			t.Fatal(err)
		}
		checkEvent(t, r, o.plan)
		cards := HandMethod(c.Problem)
		for k, seats := range o.plan.Rounds {
			for i, j := range r.stay {
				if (j >= 0 || k < r.after) && seats[i] != cards.Rounds[k][i] {
					t.Fatalf("%s, round %d: %s at %d, their card says %d", c.Name, k, r.p.People[i].ID, seats[i], cards.Rounds[k][i])
				}
			}
		}
		in, _ := newInstance(r.event)
		n := len(r.p.People)
		for k := r.after; k < c.Problem.Rounds; k++ {
			occupancy := make([]int, len(c.Problem.Tables))
			for _, tb := range o.plan.Rounds[k][:n] {
				if tb >= 0 {
					occupancy[tb]++
				}
			}
			for a := range r.arrived {
				visited := map[int]bool{}
				for _, round := range o.plan.Rounds[:k] {
					visited[round[n+a]] = true
				}
				free := func(tb int) int { return in.capacity[tb] - occupancy[tb] }
				fresh := false // some table they have not sat at has room
				for tb := range occupancy {
					fresh = fresh || !visited[tb] && free(tb) > 0
				}
				got := o.plan.Rounds[k][n+a]
				if free(got) <= 0 || fresh && visited[got] {
					t.Fatalf("%s, round %d: late arrival %d at table %d (free %d, visited %v)", c.Name, k, a, got, free(got), visited[got])
				}
				for tb := range occupancy {
					if !(fresh && visited[tb]) && free(tb) > free(got) {
						t.Fatalf("%s, round %d: late arrival %d at table %d with %d free, table %d has %d", c.Name, k, a, got, free(got), tb, free(tb))
					}
				}
				occupancy[got]++
			}
		}
	}
}

// TestRoster: the people who leave and arrive, the rounds before the change kept as the plan made
// beforehand had them, and a change the roster cannot make.
func TestRoster(t *testing.T) {
	p := NewCase(12, 3, 3, 0, 1).Problem
	ch := Churn{After: 1, Leave: []string{"p5", "p9"}, Arrive: []Person{{ID: "x"}}}
	r, err := newRoster(p, ch)
	if err != nil {
		t.Fatal(err)
	}
	if r.stayed != 10 || r.arrived != 1 || len(r.rest.People) != 11 || r.rest.People[10].ID != "x" || r.stay[4] != -1 || r.stay[5] != 4 {
		t.Fatalf("roster: stayed %d, arrived %d, rest %v, stay %v", r.stayed, r.arrived, r.rest.People, r.stay)
	}
	if len(r.event.People) != 13 || r.event.People[12].ID != "x" || len(p.People) != 12 {
		t.Fatalf("event %v", r.event.People)
	}
	if !strings.Contains(r.describe(), "2 of 9 travellers leave and 1 people arrive") {
		t.Errorf("describe: %s", r.describe())
	}
	plan := HandMethod(p)
	cards := r.project(plan)
	rest := Plan{Rounds: [][]int{cards.Rounds[0], sameTable(11, 2), sameTable(11, 1)}}
	whole := r.join(plan, rest)
	if !reflect.DeepEqual(whole.Rounds[0][:12], plan.Rounds[0]) || whole.Rounds[0][12] != -1 {
		t.Errorf("round 1: %v, planned %v", whole.Rounds[0], plan.Rounds[0])
	}
	if whole.Rounds[1][4] != -1 || whole.Rounds[1][5] != 2 || whole.Rounds[2][12] != 1 {
		t.Errorf("rounds 2 and 3: %v", whole.Rounds[1:])
	}
	for _, bad := range []Churn{
		{After: 0, Leave: []string{"p5"}},
		{After: 3, Leave: []string{"p5"}},
		{After: 1, Leave: []string{"p1"}},   // a host
		{After: 1, Leave: []string{"nope"}}, // never came
	} {
		if _, err := newRoster(p, bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v: %v", bad, err)
		}
	}
}

func sameTable(n, t int) []int {
	seats := make([]int, n)
	for i := range seats {
		seats[i] = t
	}
	return seats
}

// TestPrintReport prints the report of the default cases, as `go run ./server rotation-report`
// does, when NAPPE_PRINT_REPORT=1:
//
//	NAPPE_PRINT_REPORT=1 go test -run TestPrintReport -v ./internal/rotation
func TestPrintReport(t *testing.T) {
	if os.Getenv("NAPPE_PRINT_REPORT") != "1" {
		t.Skip("set NAPPE_PRINT_REPORT=1 to print the report")
	}
	begin := time.Now()
	if err := Report(os.Stdout, DefaultCases()); err != nil {
		t.Fatal(err)
	}
	t.Logf("report in %v", time.Since(begin))
}
