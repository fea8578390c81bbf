package rotation

import (
	"errors"
	"math"
	"testing"
)

func TestSolveErrors(t *testing.T) {
	people := func(n int) []Person {
		var ps []Person
		for i := range n {
			ps = append(ps, Person{ID: string(rune('a' + i))})
		}
		return ps
	}
	two := []Table{{ID: "t1", Capacity: 3}, {ID: "t2", Capacity: 3}}
	cases := []struct {
		name string
		p    Problem
		want error
	}{
		{"no rounds", Problem{People: people(4), Tables: two}, ErrInvalid},
		{"too many rounds", Problem{People: people(4), Tables: two, Rounds: MaxRounds + 1}, ErrInvalid},
		{"too many people", Problem{People: people(MaxPeople + 1), Tables: []Table{{ID: "t"}}, Rounds: 1}, ErrInvalid},
		{"duplicate person", Problem{People: []Person{{ID: "a"}, {ID: "a"}}, Tables: two, Rounds: 1}, ErrInvalid},
		{"person without id", Problem{People: []Person{{ID: ""}}, Tables: two, Rounds: 1}, ErrInvalid},
		{"duplicate table", Problem{People: people(2), Tables: []Table{{ID: "t"}, {ID: "t"}}, Rounds: 1}, ErrInvalid},
		{"table without id", Problem{People: people(2), Tables: []Table{{ID: ""}}, Rounds: 1}, ErrInvalid},
		{"negative capacity", Problem{People: people(2), Tables: []Table{{ID: "t", Capacity: -1}}, Rounds: 1}, ErrInvalid},
		{"negative weight", Problem{People: people(2), Tables: two, Rounds: 1, OrgWeight: -1}, ErrInvalid},
		{"weight not a number", Problem{People: people(2), Tables: two, Rounds: 1, OrgWeight: math.NaN()}, ErrInvalid},
		{"more played than rounds", Problem{People: people(1), Tables: two, Rounds: 1, Played: [][]string{{"t1"}, {"t2"}}}, ErrInvalid},
		{"played round too short", Problem{People: people(2), Tables: two, Rounds: 2, Played: [][]string{{"t1"}}}, ErrInvalid},
		{"host at a missing table", Problem{People: []Person{{ID: "a", Host: "t9"}}, Tables: two, Rounds: 1}, ErrUnknownTable},
		{"played at a missing table", Problem{People: people(1), Tables: two, Rounds: 2, Played: [][]string{{"t9"}}}, ErrUnknownTable},
		{"no tables", Problem{People: people(1), Rounds: 1}, ErrNoRoom},
		{"more people than seats", Problem{People: people(7), Tables: two, Rounds: 1}, ErrNoRoom},
		{"more hosts than seats", Problem{People: []Person{{ID: "a", Host: "t1"}, {ID: "b", Host: "t1"}}, Tables: []Table{{ID: "t1", Capacity: 1}, {ID: "t2"}}, Rounds: 1}, ErrNoRoom},
	}
	for _, c := range cases {
		_, err := Solve(c.p)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
		}
		if got := Random(c.p); got.Rounds != nil {
			t.Errorf("%s: Random planned an impossible problem", c.name)
		}
		if got := HandMethod(c.p); got.Rounds != nil {
			t.Errorf("%s: HandMethod planned an impossible problem", c.name)
		}
	}

	ok := Problem{People: people(4), Tables: two, Rounds: 2}
	plan, err := Solve(ok)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Replan(ok, plan, 3); !errors.Is(err, ErrInvalid) {
		t.Errorf("replan beyond the plan: %v", err)
	}
	plan.Rounds[0][0] = 7
	if _, err := Replan(ok, plan, 1); !errors.Is(err, ErrUnknownTable) {
		t.Errorf("replan from a seat at no table: %v", err)
	}
	if _, err := Seat(nil, nil, nil); !errors.Is(err, ErrNoRoom) {
		t.Errorf("seat without tables: %v", err)
	}
}

// TestSolveEdges: problems that are small or odd but possible.
func TestSolveEdges(t *testing.T) {
	cases := map[string]Problem{
		"nobody":          {Tables: []Table{{ID: "t"}}, Rounds: 2},
		"one person":      {People: []Person{{ID: "a"}}, Tables: []Table{{ID: "t"}}, Rounds: 3},
		"only hosts":      {People: []Person{{ID: "a", Host: "t1"}, {ID: "b", Host: "t2"}}, Tables: []Table{{ID: "t1"}, {ID: "t2"}}, Rounds: 2},
		"one table":       {People: []Person{{ID: "a"}, {ID: "b"}, {ID: "c"}}, Tables: []Table{{ID: "t"}}, Rounds: 3},
		"all rounds done": {People: []Person{{ID: "a"}}, Tables: []Table{{ID: "t"}}, Rounds: 1, Played: [][]string{{"t"}}},
		"full house":      {People: []Person{{ID: "a"}, {ID: "b"}, {ID: "c"}}, Tables: []Table{{ID: "t1", Capacity: 1}, {ID: "t2", Capacity: 2}}, Rounds: 2},
		"host table full": {People: []Person{{ID: "a", Host: "t1"}, {ID: "b"}, {ID: "c"}}, Tables: []Table{{ID: "t1", Capacity: 1}, {ID: "t2"}}, Rounds: 2},
	}
	for name, p := range cases {
		plan, err := Solve(p)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		checkPlan(t, p, plan)
		q := Measure(p, plan)
		forced, _ := forcedRevisits(p, plan) // one in the full house: two people for one seat
		if q.Revisits != forced || q.CapacityViolations != 0 {
			t.Fatalf("%s: %+v", name, q)
		}
	}
}
