package workshop

import (
	"time"
)

// Decide checks a command against the state and the sender's role and returns the events it
// becomes, or an *Error saying why not. It changes nothing: the caller stores the events, then
// applies them. now is the time to stamp on what the command creates.
func Decide(s *State, a Actor, c Command, now int64) ([]Body, error) {
	if !s.Created() {
		return nil, errorf(CodeNotFound, "no such workshop")
	}
	if a.Role == RoleParticipant {
		if _, ok := s.Participants[a.Participant]; !ok {
			return nil, errorf(CodeForbidden, "you are no longer part of this workshop")
		}
	}
	decide, ok := deciders[c.Type]
	if !ok {
		return nil, errorf(CodeUnknown, "unknown command type %q", c.Type)
	}
	if !decide.roles[a.Role] {
		return nil, errorf(CodeForbidden, "a %s may not %s", a.Role, c.Type)
	}
	return decide.fn(s, a, c, now)
}

type decider struct {
	roles map[Role]bool
	fn    func(*State, Actor, Command, int64) ([]Body, error)
}

var (
	facilitatorOnly = map[Role]bool{RoleFacilitator: true}
	anyone          = map[Role]bool{RoleFacilitator: true, RoleParticipant: true}
	participantOnly = map[Role]bool{RoleParticipant: true}
)

// deciders is the command table: each command with the roles that may send it at all. Finer
// rules (only your own note, only your own table) live in each function.
var deciders = map[string]decider{
	"workshop.edit":      {facilitatorOnly, decideWorkshopEdit},
	"workshop.delete":    {facilitatorOnly, decideWorkshopDelete},
	"table.add":          {facilitatorOnly, decideTableAdd},
	"table.edit":         {facilitatorOnly, decideTableEdit},
	"table.remove":       {facilitatorOnly, decideTableRemove},
	"participant.edit":   {anyone, decideParticipantEdit},
	"participant.move":   {anyone, decideParticipantMove},
	"participant.remove": {facilitatorOnly, decideParticipantRemove},
	"note.post":          {anyone, decideNotePost},
	"note.edit":          {anyone, decideNoteEdit},
	"note.delete":        {anyone, decideNoteDelete},
	"note.hide":          {anyone, decideNoteHide},
	"note.restore":       {anyone, decideNoteRestore},
	"vote.toggle":        {participantOnly, decideVoteToggle},
	"rounds.set":         {facilitatorOnly, decideRoundsSet},
	"round.start":        {facilitatorOnly, decideRoundStart},
	"round.pause":        {facilitatorOnly, decideRoundPause},
	"round.resume":       {facilitatorOnly, decideRoundResume},
	"round.extend":       {facilitatorOnly, decideRoundExtend},
	"round.end":          {facilitatorOnly, decideRoundEnd},
	"plan.make":          {facilitatorOnly, decidePlanMake},
	"seating.set":        {facilitatorOnly, decideSeatingSet},
	"host.set":           {facilitatorOnly, decideHostSet},
	"synthesis.push":     {anyone, decideSynthesisPush},
}

// KnownCommand reports whether t names a command, so the transport can tell an unknown type from
// a refused one before authenticating anything.
func KnownCommand(t string) bool { _, ok := deciders[t]; return ok }

func validDate(s string) bool {
	if s == "" {
		return true
	}
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}

func decideWorkshopEdit(s *State, _ Actor, c Command, _ int64) ([]Body, error) {
	var a workshopEditArgs
	if err := decodeArgs(c.Data, &a); err != nil {
		return nil, err
	}
	w := s.Workshop
	var err *Error
	if a.Title != nil {
		if w.Title, err = cleanText("title", *a.Title, MaxTitle, true, false); err != nil {
			return nil, err
		}
	}
	if a.Subtitle != nil {
		if w.Subtitle, err = cleanText("subtitle", *a.Subtitle, MaxSubtitle, false, false); err != nil {
			return nil, err
		}
	}
	if a.Venue != nil {
		if w.Venue, err = cleanText("venue", *a.Venue, MaxVenue, false, false); err != nil {
			return nil, err
		}
	}
	if a.Date != nil {
		if !validDate(*a.Date) {
			return nil, errorf(CodeInvalid, "date must be YYYY-MM-DD")
		}
		w.Date = *a.Date
	}
	if a.Language != nil {
		if !validLanguage(*a.Language) {
			return nil, errorf(CodeInvalid, "language must be fr or en")
		}
		w.Language = *a.Language
	}
	if a.AllowAnonymous != nil {
		w.AllowAnonymous = *a.AllowAnonymous
	}
	if w == s.Workshop {
		return nil, nil
	}
	return []Body{WorkshopEdited{Workshop: w}}, nil
}

// decideWorkshopDelete ends the workshop for good; the HTTP layer then purges what is stored.
func decideWorkshopDelete(*State, Actor, Command, int64) ([]Body, error) {
	return []Body{WorkshopDeleted{}}, nil
}
