package workshop

import (
	"encoding/json"
	"fmt"
)

// Event is one change to a workshop, as stored in the log. V numbers a workshop's events 1, 2, 3…
// with no gap, which is what clients resume from. Cmd is the id of the command that caused it, so
// that a command seen again (a retry, a reconnect, another process) is recognised and not redone.
type Event struct {
	V    uint64
	At   int64
	Cmd  string
	Body Body
}

// Body is the payload of an event; Type is its name on the wire and in the log.
type Body interface{ Type() string }

type (
	WorkshopCreated struct {
		Workshop           Workshop `json:"workshop"`
		FacilitatorKeyHash string   `json:"facilitatorKeyHash"`
		BoardKeyHash       string   `json:"boardKeyHash"`
	}
	WorkshopEdited struct {
		Workshop Workshop `json:"workshop"`
	}
	// WorkshopDeleted is the last event of a workshop: every process that applies it closes its
	// connections and forgets the workshop, just before the log itself is purged.
	WorkshopDeleted struct{}
	TableAdded      struct {
		Table Table `json:"table"`
	}
	TableEdited struct {
		Table Table `json:"table"`
	}
	TableRemoved struct {
		Table string `json:"table"`
	}
	ParticipantJoined struct {
		Participant Participant `json:"participant"`
	}
	ParticipantEdited struct {
		Participant Participant `json:"participant"`
	}
	ParticipantMoved struct {
		Participant string `json:"participant"`
		Table       string `json:"table"`
		From        string `json:"from"`
	}
	ParticipantRemoved struct {
		Participant string `json:"participant"`
	}
	NotePosted struct {
		Note Note `json:"note"`
	}
	NoteEdited struct {
		Note     string `json:"note"`
		Text     string `json:"text"`
		Colour   string `json:"colour"`
		EditedAt int64  `json:"editedAt"`
	}
	NoteDeleted struct {
		Note string `json:"note"`
	}
	NoteHidden struct {
		Note string `json:"note"`
	}
	NoteRestored struct {
		Note string `json:"note"`
	}
	VoteToggled struct {
		Note        string `json:"note"`
		Participant string `json:"participant"`
		On          bool   `json:"on"`
	}
	RoundsSet struct {
		Rounds []Round `json:"rounds"`
	}
	// RoundStarted carries where everyone sits for the round: the plan's choices, hosts at their
	// tables, latecomers seated then, so that replaying it needs no planner.
	RoundStarted struct {
		Round     int               `json:"round"`
		StartedAt int64             `json:"startedAt"`
		EndsAt    int64             `json:"endsAt"`
		Seats     map[string]string `json:"seats"`
	}
	RoundPaused struct {
		Remaining int64 `json:"remaining"`
	}
	RoundResumed struct {
		EndsAt int64 `json:"endsAt"`
	}
	RoundExtended struct {
		EndsAt    int64 `json:"endsAt"`
		Remaining int64 `json:"remaining"`
	}
	RoundEnded struct {
		Round int   `json:"round"`
		At    int64 `json:"at"`
	}
	// PlanMade is the seating of the rounds still to come, From onwards (counting from 1): Plan
	// maps a participant to a table id per round of the schedule, "" for rounds before From.
	PlanMade struct {
		From int                 `json:"from"`
		Plan map[string][]string `json:"plan"`
	}
	SeatingChanged struct {
		Seating string `json:"seating"`
	}
	// SynthesisChanged is a push of CodeMirror updates accepted at Version (the synthesis's
	// version before them). By is who pushed them ("" for a facilitator), for "who is editing".
	SynthesisChanged struct {
		Doc     string            `json:"doc"`
		Version int               `json:"version"`
		Updates []SynthesisUpdate `json:"updates"`
		By      string            `json:"by"`
	}
)

func (WorkshopCreated) Type() string    { return "workshop.created" }
func (WorkshopEdited) Type() string     { return "workshop.edited" }
func (WorkshopDeleted) Type() string    { return "workshop.deleted" }
func (TableAdded) Type() string         { return "table.added" }
func (TableEdited) Type() string        { return "table.edited" }
func (TableRemoved) Type() string       { return "table.removed" }
func (ParticipantJoined) Type() string  { return "participant.joined" }
func (ParticipantEdited) Type() string  { return "participant.edited" }
func (ParticipantMoved) Type() string   { return "participant.moved" }
func (ParticipantRemoved) Type() string { return "participant.removed" }
func (NotePosted) Type() string         { return "note.posted" }
func (NoteEdited) Type() string         { return "note.edited" }
func (NoteDeleted) Type() string        { return "note.deleted" }
func (NoteHidden) Type() string         { return "note.hidden" }
func (NoteRestored) Type() string       { return "note.restored" }
func (VoteToggled) Type() string        { return "vote.toggled" }
func (RoundsSet) Type() string          { return "rounds.set" }
func (RoundStarted) Type() string       { return "round.started" }
func (RoundPaused) Type() string        { return "round.paused" }
func (RoundResumed) Type() string       { return "round.resumed" }
func (RoundExtended) Type() string      { return "round.extended" }
func (RoundEnded) Type() string         { return "round.ended" }
func (PlanMade) Type() string           { return "plan.made" }
func (SeatingChanged) Type() string     { return "seating.changed" }
func (SynthesisChanged) Type() string   { return "synthesis.changed" }

// bodyTypes decodes a stored body by its type name.
var bodyTypes = map[string]func([]byte) (Body, error){
	"workshop.created":    decodeAs[WorkshopCreated],
	"workshop.edited":     decodeAs[WorkshopEdited],
	"workshop.deleted":    decodeAs[WorkshopDeleted],
	"workshop.imported":   decodeAs[WorkshopImported],
	"table.added":         decodeAs[TableAdded],
	"table.edited":        decodeAs[TableEdited],
	"table.removed":       decodeAs[TableRemoved],
	"participant.joined":  decodeAs[ParticipantJoined],
	"participant.edited":  decodeAs[ParticipantEdited],
	"participant.moved":   decodeAs[ParticipantMoved],
	"participant.removed": decodeAs[ParticipantRemoved],
	"note.posted":         decodeAs[NotePosted],
	"note.edited":         decodeAs[NoteEdited],
	"note.deleted":        decodeAs[NoteDeleted],
	"note.hidden":         decodeAs[NoteHidden],
	"note.restored":       decodeAs[NoteRestored],
	"vote.toggled":        decodeAs[VoteToggled],
	"rounds.set":          decodeAs[RoundsSet],
	"round.started":       decodeAs[RoundStarted],
	"round.paused":        decodeAs[RoundPaused],
	"round.resumed":       decodeAs[RoundResumed],
	"round.extended":      decodeAs[RoundExtended],
	"round.ended":         decodeAs[RoundEnded],
	"plan.made":           decodeAs[PlanMade],
	"seating.changed":     decodeAs[SeatingChanged],
	"synthesis.changed":   decodeAs[SynthesisChanged],
}

func decodeAs[T Body](data []byte) (Body, error) {
	var v T
	err := json.Unmarshal(data, &v)
	return v, err
}

type storedEvent struct {
	V    uint64          `json:"v"`
	At   int64           `json:"at"`
	Cmd  string          `json:"cmd,omitempty"`
	Type string          `json:"type"`
	Data json.RawMessage `json:"data"`
}

// MarshalJSON gives the log's form of an event (not the wire form: see views.go).
func (e Event) MarshalJSON() ([]byte, error) {
	data, err := json.Marshal(e.Body)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", e.Body.Type(), err)
	}
	return json.Marshal(storedEvent{V: e.V, At: e.At, Cmd: e.Cmd, Type: e.Body.Type(), Data: data})
}

// UnmarshalJSON reads an event from the log.
func (e *Event) UnmarshalJSON(b []byte) error {
	var s storedEvent
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("decode event: %w", err)
	}
	decode, ok := bodyTypes[s.Type]
	if !ok {
		return fmt.Errorf("decode event: unknown type %q", s.Type)
	}
	body, err := decode(s.Data)
	if err != nil {
		return fmt.Errorf("decode %s: %w", s.Type, err)
	}
	*e = Event{V: s.V, At: s.At, Cmd: s.Cmd, Body: body}
	return nil
}
