package rotation

import (
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
)

// Churn is a change of roster between two rounds, as in every real room: some travellers leave
// (a train to catch, another meeting) and people who arrive late join. Hosts stay with their
// tables.
type Churn struct {
	// After is the number of rounds played before the change: people leave after round After,
	// and late arrivals sit from the next one.
	After int
	// Leave holds the ids of the travellers who leave.
	Leave []string
	// Arrive holds the late arrivals, in order of arrival. They have sat nowhere yet.
	Arrive []Person
}

// WithChurn is c with a change of roster after its first round, drawn from its seed (the same case
// gives the same churn): share of its travellers leave, and as many people arrive late. When c has
// organisations, each late arrival is from the organisation of someone drawn at random among c's
// people, so that large organisations send more of them.
func WithChurn(c Case, share float64) Case {
	p := c.Problem
	rng := rand.New(rand.NewPCG(p.Seed, 0x636875726e)) // "churn"
	var travellers []int
	orgs := false
	for i, person := range p.People {
		if person.Host == "" {
			travellers = append(travellers, i)
		}
		orgs = orgs || person.Organisation != ""
	}
	k := int(math.Round(share * float64(len(travellers))))
	ch := &Churn{After: 1}
	leave := rng.Perm(len(travellers))[:k]
	slices.Sort(leave)
	for _, j := range leave {
		ch.Leave = append(ch.Leave, p.People[travellers[j]].ID)
	}
	for j := range k {
		person := Person{ID: fmt.Sprintf("late%d", j+1)}
		if orgs {
			person.Organisation = p.People[rng.IntN(len(p.People))].Organisation
		}
		ch.Arrive = append(ch.Arrive, person)
	}
	return Case{Name: c.Name + ", with churn", Problem: p, Churn: ch}
}

// roster is an event with churn seen from both sides of the change.
type roster struct {
	after int
	p     Problem // the event as first planned: its people, not the late arrivals
	// rest is the problem of the rounds after the change, for those who stayed (in p's order)
	// then the late arrivals, without played rounds.
	rest    Problem
	stay    []int // index in p.People → index in rest.People, or -1 for those who left
	stayed  int   // how many stayed: the first late arrival's index in rest.People
	arrived int   // late arrivals
	// event is everyone who came, p's people then the late arrivals, for Measure: nobody is
	// seated in every round, so it is a problem to measure plans against, not to solve.
	event Problem
}

func newRoster(p Problem, ch Churn) (*roster, error) {
	if ch.After < 1 || ch.After >= p.Rounds || len(p.Played) > ch.After {
		return nil, fmt.Errorf("%w: a change after round %d of %d (%d played)", ErrInvalid, ch.After, p.Rounds, len(p.Played))
	}
	leave := make(map[string]bool, len(ch.Leave))
	for _, id := range ch.Leave {
		leave[id] = true
	}
	r := &roster{after: ch.After, p: p, rest: p, stay: make([]int, len(p.People)), arrived: len(ch.Arrive)}
	r.rest.People, r.rest.Played = nil, nil
	for i, person := range p.People {
		if !leave[person.ID] {
			r.stay[i] = len(r.rest.People)
			r.rest.People = append(r.rest.People, person)
			continue
		}
		if person.Host != "" {
			return nil, fmt.Errorf("%w: %q hosts a table and cannot leave", ErrInvalid, person.ID)
		}
		r.stay[i] = -1
		delete(leave, person.ID)
	}
	if len(leave) > 0 {
		unknown := slices.Sorted(maps.Keys(leave))
		return nil, fmt.Errorf("%w: %q leaves but never came", ErrInvalid, unknown[0])
	}
	r.stayed = len(r.rest.People)
	r.rest.People = append(r.rest.People, ch.Arrive...)
	r.event = p
	r.event.People = append(slices.Clip(p.People), ch.Arrive...)
	r.event.Played = nil
	for _, round := range p.Played {
		r.event.Played = append(r.event.Played, append(slices.Clip(round), make([]string, r.arrived)...))
	}
	return r, nil
}

// describe tells what changes, for Report.
func (r *roster) describe() string {
	travellers := 0
	for _, person := range r.p.People {
		if person.Host == "" {
			travellers++
		}
	}
	return fmt.Sprintf("after round %d, %d of %d travellers leave and %d people arrive", r.after, len(r.p.People)-r.stayed, travellers, r.arrived)
}

// project is plan, a plan of p, for the people of rest: those who left dropped, the late arrivals
// absent in every round.
func (r *roster) project(plan Plan) Plan {
	out := Plan{Rounds: make([][]int, len(plan.Rounds))}
	for k, seats := range plan.Rounds {
		round := make([]int, len(r.rest.People))
		for i := range round {
			round[i] = -1
		}
		for i, j := range r.stay {
			if j >= 0 {
				round[j] = seats[i]
			}
		}
		out.Rounds[k] = round
	}
	return out
}

// join is the plan of the whole event, a plan of event: the first rounds of first (a plan of p),
// then the others of rest (a plan of rest), absent people at -1.
func (r *roster) join(first, rest Plan) Plan {
	n := len(r.event.People)
	out := Plan{Rounds: make([][]int, r.p.Rounds)}
	for k := range out.Rounds {
		seats := make([]int, n)
		for i := range seats {
			seats[i] = -1
		}
		if k < r.after {
			copy(seats, first.Rounds[k])
		} else {
			for i, j := range r.stay {
				if j >= 0 {
					seats[i] = rest.Rounds[k][j]
				}
			}
			copy(seats[len(r.p.People):], rest.Rounds[k][r.stayed:])
		}
		out.Rounds[k] = seats
	}
	return out
}
