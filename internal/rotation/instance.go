package rotation

import (
	"fmt"
	"math"
)

// instance is a Problem turned into indices, which is what every algorithm here works on.
type instance struct {
	n, tables, rounds int
	played            int      // rounds fixed by history, the first ones
	history           [][]int  // played rounds: person → table, or -1 when absent
	host              []int    // person → table they host, or -1
	org               []int    // person → organisation number, or -1
	capacity          []int    // table → seats; a table without a limit gets n
	hosts             []int    // table → number of hosts
	open              []bool   // table → a traveller can sit there (room beyond its hosts)
	opens             int      // number of open tables
	weight            float64  // Problem.OrgWeight
	ids               []string // table ids, for messages
}

// index turns p into an instance without judging it: unknown table ids become -1. It returns the
// first inconsistency it met, so that Measure can score even a plan of a broken problem while
// Solve refuses it.
func index(p Problem) (*instance, error) {
	var first error
	fail := func(err error) {
		if first == nil {
			first = err
		}
	}
	in := &instance{
		n:        len(p.People),
		tables:   len(p.Tables),
		rounds:   p.Rounds,
		played:   len(p.Played),
		host:     make([]int, len(p.People)),
		org:      make([]int, len(p.People)),
		capacity: make([]int, len(p.Tables)),
		hosts:    make([]int, len(p.Tables)),
		open:     make([]bool, len(p.Tables)),
		weight:   p.OrgWeight,
		ids:      make([]string, len(p.Tables)),
	}
	tableAt := make(map[string]int, len(p.Tables))
	for t, tb := range p.Tables {
		in.ids[t] = tb.ID
		switch _, dup := tableAt[tb.ID]; {
		case tb.ID == "":
			fail(fmt.Errorf("%w: table %d has no id", ErrInvalid, t))
		case dup:
			fail(fmt.Errorf("%w: two tables are called %q", ErrInvalid, tb.ID))
		default:
			tableAt[tb.ID] = t
		}
		in.capacity[t] = tb.Capacity
		if tb.Capacity < 0 {
			fail(fmt.Errorf("%w: table %q has capacity %d", ErrInvalid, tb.ID, tb.Capacity))
		}
		if tb.Capacity <= 0 || tb.Capacity > in.n {
			in.capacity[t] = in.n
		}
	}
	seen := make(map[string]bool, len(p.People))
	orgs := map[string]int{}
	for i, person := range p.People {
		switch {
		case person.ID == "":
			fail(fmt.Errorf("%w: person %d has no id", ErrInvalid, i))
		case seen[person.ID]:
			fail(fmt.Errorf("%w: two people are called %q", ErrInvalid, person.ID))
		}
		seen[person.ID] = true
		in.host[i] = -1
		if person.Host != "" {
			t, ok := tableAt[person.Host]
			if !ok {
				fail(fmt.Errorf("%w: %q hosts table %q", ErrUnknownTable, person.ID, person.Host))
			} else {
				in.host[i] = t
				in.hosts[t]++
			}
		}
		in.org[i] = -1
		if person.Organisation != "" {
			o, ok := orgs[person.Organisation]
			if !ok {
				o = len(orgs)
				orgs[person.Organisation] = o
			}
			in.org[i] = o
		}
	}
	for t := range in.open {
		in.open[t] = in.capacity[t] > in.hosts[t]
		if in.open[t] {
			in.opens++
		}
	}
	in.history = make([][]int, len(p.Played))
	for r, round := range p.Played {
		if len(round) != in.n {
			fail(fmt.Errorf("%w: played round %d has %d seats for %d people", ErrInvalid, r, len(round), in.n))
		}
		seats := make([]int, in.n)
		for i := range seats {
			seats[i] = -1
			if i >= len(round) || round[i] == "" {
				continue
			}
			t, ok := tableAt[round[i]]
			if !ok {
				fail(fmt.Errorf("%w: %q sat at table %q in played round %d", ErrUnknownTable, p.People[i].ID, round[i], r))
				continue
			}
			seats[i] = t
		}
		in.history[r] = seats
	}
	return in, first
}

// newInstance is index plus the checks that make a problem solvable.
func newInstance(p Problem) (*instance, error) {
	in, err := index(p)
	if err != nil {
		return nil, err
	}
	switch {
	case p.Rounds < 1 || p.Rounds > MaxRounds:
		return nil, fmt.Errorf("%w: %d rounds (1 to %d)", ErrInvalid, p.Rounds, MaxRounds)
	case len(p.Played) > p.Rounds:
		return nil, fmt.Errorf("%w: %d rounds played of %d", ErrInvalid, len(p.Played), p.Rounds)
	case in.n > MaxPeople:
		return nil, fmt.Errorf("%w: %d people (at most %d)", ErrInvalid, in.n, MaxPeople)
	case in.n > 0 && in.tables == 0:
		return nil, fmt.Errorf("%w: no tables", ErrNoRoom)
	case math.IsNaN(p.OrgWeight) || p.OrgWeight < 0 || math.IsInf(p.OrgWeight, 0):
		return nil, fmt.Errorf("%w: organisation weight %v", ErrInvalid, p.OrgWeight)
	}
	seats := 0
	for t := range in.capacity {
		if in.hosts[t] > in.capacity[t] {
			return nil, fmt.Errorf("%w: %d hosts at table %q of capacity %d", ErrNoRoom, in.hosts[t], in.ids[t], in.capacity[t])
		}
		seats += in.capacity[t]
	}
	if seats < in.n {
		return nil, fmt.Errorf("%w: %d seats for %d people", ErrNoRoom, seats, in.n)
	}
	return in, nil
}
