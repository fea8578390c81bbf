package workshop

// Delivery says who receives an event and in which form. There are only two forms, one for
// facilitators and one for everyone else, so that fan-out encodes each event at most twice however
// many people are in the room.
type Delivery struct {
	Type   string
	Fac    any // facilitators' data; nil: facilitators do not get it
	Public any // the board's and participants' data; nil: only facilitators get it
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
	case WorkshopEdited:
		both(map[string]any{"workshop": b.Workshop})
		d.AllTables = true
	case TableAdded:
		both(map[string]any{"table": b.Table})
		d.AllTables = true
	case TableEdited:
		both(map[string]any{"table": b.Table})
		d.AllTables = true
	case TableRemoved:
		both(map[string]any{"table": b.Table})
		d.AllTables = true
	case ParticipantJoined:
		d.Fac = map[string]any{"participant": ViewParticipant(&b.Participant, true)}
		d.Public = map[string]any{"participant": ViewParticipant(&b.Participant, false)}
		d.Tables = []string{b.Participant.Table}
	case ParticipantEdited:
		p := b.Participant
		if old, ok := s.Participants[p.ID]; ok {
			p.Table = old.Table
		}
		d.Fac = map[string]any{"participant": ViewParticipant(&p, true)}
		d.Public = map[string]any{"participant": ViewParticipant(&p, false)}
		d.Tables = []string{p.Table}
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
		d.Tables = []string{b.From, b.Table}
		d.Reseat = []string{b.Participant}
	case ParticipantRemoved:
		both(map[string]any{"participant": b.Participant})
		if p, ok := s.Participants[b.Participant]; ok {
			d.Tables = []string{p.Table}
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
	}
	return d
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
		d.Public = nil
		return
	}
	d.Tables = []string{n.Table}
}
