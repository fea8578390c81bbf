package rotation

import (
	"fmt"
	"io"
	"math/rand/v2"
	"text/tabwriter"
	"time"
)

// Case is one problem of the comparison Report prints.
type Case struct {
	Name    string
	Problem Problem
}

// DefaultCases are the sizes Nappe is built for, from a small workshop to a conference hall, one
// with organisations, and two where tables are large for their number, which is where the hand
// method repeats many pairs. A function, so that merely importing the package builds nothing.
func DefaultCases() []Case {
	return []Case{
		NewCase(34, 4, 3, 0, 1),
		NewCase(200, 20, 4, 0, 2),
		NewCase(2000, 100, 5, 0, 3),
		NewCase(200, 20, 4, 8, 4),
		NewCase(150, 12, 4, 0, 5),
		NewCase(1000, 60, 5, 0, 6),
	}
}

// NewCase makes a problem from its size, the same for the same seed: one host per table, tables
// of capacity two above an even share, and, if organisations > 0, everyone from one of that many
// organisations, a few large and many small (the k-th drawn with weight 1/k), as in a meeting of
// partners where the organiser's own staff is the largest group. Organisations then weigh half a
// repeated pair.
func NewCase(people, tables, rounds, organisations int, seed uint64) Case {
	rng := rand.New(rand.NewPCG(seed, 0x63617365)) // "case"
	name := fmt.Sprintf("%d people, %d tables, %d rounds", people, tables, rounds)
	p := Problem{Rounds: rounds, Seed: seed}
	capacity := (people+tables-1)/tables + 2
	for t := range tables {
		p.Tables = append(p.Tables, Table{ID: fmt.Sprintf("t%d", t+1), Capacity: capacity})
	}
	total := 0.0
	for k := 1; k <= organisations; k++ {
		total += 1 / float64(k)
	}
	for i := range people {
		person := Person{ID: fmt.Sprintf("p%d", i+1)}
		if i < tables {
			person.Host = p.Tables[i].ID
		}
		if organisations > 0 {
			x := rng.Float64() * total
			k := 1
			for x -= 1; x > 0 && k < organisations; x -= 1 / float64(k) {
				k++
			}
			person.Organisation = fmt.Sprintf("org%d", k)
		}
		p.People = append(p.People, person)
	}
	if organisations > 0 {
		name += fmt.Sprintf(", %d organisations", organisations)
		p.OrgWeight = 0.5
	}
	return Case{Name: name, Problem: p}
}

// Report prints, for each case and each method (the planner and the two baselines), the quality
// of its plan and the time it took, under the lower bounds on repeated pairs and, when they
// count, on pairs of colleagues.
func Report(w io.Writer, cases []Case) error {
	methods := []struct {
		name  string
		solve func(Problem) (Plan, error)
	}{
		{"planner", Solve},
		{"random", func(p Problem) (Plan, error) { return Random(p), nil }},
		{"hand", func(p Problem) (Plan, error) { return HandMethod(p), nil }},
	}
	for k, c := range cases {
		if k > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "%s: repeated pairs cannot go below %d", c.Name, LowerBoundRepeatedPairs(c.Problem))
		if in, err := newInstance(c.Problem); err == nil && c.Problem.OrgWeight > 0 {
			fmt.Fprintf(w, ", same-organisation pairs below %d", in.orgBound())
		}
		fmt.Fprintln(w)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "method\trepeated pairs\tavoidable revisits\tsize imbalance\tsame-org pairs\ttime\t")
		for _, m := range methods {
			begin := time.Now()
			plan, err := m.solve(c.Problem)
			took := time.Since(begin)
			if err != nil {
				return fmt.Errorf("%s, %s: %w", c.Name, m.name, err)
			}
			q := Measure(c.Problem, plan)
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%s\t\n", m.name, q.RepeatedPairs, q.Revisits, q.Imbalance, q.SameOrgPairs, took.Round(100*time.Microsecond))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}
