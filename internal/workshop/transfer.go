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
	if err := x.checkHeader(); err != nil {
		return err
	}
	return nil
}

func (x Export) checkHeader() *Error {
	if x.Format != ExportFormat {
		return fieldError("format", CodeInvalid, "not a Nappe workshop export (format %q)", x.Format)
	}
	if x.Version != ExportVersion {
		return fieldError("version", CodeInvalid, "export version %d is not supported (this server reads version %d)", x.Version, ExportVersion)
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

// DecideImport returns the event that fills the workshop just created from an export's header
// and tables (s) with everything else it holds. The export must have passed CheckExport.
// tokenHash gives each participant's token hash on this server.
func DecideImport(s *State, x Export, tokenHash func(participant string) string) ([]Body, error) {
	b := WorkshopImported{Hosts: map[string]string{}, Rounds: x.Rounds, Clock: x.Clock, Seating: x.Seating, Played: x.Played,
		Plan: map[string][]string{}, Seatings: []map[string]string{}, Syntheses: map[string]*Synthesis{}}
	for _, ep := range x.Participants {
		p := Participant{ID: ep.ID, JoinedAt: ep.JoinedAt, Table: ep.Table, TokenHash: tokenHash(ep.ID)}
		if err := p.identify(ep.Name, ep.Organisation, ep.Email); err != nil {
			return nil, err
		}
		b.Participants = append(b.Participants, p)
	}
	for _, t := range x.Tables {
		if t.Host != "" {
			b.Hosts[t.ID] = t.Host
		}
	}
	for _, n := range x.Notes {
		var err *Error
		if n.Text, err = cleanText("note text", n.Text, MaxNoteText, true, true); err != nil {
			return nil, err
		}
		if n.AuthorName, err = cleanText("author name", n.AuthorName, MaxName, false, false); err != nil {
			return nil, err
		}
		if n.Via, err = cleanText("via", n.Via, MaxName, false, false); err != nil {
			return nil, err
		}
		if n.Voters == nil {
			n.Voters = []string{}
		}
		b.Notes = append(b.Notes, n)
	}
	for i, r := range b.Rounds {
		q, err := cleanText("round question", r.Question, MaxQuestion, false, true)
		if err != nil {
			return nil, err
		}
		b.Rounds[i].Question = q
	}
	for id, tables := range x.Plan {
		b.Plan[id] = tables
	}
	for _, seats := range x.Seatings {
		clean := make(map[string]string, len(seats))
		for id, t := range seats {
			clean[id] = t
		}
		b.Seatings = append(b.Seatings, clean)
	}
	for _, doc := range sortedIDs(x.Syntheses) {
		sy := x.Syntheses[doc]
		if sy.Rounds == nil {
			sy.Rounds = map[int]string{}
		}
		b.Syntheses[doc] = sy
	}
	return []Body{b}, nil
}

// DecideCreateImported returns every event of a workshop recreated from an export: created, its
// tables, then the rest. It checks the whole document first (CheckExport), so a refusal names
// the first bad field and nothing is half made. now is this server's clock.
func DecideCreateImported(args CreateArgs, x Export, tokenHash func(participant string) string, now int64) ([]Body, error) {
	if err := CheckExport(&x, now); err != nil {
		return nil, err
	}
	bodies, err := DecideCreate(New(), args, now)
	if err != nil {
		return nil, err
	}
	scratch := New()
	for i, b := range bodies {
		if err := scratch.Apply(Event{V: uint64(i + 1), Body: b}); err != nil {
			return nil, err
		}
	}
	imported, err := DecideImport(scratch, x, tokenHash)
	if err != nil {
		return nil, err
	}
	return append(bodies, imported...), nil
}
