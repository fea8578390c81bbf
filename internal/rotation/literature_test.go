package rotation

import (
	"testing"
	"time"
)

// TestLiterature: on the instances of the literature, the plan follows every rule (checked by the
// independent scorer) and reaches the best known figure where the planner is expected to.
func TestLiterature(t *testing.T) {
	t.Parallel()
	for _, c := range LiteratureCases() {
		t.Run(c.Name, func(t *testing.T) {
			p := c.Problem
			p.Budget = 10 * time.Second
			plan, err := Solve(p)
			if err != nil {
				t.Fatal(err)
			}
			s := checkRules(t, p, plan, 1)
			bound := LowerBoundRepeatedPairs(p)
			t.Logf("%v; bound %d, best known %d", s, bound, c.Best)
			if s.repeats < bound {
				t.Errorf("%d repeated pairs, below the bound %d", s.repeats, bound)
			}
			if c.Best == 0 && expectZero[c.Name] && s.repeats != 0 {
				t.Errorf("%d repeated pairs, the best known is 0", s.repeats)
			}
		})
	}
}

// expectZero are the literature cases where the planner reaches the best known figure, 0.
var expectZero = map[string]bool{
	"32 people, 8 tables, 8 rounds, no hosts":            true,
	"64 people, 8 tables, 8 rounds, a host per table":    true,
	"49 people, 7 tables, 7 rounds, a host per table":    true,
	"81 people, 9 tables, 9 rounds, a host per table":    true,
	"256 people, 16 tables, 16 rounds, a host per table": true,
}
