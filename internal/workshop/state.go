package workshop

import (
	"encoding/json"
	"fmt"
)

// State is a workshop as the replay of its events. It is not safe for concurrent use: one goroutine
// per workshop owns it.
type State struct {
	Version            uint64                  `json:"version"`
	Workshop           Workshop                `json:"workshop"`
	FacilitatorKeyHash string                  `json:"facilitatorKeyHash"`
	BoardKeyHash       string                  `json:"boardKeyHash"`
	Tables             map[string]*Table       `json:"tables"`
	Participants       map[string]*Participant `json:"participants"`
	Notes              map[string]*Note        `json:"notes"`
	// NoteOrder keeps notes in posting order, so every view lists them the same way.
	NoteOrder []string `json:"noteOrder"`
	// Rounds is the schedule; Clock where the room is in it.
	Rounds []Round `json:"rounds"`
	Clock  Clock   `json:"clock"`
	// Seating is SeatingFree or SeatingPlanned; Plan the planned table of each participant for
	// each round (index 0 is round 1); Seatings where everyone sat in each round started so far.
	Seating  string              `json:"seating"`
	Plan     map[string][]string `json:"plan"`
	Seatings []map[string]string `json:"seatings"`
	// Played is when each round started and ended (0: still going), for the harvest's timeline.
	Played []PlayedRound `json:"played,omitempty"`
	// Deleted: the facilitator deleted the workshop; nothing is accepted any more.
	Deleted bool `json:"deleted,omitempty"`
	// Syntheses are the texts written together, by table id or PlenaryDoc.
	Syntheses map[string]*Synthesis `json:"syntheses"`
	// Commands remembers, for every command that changed something, the version of its last
	// event: a command seen again is answered with that version instead of being redone.
	Commands map[string]uint64 `json:"commands"`

	byToken map[string]string // token hash → participant id
}

// New returns the state of a workshop before its first event.
func New() *State {
	return &State{
		Tables:       map[string]*Table{},
		Participants: map[string]*Participant{},
		Notes:        map[string]*Note{},
		Commands:     map[string]uint64{},
		Rounds:       DefaultRounds(),
		Clock:        Clock{Status: ClockWaiting},
		Seating:      SeatingFree,
		Plan:         map[string][]string{},
		Syntheses:    map[string]*Synthesis{},
		byToken:      map[string]string{},
	}
}

// Created reports whether the workshop exists (its first event has been applied).
func (s *State) Created() bool { return s.Workshop.ID != "" && !s.Deleted }

// DecodeState reads a snapshot written with json.Marshal(state).
func DecodeState(b []byte) (*State, error) {
	s := New()
	if err := json.Unmarshal(b, s); err != nil {
		return nil, fmt.Errorf("decode snapshot: %w", err)
	}
	for _, m := range []any{s.Tables, s.Participants, s.Notes, s.Commands} {
		if m == nil {
			return nil, fmt.Errorf("decode snapshot: missing maps")
		}
	}
	// Snapshots written before rounds existed lack them: such a workshop has the defaults.
	if s.Rounds == nil {
		s.Rounds = DefaultRounds()
	}
	if s.Clock.Status == "" {
		s.Clock.Status = ClockWaiting
	}
	if s.Seating == "" {
		s.Seating = SeatingFree
	}
	if s.Plan == nil {
		s.Plan = map[string][]string{}
	}
	if s.Syntheses == nil {
		s.Syntheses = map[string]*Synthesis{}
	}
	s.byToken = make(map[string]string, len(s.Participants))
	for id, p := range s.Participants {
		s.byToken[p.TokenHash] = id
	}
	return s, nil
}

// Apply folds one event into the state. Events at or below the current version are ignored (a
// replay may overlap what is already applied); a gap is an error, since applying past it would
// make this process disagree with the others.
func (s *State) Apply(e Event) error {
	if e.V <= s.Version {
		return nil
	}
	if e.V != s.Version+1 {
		return fmt.Errorf("event v%d after v%d: %w", e.V, s.Version, ErrGap)
	}
	s.apply(e)
	s.Version = e.V
	if e.Cmd != "" {
		s.Commands[e.Cmd] = e.V
	}
	return nil
}

// ErrGap reports an event that does not follow the state's version.
var ErrGap = fmt.Errorf("gap in the event sequence")

// apply never fails: events were checked by Decide before they were stored, and an event that
// no longer fits (its note deleted meanwhile by another process) simply changes nothing.
func (s *State) apply(e Event) {
	switch b := e.Body.(type) {
	case WorkshopCreated:
		s.Workshop = b.Workshop
		s.FacilitatorKeyHash = b.FacilitatorKeyHash
		s.BoardKeyHash = b.BoardKeyHash
	case WorkshopImported:
		s.applyImport(b)
	case WorkshopDeleted:
		s.Deleted = true
	case WorkshopEdited:
		s.Workshop = b.Workshop
	case TableAdded:
		t := b.Table
		s.Tables[t.ID] = &t
	case TableEdited:
		t := b.Table
		s.Tables[t.ID] = &t
	case TableRemoved:
		delete(s.Tables, b.Table)
	case ParticipantJoined:
		p := b.Participant
		s.Participants[p.ID] = &p
		s.byToken[p.TokenHash] = p.ID
		s.noteSeat(p.ID, p.Table)
	case ParticipantEdited:
		if old, ok := s.Participants[b.Participant.ID]; ok {
			p := b.Participant
			p.TokenHash = old.TokenHash
			s.Participants[p.ID] = &p
		}
	case ParticipantMoved:
		if p, ok := s.Participants[b.Participant]; ok {
			p.Table = b.Table
			s.noteSeat(p.ID, b.Table)
		}
	case ParticipantRemoved:
		if p, ok := s.Participants[b.Participant]; ok {
			delete(s.byToken, p.TokenHash)
			delete(s.Participants, b.Participant)
			delete(s.Plan, b.Participant)
			if t := s.HostOf(b.Participant); t != "" {
				s.Tables[t].Host = ""
			}
		}
	case NotePosted:
		n := b.Note
		n.Voters = append([]string(nil), n.Voters...)
		s.Notes[n.ID] = &n
		s.NoteOrder = append(s.NoteOrder, n.ID)
	case NoteEdited:
		if n, ok := s.Notes[b.Note]; ok {
			n.Text, n.Colour, n.EditedAt = b.Text, b.Colour, b.EditedAt
		}
	case NoteDeleted:
		if _, ok := s.Notes[b.Note]; ok {
			delete(s.Notes, b.Note)
			s.NoteOrder = removeString(s.NoteOrder, b.Note)
		}
	case NoteHidden:
		if n, ok := s.Notes[b.Note]; ok {
			n.Hidden = true
		}
	case NoteRestored:
		if n, ok := s.Notes[b.Note]; ok {
			n.Hidden = false
		}
	case SynthesisChanged:
		s.applySynthesis(b, e.At)
	case RoundEnded:
		s.keepRoundTexts(b.Round)
		s.applyRound(b)
	case RoundsSet, RoundStarted, RoundPaused, RoundResumed, RoundExtended, PlanMade, SeatingChanged:
		s.applyRound(b)
	case VoteToggled:
		if n, ok := s.Notes[b.Note]; ok {
			n.Voters = removeString(n.Voters, b.Participant)
			if b.On {
				n.Voters = append(n.Voters, b.Participant)
			}
		}
	}
}

func removeString(list []string, s string) []string {
	for i, v := range list {
		if v == s {
			return append(list[:i:i], list[i+1:]...)
		}
	}
	return list
}

// Notes returns the notes in posting order.
func (s *State) OrderedNotes() []*Note {
	out := make([]*Note, 0, len(s.NoteOrder))
	for _, id := range s.NoteOrder {
		if n, ok := s.Notes[id]; ok {
			out = append(out, n)
		}
	}
	return out
}
