package workshop

import (
	"sort"
)

type (
	roundsSetArgs struct {
		Rounds []Round `json:"rounds"`
	}
	roundExtendArgs struct {
		Minutes int `json:"minutes"`
	}
	seatingArgs struct {
		Seating string `json:"seating"`
	}
	hostSetArgs struct {
		Table       string  `json:"table"`
		Participant *string `json:"participant"`
	}
)

func decideRoundsSet(s *State, _ Actor, c Command, _ int64) ([]Body, error) {
	var args roundsSetArgs
	if err := decodeArgs(c.Data, &args); err != nil {
		return nil, err
	}
	if len(args.Rounds) == 0 || len(args.Rounds) > MaxRounds {
		return nil, errorf(CodeInvalid, "a workshop has 1 to %d rounds", MaxRounds)
	}
	if len(args.Rounds) < s.Clock.Round {
		return nil, errorf(CodeInvalid, "round %d has already started; keep at least %d rounds", s.Clock.Round, s.Clock.Round)
	}
	rounds := make([]Round, len(args.Rounds))
	for i, r := range args.Rounds {
		if r.Minutes < 1 || r.Minutes > MaxRoundMinutes {
			return nil, errorf(CodeInvalid, "round %d: minutes must be 1 to %d", i+1, MaxRoundMinutes)
		}
		q, err := cleanText("question", r.Question, MaxQuestion, false, true)
		if err != nil {
			return nil, err
		}
		rounds[i] = Round{Minutes: r.Minutes, Question: q}
	}
	if equalRounds(rounds, s.Rounds) {
		return nil, nil
	}
	return []Body{RoundsSet{Rounds: rounds}}, nil
}

func equalRounds(a, b []Round) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// decideRoundStart starts the next round, ending the current one first if it is still going:
// "next round" is one tap for the facilitator.
func decideRoundStart(s *State, _ Actor, _ Command, now int64) ([]Body, error) {
	next := s.Clock.Round + 1
	if next > len(s.Rounds) {
		return nil, errorf(CodeInvalid, "all %d rounds have been played; add a round first", len(s.Rounds))
	}
	var out []Body
	if s.Clock.Status == ClockRunning || s.Clock.Status == ClockPaused {
		out = append(out, RoundEnded{Round: s.Clock.Round, At: now})
	}
	length := int64(s.Rounds[next-1].Minutes) * 60_000
	out = append(out, RoundStarted{Round: next, StartedAt: now, EndsAt: now + length, Seats: s.seatsFor(next)})
	return out, nil
}

// seatsFor decides where everyone sits in round r: hosts at their tables; with a plan, everyone
// at their planned table, and people the plan does not know (latecomers) at the least-filled
// table they have not visited; with free seating, everyone where they are.
func (s *State) seatsFor(r int) map[string]string {
	seats := make(map[string]string, len(s.Participants))
	occupancy := map[string]int{}
	hosts := map[string]string{}
	for id, t := range s.Tables {
		if _, ok := s.Participants[t.Host]; ok {
			hosts[t.Host] = id
		}
	}
	var unplanned []*Participant
	for _, p := range s.sortedParticipants() {
		t := hosts[p.ID]
		if t == "" && s.Seating == SeatingPlanned {
			if plan := s.Plan[p.ID]; r-1 < len(plan) {
				if _, ok := s.Tables[plan[r-1]]; ok {
					t = plan[r-1]
				}
			}
			if t == "" {
				unplanned = append(unplanned, p)
				continue
			}
		}
		if t == "" && s.Seating == SeatingFree {
			t = p.Table
		}
		if t != "" {
			seats[p.ID] = t
			occupancy[t]++
		}
	}
	tables := s.rotationTables()
	for _, p := range unplanned {
		if t, err := seatOne(tables, occupancy, s.Visited(p.ID)); err == nil {
			seats[p.ID] = t
			occupancy[t]++
		} else if p.Table != "" {
			seats[p.ID] = p.Table // the room is full: stay put rather than stand
			occupancy[p.Table]++
		}
	}
	return seats
}

func decideRoundPause(s *State, _ Actor, _ Command, now int64) ([]Body, error) {
	if s.Clock.Status != ClockRunning {
		return nil, errorf(CodeInvalid, "no round is running")
	}
	return []Body{RoundPaused{Remaining: max(0, s.Clock.EndsAt-now)}}, nil
}

func decideRoundResume(s *State, _ Actor, _ Command, now int64) ([]Body, error) {
	if s.Clock.Status != ClockPaused {
		return nil, errorf(CodeInvalid, "no round is paused")
	}
	return []Body{RoundResumed{EndsAt: now + s.Clock.Remaining}}, nil
}

// decideRoundExtend adds minutes to the round; in overtime, they count from now, which is what a
// facilitator who says "five more minutes" means.
func decideRoundExtend(s *State, _ Actor, c Command, now int64) ([]Body, error) {
	var args roundExtendArgs
	if err := decodeArgs(c.Data, &args); err != nil {
		return nil, err
	}
	if args.Minutes < 1 || args.Minutes > MaxExtend {
		return nil, errorf(CodeInvalid, "minutes must be 1 to %d", MaxExtend)
	}
	add := int64(args.Minutes) * 60_000
	switch s.Clock.Status {
	case ClockRunning:
		return []Body{RoundExtended{EndsAt: max(s.Clock.EndsAt, now) + add}}, nil
	case ClockPaused:
		return []Body{RoundExtended{Remaining: s.Clock.Remaining + add}}, nil
	}
	return nil, errorf(CodeInvalid, "no round is running")
}

func decideRoundEnd(s *State, _ Actor, _ Command, now int64) ([]Body, error) {
	if s.Clock.Status != ClockRunning && s.Clock.Status != ClockPaused {
		return nil, errorf(CodeInvalid, "no round is running")
	}
	return []Body{RoundEnded{Round: s.Clock.Round, At: now}}, nil
}

// decidePlanMake plans the rounds still to come (past and running rounds stay as they were).
func decidePlanMake(s *State, _ Actor, _ Command, _ int64) ([]Body, error) {
	from := s.Clock.Round + 1 // a running round is kept as it is, like the played ones
	if from > len(s.Rounds) {
		return nil, errorf(CodeInvalid, "no round is left to plan")
	}
	plan, err := s.planRounds(from)
	if err != nil {
		return nil, err
	}
	return []Body{PlanMade{From: from, Plan: plan}}, nil
}

func decideSeatingSet(s *State, _ Actor, c Command, _ int64) ([]Body, error) {
	var args seatingArgs
	if err := decodeArgs(c.Data, &args); err != nil {
		return nil, err
	}
	switch args.Seating {
	case SeatingFree:
		if s.Seating == SeatingFree {
			return nil, nil
		}
		return []Body{SeatingChanged{Seating: SeatingFree}}, nil
	case SeatingPlanned:
		if s.Seating == SeatingPlanned {
			return nil, nil
		}
		return decidePlanMake(s, Actor{}, Command{}, 0)
	}
	return nil, errorf(CodeInvalid, "seating must be %q or %q", SeatingFree, SeatingPlanned)
}

// decideHostSet makes a participant the host of a table (or leaves it without one). The host
// goes to that table at once and stays there every round; a table has one host, a person hosts
// one table.
func decideHostSet(s *State, _ Actor, c Command, _ int64) ([]Body, error) {
	var args hostSetArgs
	if err := decodeArgs(c.Data, &args); err != nil {
		return nil, err
	}
	t, ok := s.Tables[args.Table]
	if !ok {
		return nil, errorf(CodeNotFound, "no such table")
	}
	who := ""
	if args.Participant != nil {
		who = *args.Participant
	}
	if who == t.Host {
		return nil, nil
	}
	var out []Body
	if who != "" {
		p, ok := s.Participants[who]
		if !ok {
			return nil, errorf(CodeNotFound, "no such participant")
		}
		if old := s.HostOf(who); old != "" {
			was := *s.Tables[old]
			was.Host = ""
			out = append(out, TableEdited{Table: was})
		}
		if p.Table != t.ID {
			out = append(out, ParticipantMoved{Participant: who, Table: t.ID, From: p.Table})
		}
	}
	now := *t
	now.Host = who
	return append(out, TableEdited{Table: now}), nil
}

// sortedIDs returns a map's keys in order, for deterministic output.
func sortedIDs[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
