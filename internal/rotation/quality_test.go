package rotation

import (
	"testing"
	"time"
)

// TestQuality: at each default size where everyone stays (TestChurn takes the others), the
// planner is never worse than a baseline on the lexicographic quality, has fewer repeated pairs
// than random seating, no more than the hand method (fewer where the hand method is above the
// lower bound: there it is not optimal), and is no worse on revisits, imbalance and colleagues.
// Then sizes where the hand method repeats many pairs.
func TestQuality(t *testing.T) {
	t.Parallel()
	cases := append(fixedCases(),
		NewCase(24, 4, 4, 0, 3), // everyone visits every table
	)
	for _, c := range cases {
		if testing.Short() && len(c.Problem.People) > 1000 {
			continue
		}
		t.Run(c.Name, func(t *testing.T) {
			p := c.Problem
			p.Budget = time.Minute // the work decides, even under the race detector
			plan, err := solveOnce(p)
			if err != nil {
				t.Fatal(err)
			}
			checkPlan(t, p, plan)
			q, random, hand := Measure(p, plan), Measure(p, Random(p)), Measure(p, HandMethod(p))
			bound := LowerBoundRepeatedPairs(p)
			t.Logf("repeated pairs: planner %d, random %d, hand %d, bound %d", q.RepeatedPairs, random.RepeatedPairs, hand.RepeatedPairs, bound)
			if q.RepeatedPairs >= random.RepeatedPairs {
				t.Errorf("repeated pairs: planner %d, random %d", q.RepeatedPairs, random.RepeatedPairs)
			}
			if q.RepeatedPairs > hand.RepeatedPairs || hand.RepeatedPairs > bound && q.RepeatedPairs == hand.RepeatedPairs {
				t.Errorf("repeated pairs: planner %d, hand %d (bound %d)", q.RepeatedPairs, hand.RepeatedPairs, bound)
			}
			for _, other := range []Quality{random, hand} {
				if lexCompare(q, other) > 0 {
					t.Errorf("planner %+v worse than baseline %+v", q, other)
				}
				if q.Revisits > other.Revisits || q.Imbalance > other.Imbalance || q.CapacityViolations > 0 {
					t.Errorf("planner %+v, baseline %+v", q, other)
				}
				if p.OrgWeight > 0 && q.SameOrgPairs >= other.SameOrgPairs {
					t.Errorf("colleagues: planner %d, baseline %d", q.SameOrgPairs, other.SameOrgPairs)
				}
			}
			if q.Revisits != 0 {
				t.Errorf("%d revisits", q.Revisits)
			}
		})
	}
	// The default cases reach the bound: nothing better exists.
	for _, c := range fixedCases()[:2] {
		c.Problem.Budget = time.Minute
		plan, _ := Solve(c.Problem)
		if got, want := Measure(c.Problem, plan).RepeatedPairs, LowerBoundRepeatedPairs(c.Problem); got != want {
			t.Errorf("%s: %d repeated pairs, the bound is %d", c.Name, got, want)
		}
	}
}
