package workshop

import (
	"fmt"
	"strconv"
	"time"
)

// An import needs no key (PROTOCOL.md §5): every value of the document is chosen by whoever sends
// it. So it is checked like a series of commands, field by field, against the same limits, and
// against what a workshop may hold at all, since everything the server later computes from it
// (reports, charts, plans) is sized by those limits. The first bad field refuses the whole
// document, named by its path ("notes[3].createdAt").

// Limits on what one workshop holds, whatever way it fills (joins, lists, imports). They bound
// every report, chart and plan computed from a workshop.
const (
	MaxParticipants = 10_000
	MaxNotes        = 20_000
)

// Times an import may carry: not before 2000, not more than a day past the importing server's
// clock (an export from a server whose clock runs a little ahead still imports). A round may be
// extended again and again, but not beyond a week.
var (
	minTime         = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	maxClockAhead   = (24 * time.Hour).Milliseconds()
	maxRoundSpan    = (7 * 24 * time.Hour).Milliseconds()
	maxSynthVersion = 1 << 30
)

// importCheck walks an export, remembering what it has seen for the references that follow.
type importCheck struct {
	x      *Export
	now    int64
	tables map[string]bool
	people map[string]bool
}

func fieldError(field, code, format string, args ...any) *Error {
	return &Error{Code: code, Field: field, Message: field + ": " + fmt.Sprintf(format, args...)}
}

// at places err under field, for errors from the checks commands share (cleanText, checkTable,
// identify): "tables[0]" and "capacity" make "tables[0].capacity".
func at(field string, err *Error) *Error {
	if err == nil {
		return nil
	}
	if err.Field != "" {
		field += "." + err.Field
	}
	return &Error{Code: err.Code, Field: field, Message: field + ": " + err.Message}
}

// CheckExport checks every field of an export against the limits commands enforce and what a
// workshop may hold; now is the importing server's clock.
func CheckExport(x *Export, now int64) *Error {
	if err := x.checkHeader(); err != nil {
		return err
	}
	c := &importCheck{x: x, now: now, tables: map[string]bool{}, people: map[string]bool{}}
	for _, step := range []func() *Error{c.header, c.tablesOK, c.participantsOK, c.hostsOK, c.scheduleOK,
		c.notesOK, c.planOK, c.seatingsOK, c.synthesesOK} {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// time checks one instant of the document; zero is allowed where the field may be unset.
func (c *importCheck) time(field string, ms int64, zeroOK bool) *Error {
	if ms == 0 && zeroOK {
		return nil
	}
	if ms < minTime || ms > c.now+maxClockAhead {
		return fieldError(field, CodeInvalid, "time %d is not between the year 2000 and tomorrow", ms)
	}
	return nil
}

func (c *importCheck) header() *Error {
	w := c.x.Workshop
	if err := c.time("exportedAt", c.x.ExportedAt, true); err != nil {
		return err
	}
	if err := c.time("workshop.createdAt", w.CreatedAt, true); err != nil {
		return err
	}
	for _, f := range []struct {
		name, value string
		max         int
		required    bool
	}{{"workshop.title", w.Title, MaxTitle, true}, {"workshop.subtitle", w.Subtitle, MaxSubtitle, false},
		{"workshop.venue", w.Venue, MaxVenue, false}} {
		if _, err := cleanText(f.name, f.value, f.max, f.required, false); err != nil {
			return at(f.name, err)
		}
	}
	if !validDate(w.Date) {
		return fieldError("workshop.date", CodeInvalid, "must be YYYY-MM-DD")
	}
	if w.Language != "" && !validLanguage(w.Language) {
		return fieldError("workshop.language", CodeInvalid, "must be fr or en")
	}
	return nil
}

func (c *importCheck) tablesOK() *Error {
	if len(c.x.Tables) > MaxTables {
		return fieldError("tables", CodeInvalid, "%d tables; a workshop has at most %d", len(c.x.Tables), MaxTables)
	}
	scratch := New()
	for i, t := range c.x.Tables {
		field := fmt.Sprintf("tables[%d]", i)
		if err := requireID("id", t.ID); err != nil {
			return at(field+".id", err)
		}
		if c.tables[t.ID] {
			return fieldError(field+".id", CodeDuplicate, "table %s appears twice", t.ID)
		}
		c.tables[t.ID] = true
		if t.Number == 0 {
			t.Number = i + 1
		}
		if err := checkTable(scratch, &t); err != nil {
			return at(field, err)
		}
		scratch.Tables[t.ID] = &t
	}
	return nil
}

func (c *importCheck) participantsOK() *Error {
	if len(c.x.Participants) > MaxParticipants {
		return fieldError("participants", CodeInvalid, "%d people; a workshop holds at most %d", len(c.x.Participants), MaxParticipants)
	}
	for i, ep := range c.x.Participants {
		field := fmt.Sprintf("participants[%d]", i)
		if err := requireID("id", ep.ID); err != nil {
			return at(field+".id", err)
		}
		if c.people[ep.ID] {
			return fieldError(field+".id", CodeDuplicate, "participant %s appears twice", ep.ID)
		}
		c.people[ep.ID] = true
		var p Participant
		if err := p.identify(ep.Name, ep.Organisation, ep.Email); err != nil {
			return at(field, err)
		}
		if ep.Table != "" && !c.tables[ep.Table] {
			return fieldError(field+".table", CodeNotFound, "no table %s in this export", ep.Table)
		}
		if err := c.time(field+".joinedAt", ep.JoinedAt, true); err != nil {
			return err
		}
	}
	return nil
}

func (c *importCheck) hostsOK() *Error {
	hosting := map[string]bool{}
	for i, t := range c.x.Tables {
		if t.Host == "" {
			continue
		}
		field := fmt.Sprintf("tables[%d].host", i)
		if !c.people[t.Host] {
			return fieldError(field, CodeNotFound, "table %d is hosted by an unknown participant", t.Number)
		}
		if hosting[t.Host] {
			return fieldError(field, CodeInvalid, "a person hosts one table at most")
		}
		hosting[t.Host] = true
	}
	return nil
}

// scheduleOK checks the rounds, the clock and the rounds played: the clock within the rounds,
// the rounds played no more than the clock says, times in order.
func (c *importCheck) scheduleOK() *Error {
	x := c.x
	if len(x.Rounds) == 0 || len(x.Rounds) > MaxRounds {
		return fieldError("rounds", CodeInvalid, "a workshop has 1 to %d rounds", MaxRounds)
	}
	for i, r := range x.Rounds {
		field := fmt.Sprintf("rounds[%d]", i)
		if r.Minutes < 1 || r.Minutes > MaxRoundMinutes {
			return fieldError(field+".minutes", CodeInvalid, "must be 1 to %d", MaxRoundMinutes)
		}
		if _, err := cleanText("round question", r.Question, MaxQuestion, false, true); err != nil {
			return at(field+".question", err)
		}
	}
	k := x.Clock
	switch k.Status {
	case ClockWaiting:
		if k.Round != 0 {
			return fieldError("clock.round", CodeInvalid, "a waiting clock is at round 0")
		}
	case ClockRunning, ClockPaused, ClockEnded:
		if k.Round < 1 || k.Round > len(x.Rounds) {
			return fieldError("clock.round", CodeInvalid, "round %d of %d", k.Round, len(x.Rounds))
		}
		if err := c.time("clock.startedAt", k.StartedAt, false); err != nil {
			return err
		}
		if k.EndsAt < k.StartedAt || k.EndsAt-k.StartedAt > maxRoundSpan {
			return fieldError("clock.endsAt", CodeInvalid, "a round ends after it starts, within a week")
		}
		if k.Remaining < 0 || k.Remaining > maxRoundSpan {
			return fieldError("clock.remaining", CodeInvalid, "must be between 0 and a week")
		}
	default:
		return fieldError("clock.status", CodeInvalid, "unknown status %q", k.Status)
	}
	if len(x.Played) > k.Round {
		return fieldError("played", CodeInvalid, "%d rounds played with the clock at round %d", len(x.Played), k.Round)
	}
	var last int64
	for i, p := range x.Played {
		field := fmt.Sprintf("played[%d]", i)
		if err := c.time(field+".started", p.Started, true); err != nil {
			return err
		}
		if err := c.time(field+".ended", p.Ended, true); err != nil {
			return err
		}
		if (p.Started != 0 && p.Started < last) || (p.Ended != 0 && p.Ended < p.Started) {
			return fieldError(field, CodeInvalid, "rounds start in order and end after they start")
		}
		last = max(last, p.Started, p.Ended)
	}
	if x.Seating != SeatingFree && x.Seating != SeatingPlanned {
		return fieldError("seating", CodeInvalid, "must be %q or %q", SeatingFree, SeatingPlanned)
	}
	return nil
}

func (c *importCheck) notesOK() *Error {
	x := c.x
	if len(x.Notes) > MaxNotes {
		return fieldError("notes", CodeInvalid, "%d notes; a workshop holds at most %d", len(x.Notes), MaxNotes)
	}
	seen := map[string]bool{}
	for i, n := range x.Notes {
		field := fmt.Sprintf("notes[%d]", i)
		if err := requireID("id", n.ID); err != nil {
			return at(field+".id", err)
		}
		if seen[n.ID] {
			return fieldError(field+".id", CodeDuplicate, "note %s appears twice", n.ID)
		}
		seen[n.ID] = true
		if !c.tables[n.Table] {
			return fieldError(field+".table", CodeNotFound, "no table %s in this export", n.Table)
		}
		if n.Author != "" && !c.people[n.Author] {
			return fieldError(field+".author", CodeNotFound, "no participant %s in this export", n.Author)
		}
		for _, f := range []struct {
			name, value      string
			max              int
			required, multis bool
		}{{"text", n.Text, MaxNoteText, true, true}, {"authorName", n.AuthorName, MaxName, false, false},
			{"via", n.Via, MaxName, false, false}} {
			if _, err := cleanText(f.name, f.value, f.max, f.required, f.multis); err != nil {
				return at(field+"."+f.name, err)
			}
		}
		if !validColour(n.Colour) {
			return fieldError(field+".colour", CodeInvalid, "must be one of the palette")
		}
		if n.Round < 0 || n.Round > x.Clock.Round {
			return fieldError(field+".round", CodeInvalid, "round %d, with the clock at round %d", n.Round, x.Clock.Round)
		}
		if err := c.time(field+".createdAt", n.CreatedAt, false); err != nil {
			return err
		}
		if err := c.time(field+".editedAt", n.EditedAt, true); err != nil {
			return err
		}
		voted := map[string]bool{}
		for j, v := range n.Voters {
			if !c.people[v] || voted[v] {
				return fieldError(fmt.Sprintf("%s.voters[%d]", field, j), CodeInvalid, "unknown or repeated voter")
			}
			voted[v] = true
		}
	}
	return nil
}

func (c *importCheck) knownTable(t string) bool { return t == "" || c.tables[t] }

func (c *importCheck) planOK() *Error {
	for _, id := range sortedIDs(c.x.Plan) {
		field := "plan." + id
		tables := c.x.Plan[id]
		if !c.people[id] {
			return fieldError(field, CodeInvalid, "the plan names an unknown participant")
		}
		if len(tables) > len(c.x.Rounds) {
			return fieldError(field, CodeInvalid, "%d rounds planned of %d", len(tables), len(c.x.Rounds))
		}
		for r, t := range tables {
			if !c.knownTable(t) {
				return fieldError(field+"["+strconv.Itoa(r)+"]", CodeNotFound, "no table %s in this export", t)
			}
		}
	}
	return nil
}

func (c *importCheck) seatingsOK() *Error {
	if len(c.x.Seatings) > c.x.Clock.Round {
		return fieldError("seatings", CodeInvalid, "%d seatings with the clock at round %d", len(c.x.Seatings), c.x.Clock.Round)
	}
	for r, seats := range c.x.Seatings {
		for _, id := range sortedIDs(seats) {
			if !c.people[id] || !c.knownTable(seats[id]) {
				return fieldError(fmt.Sprintf("seatings[%d].%s", r, id), CodeInvalid, "an unknown participant or table")
			}
		}
	}
	return nil
}

func (c *importCheck) synthesesOK() *Error {
	for _, doc := range sortedIDs(c.x.Syntheses) {
		field := "syntheses." + doc
		sy := c.x.Syntheses[doc]
		if !c.tables[doc] && doc != PlenaryDoc {
			return fieldError(field, CodeNotFound, "a synthesis belongs to a table of this export or to the plenary")
		}
		if sy == nil {
			return fieldError(field, CodeInvalid, "is missing")
		}
		if sy.Text.Len() > MaxSynthesisLen {
			return fieldError(field+".text", CodeTooLong, "%d code units; the limit is %d", sy.Text.Len(), MaxSynthesisLen)
		}
		if sy.Version < 0 || sy.Version > maxSynthVersion {
			return fieldError(field+".version", CodeInvalid, "must be between 0 and %d", maxSynthVersion)
		}
		if err := c.time(field+".editedAt", sy.EditedAt, true); err != nil {
			return err
		}
		for r, text := range sy.Rounds {
			if r < 1 || r > len(c.x.Rounds) {
				return fieldError(field+".rounds", CodeInvalid, "round %d of %d", r, len(c.x.Rounds))
			}
			if n := utf16Len(text); n > MaxSynthesisLen {
				return fieldError(fmt.Sprintf("%s.rounds.%d", field, r), CodeTooLong, "%d code units; the limit is %d", n, MaxSynthesisLen)
			}
		}
	}
	return nil
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}
