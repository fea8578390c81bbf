package rotation

import (
	"fmt"
	"io"
	"math/rand/v2"
	"text/tabwriter"
	"time"
)

// Case is one problem of the comparison Report prints, with or without a change of roster.
type Case struct {
	Name    string
	Problem Problem
	// Churn, if not nil, changes the roster during the event; see WithChurn.
	Churn *Churn
}

// DefaultCases are the sizes Nappe is built for, from a small workshop to a conference hall, one
// with organisations, and two where tables are large for their number, which is where the hand
// method repeats many pairs. The first four come twice: with everyone staying, then with 10% of
// the travellers leaving after the first round and as many people arriving late, as in real rooms.
// A function, so that merely importing the package builds nothing.
func DefaultCases() []Case {
	var cases []Case
	for _, c := range []Case{
		NewCase(34, 4, 3, 0, 1),
		NewCase(200, 20, 4, 0, 2),
		NewCase(2000, 100, 5, 0, 3),
		NewCase(200, 20, 4, 8, 4),
	} {
		cases = append(cases, c, WithChurn(c, 0.1))
	}
	return append(cases,
		NewCase(150, 12, 4, 0, 5),
		NewCase(1000, 60, 5, 0, 6),
	)
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

// method is one way of seating an event: a plan made beforehand (plan), and what is done with it
// when the roster changes (adapt).
type method struct {
	name string
	plan func(Problem) (Plan, error)
	// adapt seats the rounds of rest from round after on. cards is the plan made beforehand for
	// rest's people (late arrivals absent), whose first after rounds were played.
	adapt func(rest Problem, cards Plan, after int) (Plan, error)
}

// methods are the planner and the two baselines, each handling a change of roster the way it
// really would.
var methods = []method{
	// Nappe re-plans the rounds left, the rounds played kept as they were.
	{"planner", Solve, func(rest Problem, cards Plan, after int) (Plan, error) {
		return Replan(rest, Plan{Rounds: cards.Rounds[:after]}, after)
	}},
	// Seating at random draws the rounds left again, for the people there: with no plan to keep,
	// whoever is in the room is shuffled anew.
	{"random", func(p Problem) (Plan, error) { return Random(p), nil }, func(rest Problem, cards Plan, after int) (Plan, error) {
		p, err := played(rest, Plan{Rounds: cards.Rounds[:after]}, after)
		if err != nil {
			return Plan{}, err
		}
		return Random(p), nil
	}},
	// The facilitator keeps the cards and walks late arrivals to emptier tables: handWithChurn.
	{"hand", func(p Problem) (Plan, error) { return HandMethod(p), nil }, func(rest Problem, cards Plan, after int) (Plan, error) {
		return handWithChurn(rest, cards, after), nil
	}},
}

// floor is what a plan cannot go below once some rounds are played (all three are reached by an
// optimal plan only if the lower bounds are tight): repeated pairs and pairs of colleagues (the
// lower bounds), and size imbalance (the even sizes of levels, or worse if a played round was).
// The bound on repeated pairs holds for plans with even sizes and no avoidable revisit.
type floor struct {
	pairs, colleagues, imbalance int
}

// floorOf is the floor of the plans of event that keep prefix, its played rounds, when rest (with
// its played rounds) is the problem of the rounds after them: event's people may have left or
// arrived, rest's are there in every planned round.
func floorOf(event Problem, prefix Plan, rest Problem) (floor, error) {
	in, err := newInstance(rest)
	if err != nil {
		return floor{}, err
	}
	before := Measure(event, prefix)
	// The repeats of the played rounds the bound on rest counts are those among the people still
	// there; those who left made theirs before leaving.
	kept := Measure(rest, Plan{Rounds: in.history})
	return floor{
		pairs:      in.lowerBound() + before.RepeatedPairs - kept.RepeatedPairs,
		colleagues: before.SameOrgPairs + in.orgPerRound()*(in.rounds-in.played),
		imbalance:  max(before.Imbalance, in.evenness()),
	}, nil
}

// optimal tells whether q is proven the best there is, on the lexicographic order (capacity and
// balance, then avoidable revisits, then repeated pairs, then colleagues): it reaches the floor.
func (f floor) optimal(q Quality, orgs bool) bool {
	return q.CapacityViolations == 0 && q.HostsAway == 0 && q.Imbalance <= f.imbalance && q.Revisits == 0 &&
		q.RepeatedPairs <= f.pairs && (!orgs || q.SameOrgPairs <= f.colleagues)
}

// outcome is what one method made of one case.
type outcome struct {
	event Problem       // everyone who came, to measure plan against
	plan  Plan          // a plan of event: the whole event, rounds before a change included
	floor floor         // given the rounds this method played before a change
	took  time.Duration // planning the whole event, or, with a change, re-seating after it
}

// play runs method m on case c. With a change of roster, the method plans the event beforehand,
// the first rounds are played as planned, and the method then seats the rounds left its own way;
// the plan returned covers the whole event, so that every method is measured on the same people
// over the same rounds.
func (c Case) play(m method) (outcome, error) {
	p := c.Problem
	begin := time.Now()
	plan, err := m.plan(p)
	took := time.Since(begin)
	if err == nil && len(plan.Rounds) != p.Rounds {
		err = fmt.Errorf("%w: no plan", ErrInvalid)
	}
	if err != nil {
		return outcome{}, err
	}
	if c.Churn == nil {
		in, err := newInstance(p)
		if err != nil {
			return outcome{}, err
		}
		f, err := floorOf(p, Plan{Rounds: in.history}, p)
		return outcome{event: p, plan: plan, floor: f, took: took}, err
	}
	r, err := newRoster(p, *c.Churn)
	if err != nil {
		return outcome{}, err
	}
	cards := r.project(plan)
	begin = time.Now()
	rest, err := m.adapt(r.rest, cards, r.after)
	took = time.Since(begin)
	if err == nil && len(rest.Rounds) != p.Rounds {
		err = fmt.Errorf("%w: no plan after the change", ErrInvalid)
	}
	if err != nil {
		return outcome{}, err
	}
	whole := r.join(plan, rest)
	restPlayed, err := played(r.rest, cards, r.after)
	if err != nil {
		return outcome{}, err
	}
	f, err := floorOf(r.event, Plan{Rounds: whole.Rounds[:r.after]}, restPlayed)
	return outcome{event: r.event, plan: whole, floor: f, took: took}, err
}

// Report prints, for each case and each method (the planner and the two baselines), the quality
// of its plan of the whole event, the lower bounds on repeated pairs and, when they count, on
// pairs of colleagues, and the time it took. "optimal" marks a plan proven the best there is:
// even tables, no avoidable revisit, and the lower bounds reached. With a change of roster the
// bounds and the optimum are given the rounds each method played before it, and the time is the
// re-seating after it.
func Report(w io.Writer, cases []Case) error {
	for k, c := range cases {
		if k > 0 {
			fmt.Fprintln(w)
		}
		orgs := c.Problem.OrgWeight > 0
		heading, timing := c.Name+": everyone stays", "time"
		if c.Churn != nil {
			r, err := newRoster(c.Problem, *c.Churn)
			if err != nil {
				return fmt.Errorf("%s: %w", c.Name, err)
			}
			heading, timing = c.Name+": "+r.describe(), "re-plan time"
		}
		fmt.Fprintln(w, heading)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprint(tw, "method\trepeated pairs\tbound\tavoidable revisits\tsize imbalance\tsame-org pairs\t")
		if orgs {
			fmt.Fprint(tw, "bound\t")
		}
		fmt.Fprintf(tw, "%s\t\t\n", timing)
		for _, m := range methods {
			o, err := c.play(m)
			if err != nil {
				return fmt.Errorf("%s, %s: %w", c.Name, m.name, err)
			}
			q := Measure(o.event, o.plan)
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t", m.name, q.RepeatedPairs, o.floor.pairs, q.Revisits, q.Imbalance, q.SameOrgPairs)
			if orgs {
				fmt.Fprintf(tw, "%d\t", o.floor.colleagues)
			}
			verdict := ""
			if o.floor.optimal(q, orgs) {
				verdict = "optimal"
			}
			fmt.Fprintf(tw, "%s\t%s\t\n", o.took.Round(100*time.Microsecond), verdict)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}
