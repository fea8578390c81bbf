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
