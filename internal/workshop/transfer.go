package workshop

// The JSON export of a whole workshop (PROTOCOL.md §5): everything needed to recreate it on
// another Nappe server, without any secret. Version changes when a field changes meaning;
// fields may be added within a version.
const (
	ExportFormat  = "nappe.workshop"
	ExportVersion = 1
)

// Export is a workshop as a document. Participants keep their ids, so notes, votes, hosts and
// seatings still point at them; they carry no token: on the new server, registered people get
// new personal links from the new facilitator key.
type Export struct {
	Format       string                `json:"format"`
	Version      int                   `json:"version"`
	ExportedAt   int64                 `json:"exportedAt"`
	Workshop     Workshop              `json:"workshop"`
	Tables       []Table               `json:"tables"`
	Participants []ExportedParticipant `json:"participants"`
	Notes        []Note                `json:"notes"`
	Rounds       []Round               `json:"rounds"`
	Clock        Clock                 `json:"clock"`
	Seating      string                `json:"seating"`
	Plan         map[string][]string   `json:"plan"`
	Seatings     []map[string]string   `json:"seatings"`
	Played       []PlayedRound         `json:"played"`
	Syntheses    map[string]*Synthesis `json:"syntheses"`
}

// ExportedParticipant is a participant without their token hash.
type ExportedParticipant struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	Organisation string `json:"organisation"`
	Email        string `json:"email"`
	Table        string `json:"table"`
	JoinedAt     int64  `json:"joinedAt"`
}

// Export returns the workshop as a document.
func (s *State) Export(now int64) Export {
	x := Export{Format: ExportFormat, Version: ExportVersion, ExportedAt: now, Workshop: s.Workshop,
		Tables: s.SortedTables(), Participants: []ExportedParticipant{}, Notes: []Note{},
		Rounds: s.Rounds, Clock: s.Clock, Seating: s.Seating, Plan: s.Plan, Seatings: s.Seatings, Played: s.Played, Syntheses: s.Syntheses}
	if x.Played == nil {
		x.Played = []PlayedRound{}
	}
	if x.Seatings == nil {
		x.Seatings = []map[string]string{}
	}
	for _, p := range s.sortedParticipants() {
		x.Participants = append(x.Participants, ExportedParticipant{ID: p.ID, Name: p.Name, Organisation: p.Organisation,
			Email: p.Email, Table: p.Table, JoinedAt: p.JoinedAt})
	}
	for _, n := range s.OrderedNotes() {
		note := *n
		if note.Voters == nil {
			note.Voters = []string{}
		}
		x.Notes = append(x.Notes, note)
	}
	return x
}

// WorkshopImported fills a workshop just created from an export with everything but its header
// and tables, which WorkshopCreated and TableAdded carried.
type WorkshopImported struct {
	Participants []Participant         `json:"participants"`
	Hosts        map[string]string     `json:"hosts"` // table id → participant id
	Notes        []Note                `json:"notes"`
	Rounds       []Round               `json:"rounds"`
	Clock        Clock                 `json:"clock"`
	Seating      string                `json:"seating"`
	Plan         map[string][]string   `json:"plan"`
	Seatings     []map[string]string   `json:"seatings"`
	Played       []PlayedRound         `json:"played"`
	Syntheses    map[string]*Synthesis `json:"syntheses"`
}

func (WorkshopImported) Type() string { return "workshop.imported" }

func (s *State) applyImport(b WorkshopImported) {
	for _, p := range b.Participants {
		p := p
		s.Participants[p.ID] = &p
		s.byToken[p.TokenHash] = p.ID
	}
	for table, p := range b.Hosts {
		if t, ok := s.Tables[table]; ok {
			t.Host = p
		}
	}
	for _, n := range b.Notes {
		n := n
		n.Voters = append([]string{}, n.Voters...)
		s.Notes[n.ID] = &n
		s.NoteOrder = append(s.NoteOrder, n.ID)
	}
	s.Rounds, s.Clock, s.Seating = b.Rounds, b.Clock, b.Seating
	s.Plan, s.Seatings, s.Played = b.Plan, b.Seatings, b.Played
	for doc, sy := range b.Syntheses {
		s.Syntheses[doc] = sy
	}
}

// CheckHeader tells whether a document is an export this server reads, before anything in it
// is looked at: someone uploading the wrong file learns that first.
func (x Export) CheckHeader() error {
	if x.Format != ExportFormat {
		return errorf(CodeInvalid, "not a Nappe workshop export (format %q)", x.Format)
	}
	if x.Version != ExportVersion {
		return errorf(CodeInvalid, "export version %d is not supported (this server reads version %d)", x.Version, ExportVersion)
	}
	return nil
}

// CreateArgsFromExport takes the header and tables of an export for DecideCreate (hosts are set
// by the import, once participants exist).
func CreateArgsFromExport(x Export) CreateArgs {
	a := CreateArgs{Title: x.Workshop.Title, Subtitle: x.Workshop.Subtitle, Date: x.Workshop.Date, Venue: x.Workshop.Venue,
		Language: x.Workshop.Language, AllowAnonymous: x.Workshop.AllowAnonymous}
	for _, t := range x.Tables {
		t.Host = ""
		a.Tables = append(a.Tables, t)
	}
	return a
}

// DecideImport checks an export against the workshop just created from its header and tables
// (s) and returns the event that fills it. tokenHash gives each participant's token hash on this
// server. Every reference must resolve and every text fit the limits commands enforce: an
// export edited by hand gets a clear error, never a half-imported workshop.
func DecideImport(s *State, x Export, tokenHash func(participant string) string) ([]Body, error) {
	if err := x.CheckHeader(); err != nil {
		return nil, err
	}
	b := WorkshopImported{Hosts: map[string]string{}, Rounds: x.Rounds, Clock: x.Clock, Seating: x.Seating, Played: x.Played,
		Plan: map[string][]string{}, Seatings: []map[string]string{}, Syntheses: map[string]*Synthesis{}}
	people := map[string]bool{}
	var err *Error
	for _, ep := range x.Participants {
		if e := requireID("participant id", ep.ID); e != nil {
			return nil, e
		}
		if people[ep.ID] {
			return nil, errorf(CodeDuplicate, "participant %s appears twice", ep.ID)
		}
		people[ep.ID] = true
		p := Participant{ID: ep.ID, JoinedAt: ep.JoinedAt, Table: ep.Table, TokenHash: tokenHash(ep.ID)}
		if err := p.identify(ep.Name, ep.Organisation, ep.Email); err != nil {
			return nil, err
		}
		if _, ok := s.Tables[p.Table]; p.Table != "" && !ok {
			return nil, errorf(CodeNotFound, "participant %s sits at an unknown table", ep.ID)
		}
		b.Participants = append(b.Participants, p)
	}
	for _, t := range x.Tables {
		if t.Host == "" {
			continue
		}
		if !people[t.Host] {
			return nil, errorf(CodeNotFound, "table %d is hosted by an unknown participant", t.Number)
		}
		b.Hosts[t.ID] = t.Host
	}
	notes := map[string]bool{}
	for _, n := range x.Notes {
		if e := requireID("note id", n.ID); e != nil {
			return nil, e
		}
		if notes[n.ID] {
			return nil, errorf(CodeDuplicate, "note %s appears twice", n.ID)
		}
		notes[n.ID] = true
		if _, ok := s.Tables[n.Table]; !ok {
			return nil, errorf(CodeNotFound, "note %s is on an unknown table", n.ID)
		}
		if n.Author != "" && !people[n.Author] {
			return nil, errorf(CodeNotFound, "note %s has an unknown author", n.ID)
		}
		if n.Text, err = cleanText("note text", n.Text, MaxNoteText, true, true); err != nil {
			return nil, err
		}
		if n.AuthorName, err = cleanText("author name", n.AuthorName, MaxName, false, false); err != nil {
			return nil, err
		}
		if n.Via, err = cleanText("via", n.Via, MaxName, false, false); err != nil {
			return nil, err
		}
		if !validColour(n.Colour) {
			return nil, errorf(CodeInvalid, "note %s: colour must be one of the palette", n.ID)
		}
		seen := map[string]bool{}
		for _, v := range n.Voters {
			if !people[v] || seen[v] {
				return nil, errorf(CodeInvalid, "note %s: unknown or repeated voter", n.ID)
			}
			seen[v] = true
		}
		if n.Voters == nil {
			n.Voters = []string{}
		}
		b.Notes = append(b.Notes, n)
	}
	if len(b.Rounds) == 0 || len(b.Rounds) > MaxRounds {
		return nil, errorf(CodeInvalid, "a workshop has 1 to %d rounds", MaxRounds)
	}
	for i, r := range b.Rounds {
		if r.Minutes < 1 || r.Minutes > MaxRoundMinutes {
			return nil, errorf(CodeInvalid, "round %d: minutes must be 1 to %d", i+1, MaxRoundMinutes)
		}
		if b.Rounds[i].Question, err = cleanText("round question", r.Question, MaxQuestion, false, true); err != nil {
			return nil, err
		}
	}
	switch b.Clock.Status {
	case ClockWaiting, ClockRunning, ClockPaused, ClockEnded:
	default:
		return nil, errorf(CodeInvalid, "clock status %q is unknown", b.Clock.Status)
	}
	if b.Clock.Round < 0 || b.Clock.Round > len(b.Rounds) || len(x.Seatings) > b.Clock.Round {
		return nil, errorf(CodeInvalid, "the clock is at round %d of %d with %d seatings", b.Clock.Round, len(b.Rounds), len(x.Seatings))
	}
	if len(b.Played) > b.Clock.Round {
		return nil, errorf(CodeInvalid, "%d rounds played with the clock at round %d", len(b.Played), b.Clock.Round)
	}
	if b.Seating != SeatingFree && b.Seating != SeatingPlanned {
		return nil, errorf(CodeInvalid, "seating must be %q or %q", SeatingFree, SeatingPlanned)
	}
	knownTable := func(t string) bool { _, ok := s.Tables[t]; return t == "" || ok }
	for id, tables := range x.Plan {
		if !people[id] || len(tables) > len(b.Rounds) {
			return nil, errorf(CodeInvalid, "the plan names an unknown participant or too many rounds")
		}
		for _, t := range tables {
			if !knownTable(t) {
				return nil, errorf(CodeNotFound, "the plan names an unknown table")
			}
		}
		b.Plan[id] = tables
	}
	for _, seats := range x.Seatings {
		clean := map[string]string{}
		for id, t := range seats {
			if !people[id] || !knownTable(t) {
				return nil, errorf(CodeInvalid, "a seating names an unknown participant or table")
			}
			clean[id] = t
		}
		b.Seatings = append(b.Seatings, clean)
	}
	for _, doc := range sortedIDs(x.Syntheses) {
		sy := x.Syntheses[doc]
		if _, ok := s.Tables[doc]; !ok && doc != PlenaryDoc {
			return nil, errorf(CodeNotFound, "a synthesis belongs to an unknown table")
		}
		if sy == nil || sy.Text.Len() > MaxSynthesisLen || sy.Version < 0 {
			return nil, errorf(CodeInvalid, "synthesis of %s is missing, too long or has a negative version", doc)
		}
		if sy.Rounds == nil {
			sy.Rounds = map[int]string{}
		}
		b.Syntheses[doc] = sy
	}
	return []Body{b}, nil
}
