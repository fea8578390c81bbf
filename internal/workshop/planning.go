package workshop

import (
	"errors"
	"hash/fnv"

	"nappe/internal/rotation"
)

// rotationTables are the tables as the planner sees them, by number so that ties go the same way
// in every process.
func (s *State) rotationTables() []rotation.Table {
	var out []rotation.Table
	for _, t := range s.SortedTables() {
		out = append(out, rotation.Table{ID: t.ID, Capacity: t.Capacity})
	}
	return out
}

func seatOne(tables []rotation.Table, occupancy map[string]int, visited []string) (string, error) {
	return rotation.Seat(tables, occupancy, visited)
}

// planRounds asks the planner for the seating of rounds from…len(Rounds), keeping the rounds
// before as they were played, and returns it by participant (index 0 is round 1; "" before from).
func (s *State) planRounds(from int) (map[string][]string, error) {
	if len(s.Tables) == 0 {
		return nil, errorf(CodeInvalid, "add tables before planning")
	}
	people := s.sortedParticipants()
	if len(people) == 0 {
		return nil, errorf(CodeInvalid, "nobody has joined yet: plan once people are here")
	}
	p := rotation.Problem{Tables: s.rotationTables(), Rounds: len(s.Rounds), Seed: s.planSeed()}
	orgs := false
	for _, person := range people {
		p.People = append(p.People, rotation.Person{ID: person.ID, Organisation: person.Organisation, Host: s.HostOf(person.ID)})
		orgs = orgs || person.Organisation != ""
	}
	if orgs {
		p.OrgWeight = 0.5 // meeting new people first, then mixing organisations
	}
	for r := 0; r < from-1; r++ {
		played := make([]string, len(people))
		if r < len(s.Seatings) {
			for i, person := range people {
				t := s.Seatings[r][person.ID]
				if _, ok := s.Tables[t]; ok {
					played[i] = t
				}
			}
		}
		p.Played = append(p.Played, played)
	}
	plan, err := rotation.Solve(p)
	switch {
	case errors.Is(err, rotation.ErrNoRoom):
		return nil, errorf(CodeTableFull, "not enough seats: %v", err)
	case err != nil:
		return nil, errorf(CodeInvalid, "cannot plan: %v", err)
	}
	out := make(map[string][]string, len(people))
	for i, person := range people {
		tables := make([]string, len(s.Rounds))
		for r := from - 1; r < len(s.Rounds); r++ {
			if t := plan.Rounds[r][i]; t >= 0 {
				tables[r] = p.Tables[t].ID
			}
		}
		out[person.ID] = tables
	}
	return out, nil
}

// planSeed makes the plan depend on the workshop and its history only, so that the same request
// gives the same plan.
func (s *State) planSeed() uint64 {
	h := fnv.New64a()
	h.Write([]byte(s.Workshop.ID))
	var v [8]byte
	for i := range v {
		v[i] = byte(s.Version >> (8 * i))
	}
	h.Write(v[:])
	return h.Sum64()
}
