package rotation

import (
	"testing"
	"time"
)

// BenchmarkSolve times the planner on the default cases (the hand method's and random seating
// take under a few milliseconds); with churn, the plan made beforehand and the re-plan after the
// change. The quality of the last plan of the whole event is reported with the time:
// repeated-pairs, revisits and same-org-pairs per plan.
//
//	go test -run '^$' -bench Solve -benchtime 5x ./internal/rotation/
func BenchmarkSolve(b *testing.B) {
	for _, c := range DefaultCases() {
		b.Run(c.Name, func(b *testing.B) {
			c.Problem.Budget = time.Minute // measure the work, not the ceiling
			var q Quality
			for b.Loop() {
				o, err := c.play(methods[0])
				if err != nil {
					b.Fatal(err)
				}
				q = Measure(o.event, o.plan)
			}
			b.ReportMetric(float64(q.RepeatedPairs), "repeated-pairs")
			b.ReportMetric(float64(q.Revisits), "revisits")
			b.ReportMetric(float64(q.SameOrgPairs), "same-org-pairs")
		})
	}
}

// BenchmarkScale times the largest rooms Solve plans, with the default budget: 2,000 people at
// 100 tables for 5 rounds and 10,000 at 500 for 6, with and without organisations (the target is
// 2 s each on two cores).
//
//	go test -run '^$' -bench Scale -benchtime 3x ./internal/rotation/
func BenchmarkScale(b *testing.B) {
	for _, c := range []Case{
		NewCase(2000, 100, 5, 0, 3), NewCase(2000, 100, 5, 20, 3),
		NewCase(10000, 500, 6, 0, 3), NewCase(10000, 500, 6, 20, 3),
	} {
		b.Run(c.Name, func(b *testing.B) {
			var plan Plan
			for b.Loop() {
				var err error
				if plan, err = Solve(c.Problem); err != nil {
					b.Fatal(err)
				}
			}
			q := Measure(c.Problem, plan)
			b.ReportMetric(float64(q.RepeatedPairs), "repeated-pairs")
			b.ReportMetric(float64(q.Revisits), "revisits")
			b.ReportMetric(float64(q.SameOrgPairs), "same-org-pairs")
		})
	}
}
