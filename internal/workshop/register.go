package workshop

import (
	"strings"
)

// Registration is someone on a list the facilitator imports, registered before they arrive. The
// id and token hash are made outside: the id from the import's id and the row, so that a retried
// import makes the same people; the token derived from the facilitator's key
// (DeriveParticipantToken), so that personal links can be printed again.
type Registration struct {
	ID           string
	TokenHash    string
	Name         string
	Organisation string
	Email        string
}

// SamePerson finds a participant already in the workshop who is the person described: the same
// e-mail address, or the same name and organisation (ignoring case and spacing) whatever their
// addresses, since people give a personal address on their phone and a work one on the list.
// Importing a list twice, or a list holding people who joined by themselves, must not double
// anyone; the facilitator sees every match in the preview. To look up many people, use People.
func (s *State) SamePerson(name, organisation, email string) string {
	return s.People().Same(name, organisation, email)
}

// PeopleIndex finds participants by e-mail address and by name and organisation in constant
// time, so that checking a list of thousands against a workshop of thousands stays linear.
type PeopleIndex struct {
	byEmail, byKey map[string]indexed
	next           int
}

type indexed struct {
	id   string
	rank int // position in sortedParticipants order: the first match wins, as a scan would find
}

// People indexes the workshop's participants.
func (s *State) People() *PeopleIndex {
	x := &PeopleIndex{byEmail: map[string]indexed{}, byKey: map[string]indexed{}}
	for _, p := range s.sortedParticipants() {
		x.Add(p)
	}
	return x
}

// Add indexes one more participant, after those already there.
func (x *PeopleIndex) Add(p *Participant) {
	e := indexed{id: p.ID, rank: x.next}
	x.next++
	if email := strings.ToLower(strings.TrimSpace(p.Email)); email != "" {
		if _, ok := x.byEmail[email]; !ok {
			x.byEmail[email] = e
		}
	}
	if key := personKey(p.Name, p.Organisation); x.byKey[key].id == "" {
		x.byKey[key] = e
	}
}

// Same is SamePerson on the index.
func (x *PeopleIndex) Same(name, organisation, email string) string {
	var found indexed
	ok := false
	if email = strings.ToLower(strings.TrimSpace(email)); email != "" {
		found, ok = x.byEmail[email]
	}
	if k, kok := x.byKey[personKey(name, organisation)]; kok && (!ok || k.rank < found.rank) {
		found, ok = k, true
	}
	if !ok {
		return ""
	}
	return found.id
}

func personKey(name, organisation string) string {
	return strings.Join(strings.Fields(strings.ToLower(name)), " ") + "\x00" + strings.Join(strings.Fields(strings.ToLower(organisation)), " ")
}

// DecideRegister returns the events that add the people of an imported list, and the ids of the
// participants already there for those it skips (index by index; "" for the people added).
func DecideRegister(s *State, people []Registration, now int64) ([]Body, []string, error) {
	if !s.Created() {
		return nil, nil, errorf(CodeNotFound, "no such workshop")
	}
	skipped := make([]string, len(people))
	var out []Body
	scratch := *s
	scratch.Participants = make(map[string]*Participant, len(s.Participants)+len(people))
	for id, p := range s.Participants {
		scratch.Participants[id] = p
	}
	index := s.People()
	for i, r := range people {
		if err := requireID("id", r.ID); err != nil {
			return nil, nil, err
		}
		if existing, ok := scratch.Participants[r.ID]; ok {
			skipped[i] = existing.ID // the same import, retried
			continue
		}
		if same := index.Same(r.Name, r.Organisation, r.Email); same != "" {
			skipped[i] = same
			continue
		}
		p := Participant{ID: r.ID, TokenHash: r.TokenHash, JoinedAt: now}
		if err := p.identify(r.Name, r.Organisation, r.Email); err != nil {
			return nil, nil, err
		}
		if _, taken := s.byToken[p.TokenHash]; taken || p.TokenHash == "" {
			return nil, nil, errorf(CodeDuplicate, "token of %s is taken", p.Name)
		}
		if len(scratch.Participants) >= MaxParticipants {
			return nil, nil, errorf(CodeWorkshopFull, "a workshop holds at most %d people", MaxParticipants)
		}
		scratch.Participants[p.ID] = &p
		index.Add(&p)
		out = append(out, ParticipantJoined{Participant: p})
	}
	return out, skipped, nil
}
