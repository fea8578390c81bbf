package workshop

import "regexp"

// CreateArgs is a new workshop as the server prepared it: the id, join code and key hashes are
// made outside (they need randomness), the rest comes from the facilitator.
type CreateArgs struct {
	ID                 string
	Code               string
	Title              string
	Subtitle           string
	Date               string
	Venue              string
	Language           string
	AllowAnonymous     bool
	FacilitatorKeyHash string
	BoardKeyHash       string
	Tables             []Table // ids set; numbers and colours may be zero (filled in order)
}

var codePattern = regexp.MustCompile(`^[A-Z0-9]{4,12}$`)

// DecideCreate returns the events that open a workshop: created, then one per table.
func DecideCreate(s *State, a CreateArgs, now int64) ([]Body, error) {
	if s.Created() {
		return nil, errorf(CodeDuplicate, "the workshop exists")
	}
	if err := requireID("id", a.ID); err != nil {
		return nil, err
	}
	if !codePattern.MatchString(a.Code) {
		return nil, errorf(CodeInvalid, "code must be 4 to 12 capital letters or digits")
	}
	if a.FacilitatorKeyHash == "" || a.BoardKeyHash == "" {
		return nil, errorf(CodeInvalid, "keys are required")
	}
	w := Workshop{ID: a.ID, Code: a.Code, AllowAnonymous: a.AllowAnonymous, CreatedAt: now, Language: a.Language, Date: a.Date}
	if w.Language == "" {
		w.Language = "fr"
	}
	if !validLanguage(w.Language) {
		return nil, errorf(CodeInvalid, "language must be fr or en")
	}
	if !validDate(w.Date) {
		return nil, errorf(CodeInvalid, "date must be YYYY-MM-DD")
	}
	var err *Error
	if w.Title, err = cleanText("title", a.Title, MaxTitle, true, false); err != nil {
		return nil, err
	}
	if w.Subtitle, err = cleanText("subtitle", a.Subtitle, MaxSubtitle, false, false); err != nil {
		return nil, err
	}
	if w.Venue, err = cleanText("venue", a.Venue, MaxVenue, false, false); err != nil {
		return nil, err
	}
	if len(a.Tables) > MaxTables {
		return nil, errorf(CodeInvalid, "a workshop has at most %d tables", MaxTables)
	}
	out := []Body{WorkshopCreated{Workshop: w, FacilitatorKeyHash: a.FacilitatorKeyHash, BoardKeyHash: a.BoardKeyHash}}
	// Tables are checked against a scratch state so numbering and duplicates behave exactly as
	// if they had been added one by one.
	scratch := New()
	for i, t := range a.Tables {
		if err := requireID("table id", t.ID); err != nil {
			return nil, err
		}
		if _, dup := scratch.Tables[t.ID]; dup {
			return nil, errorf(CodeDuplicate, "table id repeated")
		}
		if t.Number == 0 {
			t.Number = i + 1
		}
		if err := checkTable(scratch, &t); err != nil {
			return nil, err
		}
		scratch.Tables[t.ID] = &t
		out = append(out, TableAdded{Table: t})
	}
	return out, nil
}

// JoinArgs is a participant's request to join. ID is made by the client and becomes the
// participant id, so that a retried join finds the participant it already made.
type JoinArgs struct {
	ID           string
	TokenHash    string
	Name         string
	Organisation string
	Email        string
	Table        string
}

// DecideJoin returns the event that seats a new participant, or nothing when this exact join was
// already done (same id, same token).
func DecideJoin(s *State, a JoinArgs, now int64) ([]Body, error) {
	if !s.Created() {
		return nil, errorf(CodeNotFound, "no such workshop")
	}
	if err := requireID("id", a.ID); err != nil {
		return nil, err
	}
	if p, ok := s.Participants[a.ID]; ok {
		if p.TokenHash == a.TokenHash {
			return nil, nil
		}
		return nil, errorf(CodeDuplicate, "this id is taken")
	}
	if _, ok := s.byToken[a.TokenHash]; ok || a.TokenHash == s.FacilitatorKeyHash || a.TokenHash == s.BoardKeyHash {
		return nil, errorf(CodeDuplicate, "this token is taken")
	}
	if len(s.Participants) >= MaxParticipants {
		return nil, errorf(CodeWorkshopFull, "this workshop holds the most people it may (%d)", MaxParticipants)
	}
	p := Participant{ID: a.ID, TokenHash: a.TokenHash, JoinedAt: now, Table: a.Table}
	if err := p.identify(a.Name, a.Organisation, a.Email); err != nil {
		return nil, err
	}
	if s.Seating == SeatingPlanned && (s.Clock.Status == ClockRunning || s.Clock.Status == ClockPaused) {
		// A latecomer during a planned round: seated at once where there is most room, not at
		// whatever table they picked.
		if t, err := seatOne(s.rotationTables(), s.occupancy(), nil); err == nil {
			p.Table = t
		}
	} else if p.Table != "" {
		t, ok := s.Tables[p.Table]
		if !ok {
			return nil, errorf(CodeNotFound, "no such table")
		}
		if t.Capacity > 0 && s.seated(t.ID) >= t.Capacity {
			return nil, errorf(CodeTableFull, "table %d is full", t.Number)
		}
	}
	return []Body{ParticipantJoined{Participant: p}}, nil
}

// identify sets who a participant is, checked as every way in (joining, a list, an import) must.
func (p *Participant) identify(name, organisation, email string) *Error {
	var err *Error
	if p.Name, err = cleanText("name", name, MaxName, true, false); err != nil {
		return named("name", err)
	}
	if p.Organisation, err = cleanText("organisation", organisation, MaxOrganisation, false, false); err != nil {
		return named("organisation", err)
	}
	if p.Email, err = cleanText("email", email, MaxEmail, false, false); err != nil {
		return named("email", err)
	}
	if !validEmail(p.Email) {
		return named("email", errorf(CodeInvalid, "%s: email is not an e-mail address", p.Name))
	}
	return nil
}
