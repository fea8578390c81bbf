package workshop

import "sort"

// The wire forms of the model. They differ from the stored forms in what they leave out: token
// hashes always, e-mail addresses and hidden notes for everyone but facilitators, the author of an
// anonymous note for everyone.
type (
	NoteView struct {
		ID         string   `json:"id"`
		Table      string   `json:"table"`
		Author     *string  `json:"author"`
		AuthorName *string  `json:"authorName"`
		Via        *string  `json:"via"`
		Text       string   `json:"text"`
		Colour     string   `json:"colour"`
		Round      int      `json:"round"`
		CreatedAt  int64    `json:"createdAt"`
		EditedAt   *int64   `json:"editedAt"`
		Hidden     *bool    `json:"hidden,omitempty"`
		Voters     []string `json:"voters"`
	}
	ParticipantView struct {
		ID           string  `json:"id"`
		Name         string  `json:"name"`
		Organisation string  `json:"organisation"`
		Email        *string `json:"email,omitempty"`
		Table        *string `json:"table"`
		JoinedAt     int64   `json:"joinedAt"`
	}
	YouView struct {
		Participant string   `json:"participant"`
		Table       *string  `json:"table"`
		Mine        []string `json:"mine"`
	}
	Snapshot struct {
		Workshop     Workshop          `json:"workshop"`
		Tables       []Table           `json:"tables"`
		Participants []ParticipantView `json:"participants"`
		Notes        []NoteView        `json:"notes"`
		Rounds       []Round           `json:"rounds"`
		Clock        Clock             `json:"clock"`
		Seating      string            `json:"seating"`
		Syntheses    []SynthesisView   `json:"syntheses"`
		// Itineraries, for facilitators and projectors: each participant's table per round.
		Itineraries map[string][]string `json:"itineraries,omitempty"`
		You         *YouView            `json:"you,omitempty"`
	}
)

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// ViewNote renders a note for facilitators (full) or for everyone else.
func ViewNote(n *Note, facilitator bool) NoteView {
	v := NoteView{ID: n.ID, Table: n.Table, Text: n.Text, Colour: n.Colour, Round: n.Round,
		CreatedAt: n.CreatedAt, Voters: n.Voters}
	if v.Voters == nil {
		v.Voters = []string{}
	}
	if !n.Anonymous {
		v.Author, v.AuthorName, v.Via = nullable(n.Author), nullable(n.AuthorName), nullable(n.Via)
	}
	if n.EditedAt != 0 {
		v.EditedAt = &n.EditedAt
	}
	if facilitator {
		h := n.Hidden
		v.Hidden = &h
	}
	return v
}

// ViewParticipant renders a participant; only facilitators get the e-mail address.
func ViewParticipant(p *Participant, facilitator bool) ParticipantView {
	v := ParticipantView{ID: p.ID, Name: p.Name, Organisation: p.Organisation, Table: nullable(p.Table), JoinedAt: p.JoinedAt}
	if facilitator {
		e := p.Email
		v.Email = &e
	}
	return v
}

// Headcount is how many people sit at each table, every table named (0 included). Phones see
// only their own table's people, yet choosing a table needs to know where there is room.
func (s *State) Headcount() map[string]int {
	n := make(map[string]int, len(s.Tables))
	for id := range s.Tables {
		n[id] = 0
	}
	for _, p := range s.Participants {
		if _, ok := n[p.Table]; ok {
			n[p.Table]++
		}
	}
	return n
}

// SortedTables returns the tables by number.
func (s *State) SortedTables() []Table {
	out := make([]Table, 0, len(s.Tables))
	for _, t := range s.Tables {
		out = append(out, *t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return out
}

// Snapshot is the state as one reader may see it (PROTOCOL.md §3, "Who sees what").
func (s *State) Snapshot(a Actor) Snapshot {
	fac := a.Role == RoleFacilitator
	snap := Snapshot{Workshop: s.Workshop, Tables: s.SortedTables(), Participants: []ParticipantView{}, Notes: []NoteView{},
		Rounds: s.Rounds, Clock: s.Clock, Seating: s.Seating}
	if a.Role == RoleFacilitator || a.Role == RoleBoard {
		snap.Itineraries = s.Itineraries()
	}
	var me *Participant
	hosting := "" // a table host also sees the hidden notes of their table, to restore them
	if a.Role == RoleParticipant {
		me = s.Participants[a.Participant]
		if me == nil {
			return snap
		}
		snap.You = &YouView{Participant: me.ID, Table: nullable(me.Table), Mine: []string{}}
		hosting = s.HostOf(me.ID)
	}
	var ids []string // not sized for everyone: a phone's view holds a table, not the room
	for id, p := range s.Participants {
		// Table mates; someone not yet seated sees only themselves, not the whole lobby.
		if me == nil || p.ID == me.ID || (me.Table != "" && p.Table == me.Table) {
			ids = append(ids, id)
		}
	}
	sort.Slice(ids, func(i, j int) bool {
		pi, pj := s.Participants[ids[i]], s.Participants[ids[j]]
		if pi.JoinedAt != pj.JoinedAt {
			return pi.JoinedAt < pj.JoinedAt
		}
		return pi.ID < pj.ID
	})
	for _, id := range ids {
		snap.Participants = append(snap.Participants, ViewParticipant(s.Participants[id], fac))
	}
	snap.Syntheses = s.synthesisViews(me)
	for _, n := range s.OrderedNotes() {
		if me != nil && n.Author == me.ID {
			snap.You.Mine = append(snap.You.Mine, n.ID)
		}
		moderates := fac || (hosting != "" && n.Table == hosting)
		if (n.Hidden && !moderates) || (me != nil && n.Table != me.Table) {
			continue
		}
		snap.Notes = append(snap.Notes, ViewNote(n, moderates))
	}
	return snap
}
