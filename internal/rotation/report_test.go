package rotation

import (
	"bytes"
	"strings"
	"testing"
)

// TestReport prints the comparison for two small cases (TestQuality covers the default ones).
func TestReport(t *testing.T) {
	cases := []Case{DefaultCases()[0], NewCase(40, 5, 3, 4, 9)}
	var out bytes.Buffer
	if err := Report(&out, cases); err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + out.String())
	for _, c := range cases {
		if !strings.Contains(out.String(), c.Name+": repeated pairs cannot go below") {
			t.Errorf("no heading for %s", c.Name)
		}
	}
	if n := strings.Count(out.String(), "\n  planner "); n != len(cases) {
		t.Errorf("%d planner lines for %d cases", n, len(cases))
	}
	if err := Report(&out, []Case{{Name: "broken", Problem: Problem{Rounds: 1, People: []Person{{ID: "a"}}}}}); err == nil {
		t.Error("no error for a problem without tables")
	}
}
