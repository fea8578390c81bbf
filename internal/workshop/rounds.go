package workshop

import "sort"

// Round is one round of conversation as planned: how long it lasts and, optionally, a question
// asked at every table on top of each table's own.
type Round struct {
	Minutes  int    `json:"minutes"`
	Question string `json:"question"`
}

// Clock is where the room is in its rounds. Times are the server's, in milliseconds since the
// epoch; clients correct them by their own clock's offset (PROTOCOL.md, "Keepalive and clock").
type Clock struct {
	// Round is the round running, paused or last ended, counting from 1; 0 before the first.
	Round  int    `json:"round"`
	Status string `json:"status"`
	// StartedAt is when Round started; EndsAt when it ends if nobody pauses or extends it (it
	// may be in the past: the room is then in overtime until the facilitator moves it on).
	StartedAt int64 `json:"startedAt"`
	EndsAt    int64 `json:"endsAt"`
	// Remaining is what was left when the round was paused.
	Remaining int64 `json:"remaining"`
}

// PlayedRound is when a round started and ended, in server milliseconds (Ended 0: not yet).
type PlayedRound struct {
	Started int64 `json:"started"`
	Ended   int64 `json:"ended"`
}

// Clock statuses.
const (
	ClockWaiting = "waiting" // before the first round
	ClockRunning = "running"
	ClockPaused  = "paused"
	ClockEnded   = "ended" // Round has ended; the next one (if any) has not started
)

// Seating modes: with a plan, starting a round sends everyone to their planned table; with free
// seating, people choose their tables themselves (small groups, informal cafés).
const (
	SeatingFree    = "free"
	SeatingPlanned = "planned"
)

// Limits of a schedule.
const (
	MaxRounds       = 12
	MaxRoundMinutes = 240
	MaxExtend       = 60
)

// DefaultRounds is the schedule of a new workshop: three rounds of twenty minutes, the classic
// World Café.
func DefaultRounds() []Round {
	return []Round{{Minutes: 20}, {Minutes: 20}, {Minutes: 20}}
}

// CurrentTable is where a participant sits now, or "".
func (s *State) CurrentTable(participant string) string {
	if p, ok := s.Participants[participant]; ok {
		return p.Table
	}
	return ""
}

// HostOf returns the table a participant hosts, or "".
func (s *State) HostOf(participant string) string {
	if participant == "" {
		return ""
	}
	for id, t := range s.Tables {
		if t.Host == participant {
			return id
		}
	}
	return ""
}

// Visited lists the tables a participant has sat at in the rounds started so far.
func (s *State) Visited(participant string) []string {
	var out []string
	for _, seats := range s.Seatings {
		if t := seats[participant]; t != "" {
			out = append(out, t)
		}
	}
	return out
}

// Itinerary is a participant's table for every round of the schedule: where they sat in the
// rounds started so far, then where the plan sends them ("" where nothing is known).
func (s *State) Itinerary(participant string) []string {
	out := make([]string, len(s.Rounds))
	plan := s.Plan[participant]
	for r := range out {
		switch {
		case r < len(s.Seatings):
			out[r] = s.Seatings[r][participant]
		case r < len(plan):
			out[r] = plan[r]
		}
	}
	return out
}

// Itineraries is Itinerary for everyone, by participant id.
func (s *State) Itineraries() map[string][]string {
	out := make(map[string][]string, len(s.Participants))
	for id := range s.Participants {
		out[id] = s.Itinerary(id)
	}
	return out
}

// sortedParticipants lists participants in joining order, the order every deterministic choice
// about people follows.
func (s *State) sortedParticipants() []*Participant {
	out := make([]*Participant, 0, len(s.Participants))
	for _, p := range s.Participants {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].JoinedAt != out[j].JoinedAt {
			return out[i].JoinedAt < out[j].JoinedAt
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// applyRound folds the round and plan events into the state.
func (s *State) applyRound(b Body) {
	switch b := b.(type) {
	case RoundsSet:
		s.Rounds = append([]Round(nil), b.Rounds...)
		for id, plan := range s.Plan {
			if len(plan) > len(s.Rounds) {
				s.Plan[id] = plan[:len(s.Rounds)]
			}
		}
	case RoundStarted:
		s.Clock = Clock{Round: b.Round, Status: ClockRunning, StartedAt: b.StartedAt, EndsAt: b.EndsAt}
		seats := make(map[string]string, len(b.Seats))
		for id, t := range b.Seats {
			if p, ok := s.Participants[id]; ok {
				p.Table = t
				seats[id] = t
			}
		}
		for len(s.Seatings) < b.Round {
			s.Seatings = append(s.Seatings, map[string]string{})
		}
		s.Seatings[b.Round-1] = seats
		for len(s.Played) < b.Round {
			s.Played = append(s.Played, PlayedRound{})
		}
		s.Played[b.Round-1] = PlayedRound{Started: b.StartedAt}
	case RoundPaused:
		s.Clock.Status, s.Clock.Remaining = ClockPaused, b.Remaining
	case RoundResumed:
		s.Clock.Status, s.Clock.EndsAt, s.Clock.Remaining = ClockRunning, b.EndsAt, 0
	case RoundExtended:
		s.Clock.EndsAt, s.Clock.Remaining = b.EndsAt, b.Remaining
	case RoundEnded:
		s.Clock.Status, s.Clock.EndsAt, s.Clock.Remaining = ClockEnded, b.At, 0
		if b.Round >= 1 && b.Round <= len(s.Played) {
			s.Played[b.Round-1].Ended = b.At
		}
	case PlanMade:
		s.Seating = SeatingPlanned
		s.Plan = make(map[string][]string, len(b.Plan))
		for id, tables := range b.Plan {
			s.Plan[id] = append([]string(nil), tables...)
		}
	case SeatingChanged:
		s.Seating = b.Seating
		if b.Seating == SeatingFree {
			s.Plan = map[string][]string{}
		}
	}
}

// noteSeat keeps the current round's seating up to date when someone changes table during it,
// so that Visited knows they have been there.
func (s *State) noteSeat(participant, table string) {
	if s.Clock.Round == 0 || len(s.Seatings) < s.Clock.Round || table == "" {
		return
	}
	if s.Clock.Status == ClockRunning || s.Clock.Status == ClockPaused {
		s.Seatings[s.Clock.Round-1][participant] = table
	}
}

// occupancy counts the people at each table now.
func (s *State) occupancy() map[string]int {
	out := make(map[string]int, len(s.Tables))
	for _, p := range s.Participants {
		if p.Table != "" {
			out[p.Table]++
		}
	}
	return out
}
