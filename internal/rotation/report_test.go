package rotation

import (
	"bytes"
	"strings"
	"testing"
)

// TestReport prints the comparison for small cases, one with churn (TestQuality and TestChurn
// cover the default ones).
func TestReport(t *testing.T) {
	cases := []Case{DefaultCases()[0], DefaultCases()[1], NewCase(40, 5, 3, 4, 9)}
	if cases[1].Churn == nil {
		t.Fatal("the second default case has no churn")
	}
	var out bytes.Buffer
	if err := Report(&out, cases); err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + out.String())
	for _, heading := range []string{
		cases[0].Name + ": everyone stays\n",
		cases[1].Name + ": after round 1, 3 of 30 travellers leave and 3 people arrive\n",
		cases[2].Name + ": everyone stays\n",
	} {
		if !strings.Contains(out.String(), heading) {
			t.Errorf("no heading %q", heading)
		}
	}
	if n := strings.Count(out.String(), "\n  planner "); n != len(cases) {
		t.Errorf("%d planner lines for %d cases", n, len(cases))
	}
	// The small default cases: the planner at the bound, proven optimal, with churn too.
	sections := strings.Split(out.String(), "\n\n")
	for _, section := range sections[:2] {
		for _, line := range strings.Split(section, "\n") {
			if strings.HasPrefix(line, "  planner ") && !strings.HasSuffix(line, "  optimal") {
				t.Errorf("not proven optimal: %s", line)
			}
		}
	}
	if err := Report(&out, []Case{{Name: "broken", Problem: Problem{Rounds: 1, People: []Person{{ID: "a"}}}}}); err == nil {
		t.Error("no error for a problem without tables")
	}
}
