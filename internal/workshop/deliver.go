package workshop

// Delivery says who receives an event and in which form. There are at most three forms, for
// facilitators, projectors and participants, so that fan-out encodes each event at most three
// times however many people are in the room.
type Delivery struct {
	Type   string
	Fac    any // facilitators' data; nil: facilitators do not get it
	Public any // the board's and participants' data; nil: only facilitators (and Board) get it
	// Board, when set, is what projectors get instead of Public: the whole room's seating, say,
	// which every phone need not download.
	Board any
	// Tables lists the table rooms that get the public form ("" is the room of participants not
	// yet seated); AllTables sends it to every table room.
	Tables    []string
	AllTables bool
	// Reseat lists participants who changed table: their connections need a new snapshot, since
	// they now see another table's notes.
	Reseat []string
	// Removed lists participants who were removed: their connections are closed.
	Removed []string
}

// Deliver computes the delivery of e. Call it before applying e: it reads where things were
// (the table of a note about to be deleted, for instance).
func Deliver(s *State, e Event) Delivery {
	d := Delivery{Type: e.Body.Type()}
	both := func(data any) { d.Fac, d.Public = data, data }
	switch b := e.Body.(type) {
	case WorkshopCreated:
		both(map[string]any{"workshop": b.Workshop})
		d.AllTables = true
	case WorkshopDeleted:
		both(map[string]any{})
		d.AllTables = true
	case WorkshopEdited:
		both(map[string]any{"workshop": b.Workshop})
		d.AllTables = true
	case TableAdded:
		both(map[string]any{"table": b.Table})
		d.AllTables = true
	case TableEdited:
		both(map[string]any{"table": b.Table})
		d.AllTables = true
		// A new host sees their table's hidden notes, an old one no longer: both need a fresh view.
		if old, ok := s.Tables[b.Table.ID]; ok && old.Host != b.Table.Host {
			for _, p := range []string{old.Host, b.Table.Host} {
				if _, ok := s.Participants[p]; ok {
					d.Reseat = append(d.Reseat, p)
				}
			}
		}
	case TableRemoved:
		both(map[string]any{"table": b.Table})
		d.AllTables = true
	case ParticipantJoined:
		d.Fac = map[string]any{"participant": ViewParticipant(&b.Participant, true)}
		d.Public = map[string]any{"participant": ViewParticipant(&b.Participant, false)}
		d.Tables = seated(b.Participant.Table)
	case ParticipantEdited:
		p := b.Participant
		if old, ok := s.Participants[p.ID]; ok {
			p.Table = old.Table
		}
		d.Fac = map[string]any{"participant": ViewParticipant(&p, true)}
		d.Public = map[string]any{"participant": ViewParticipant(&p, false)}
		d.Tables = seated(p.Table)
	case ParticipantMoved:
		// The person comes along: the people at the new table have never seen them.
		moved := func(fac bool) map[string]any {
			m := map[string]any{"participant": b.Participant, "table": nullable(b.Table), "from": nullable(b.From)}
			if p, ok := s.Participants[b.Participant]; ok {
				q := *p
				q.Table = b.Table
				m["person"] = ViewParticipant(&q, fac)
			}
			return m
		}
		d.Fac, d.Public = moved(true), moved(false)
		d.Tables = seated(b.From, b.Table)
		d.Reseat = []string{b.Participant}
	case ParticipantRemoved:
		both(map[string]any{"participant": b.Participant})
		if p, ok := s.Participants[b.Participant]; ok {
			d.Tables = seated(p.Table)
		}
		d.Removed = []string{b.Participant}
	case NotePosted:
		d.Fac = map[string]any{"note": ViewNote(&b.Note, true)}
		d.Public = map[string]any{"note": ViewNote(&b.Note, false)}
		d.Tables = []string{b.Note.Table}
	case NoteEdited:
		both(map[string]any{"note": b.Note, "text": b.Text, "colour": b.Colour, "editedAt": b.EditedAt})
		d.routeNote(s, b.Note)
	case NoteDeleted:
		both(map[string]any{"note": b.Note})
		d.routeNote(s, b.Note)
	case NoteHidden:
		both(map[string]any{"note": b.Note})
		d.routeNote(s, b.Note)
	case NoteRestored:
		if n, ok := s.Notes[b.Note]; ok {
			restored := *n
			restored.Hidden = false
			d.Fac = map[string]any{"note": ViewNote(&restored, true)}
			d.Public = map[string]any{"note": ViewNote(&restored, false)}
			d.Tables = []string{n.Table}
		}
	case VoteToggled:
		both(map[string]any{"note": b.Note, "participant": b.Participant, "on": b.On})
		d.routeNote(s, b.Note)
	case RoundsSet:
		both(map[string]any{"rounds": b.Rounds})
		d.AllTables = true
	case RoundStarted:
		clock := map[string]any{"clock": s.nextClock(b)}
		d.Public = clock
		seated := map[string]any{"clock": clock["clock"], "seats": b.Seats}
		d.Fac, d.Board = seated, seated
		d.AllTables = true
		d.Reseat = s.reseatedBy(b.Seats)
	case RoundPaused, RoundResumed, RoundExtended, RoundEnded:
		both(map[string]any{"clock": s.nextClock(b)})
		d.AllTables = true
	case PlanMade:
		plan := map[string]any{"seating": SeatingPlanned, "from": b.From, "itineraries": s.itinerariesWith(b.Plan)}
		d.Fac, d.Board = plan, plan
		d.Public = map[string]any{"seating": SeatingPlanned, "from": b.From} // phones: rounds will seat them
		d.AllTables = true
	case SeatingChanged:
		both(map[string]any{"seating": b.Seating})
		d.AllTables = true
	case SynthesisChanged:
		both(map[string]any{"doc": b.Doc, "version": b.Version, "updates": b.Updates, "by": nullable(b.By)})
		if b.Doc == PlenaryDoc {
			d.AllTables = true
		} else {
			d.Tables = []string{b.Doc}
		}
	}
	return d
}

// seated keeps the rooms of real tables among tables. People not yet seated see nobody but
// themselves (a lobby of 2,000 phones would otherwise get 2,000 × 2,000 arrivals), so the
// comings and goings of other unseated people are not sent to them.
func seated(tables ...string) []string {
	var out []string
	for _, t := range tables {
		if t != "" {
			out = append(out, t)
		}
	}
	return out
}

// nextClock is the clock once b is applied.
func (s *State) nextClock(b Body) Clock {
	next := *s
	next.Participants, next.Seatings, next.Played = nil, nil, nil // applyRound must not touch what we share
	if started, ok := b.(RoundStarted); ok {
		return Clock{Round: started.Round, Status: ClockRunning, StartedAt: started.StartedAt, EndsAt: started.EndsAt}
	}
	next.applyRound(b)
	return next.Clock
}

// reseatedBy lists who needs a fresh view when seats are dealt: everyone who changes table, and
// everyone at a table someone joins or leaves (their list of table mates changes).
func (s *State) reseatedBy(seats map[string]string) []string {
	changed := map[string]bool{}
	for id, p := range s.Participants {
		to, ok := seats[id]
		if ok && to != p.Table {
			changed[p.Table], changed[to] = true, true
		}
	}
	var out []string
	for _, p := range s.sortedParticipants() {
		to, ok := seats[p.ID]
		if !ok {
			to = p.Table
		}
		if changed[p.Table] || changed[to] {
			out = append(out, p.ID)
		}
	}
	return out
}

// itinerariesWith is Itineraries once plan has replaced the current one.
func (s *State) itinerariesWith(plan map[string][]string) map[string][]string {
	next := *s
	next.Plan = plan
	return next.Itineraries()
}

// routeNote sends a change about a note to its table, and keeps changes to a hidden note among
// facilitators.
func (d *Delivery) routeNote(s *State, id string) {
	n, ok := s.Notes[id]
	if !ok {
		d.Public = nil
		return
	}
	if n.Hidden {
		// Only facilitators see it, and the table's host, who gets a fresh view rather than an
		// event every phone at the table would receive.
		d.Public = nil
		if h := s.Tables[n.Table]; h != nil && h.Host != "" {
			d.Reseat = []string{h.Host}
		}
		return
	}
	d.Tables = []string{n.Table}
}
