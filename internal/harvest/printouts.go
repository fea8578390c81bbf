package harvest

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"nappe/internal/workshop"
)

// Links is what a printout needs to make its QR codes: the address people reach Nappe at (no
// trailing slash) and the facilitator's key, from which registered participants' personal
// tokens are derived.
type Links struct {
	PublicURL      string
	FacilitatorKey string
}

// Printout is a set of A4 sheets for the room: badges or table cards.
type Printout struct {
	page string
	doc  *printDoc
}

// HTML writes the sheets as one self-contained HTML page. The QR codes are drawn here, not when
// the printout is built, so a server can build it inside the workshop's loop and draw outside.
func (p *Printout) HTML(w io.Writer) error { return writeHTML(w, p.page, p.doc) }

type printDoc struct {
	L      *label
	Title  string // the workshop's
	Code   string
	Host   string // the public URL without its scheme, to type by hand
	Sheets []sheet
	Empty  bool
	// Part names which of several printouts this is ("1–400 / 10 000"), when the badges do
	// not fit one.
	Part string
}

// sheet is one A4 page: eight badges or two table cards.
type sheet struct {
	Badges []badge
	Cards  []card
}

type badge struct {
	Name, Organisation string
	NameSize           string // "l", "m" or "s": long names get a smaller type
	Hosting            string // "Hôte de la table 2", or ""
	Rounds             []badgeRound
	Columns            int    // of the itinerary
	Link               string // what the QR code opens
	LinkCaption        string
}

type badgeRound struct {
	Label  string // "Tour 1"
	Number int    // 0: not known
	Name   string
	Colour string
}

type card struct {
	Number                 int
	Name, Question, Colour string
	QuestionSize           string // "l", "m" or "s", by its length
	Link                   string
}

// badgesPerSheet is 2 × 4 badges of 95 × 69 mm on an A4 sheet.
const badgesPerSheet = 8

// BadgesPerPrintout caps one badges document at 50 sheets: a browser prints that at once, and
// drawing its QR codes stays a fraction of a second. Larger rooms print in parts
// (Options.Part).
const BadgesPerPrintout = 400

// BadgeParts is how many badge printouts the workshop's people need.
func BadgeParts(s *workshop.State) int {
	return max(1, (len(s.Participants)+BadgesPerPrintout-1)/BadgesPerPrintout)
}

// NewBadges builds a badge for every participant, in name order: name, organisation, their table
// for each round of the schedule (State.Itinerary: where they sat, then where the plan sends
// them, "—" where nothing is known) and a QR code. The QR code opens the participant's personal
// link when the facilitator registered them (their token is then derived from the facilitator's
// key, workshop.DeriveParticipantToken); people who joined by themselves hold a token nobody
// else knows, so theirs opens the workshop's join page.
func NewBadges(s *workshop.State, o Options, links Links) (*Printout, error) {
	o, err := o.resolve(s)
	if err != nil {
		return nil, err
	}
	l := labels[o.Language]
	d := newPrintDoc(s, l, links)
	join := links.PublicURL + "/j/" + s.Workshop.Code
	var all []badge
	people := participants(s)
	part := min(max(o.Part, 1), BadgeParts(s))
	if len(people) > BadgesPerPrintout {
		from, to := (part-1)*BadgesPerPrintout, min(part*BadgesPerPrintout, len(people))
		d.Part = fmt.Sprintf("%d–%d / %d", from+1, to, len(people))
		people = people[from:to]
	}
	for _, p := range people {
		b := badge{Name: p.Name, Organisation: p.Organisation, NameSize: nameSize(p.Name), Link: join,
			LinkCaption: fmt.Sprintf(l.JoinWithCode, s.Workshop.Code)}
		if links.FacilitatorKey != "" {
			token := workshop.DeriveParticipantToken(links.FacilitatorKey, p.ID)
			if workshop.HashToken(token) == p.TokenHash {
				b.Link = links.PublicURL + "/p/" + s.Workshop.ID + "#t=" + token
				b.LinkCaption = l.PersonalLink
			}
		}
		if t := s.HostOf(p.ID); t != "" {
			b.Hosting = fmt.Sprintf(l.HostBadge, s.Tables[t].Number)
		}
		for r, id := range s.Itinerary(p.ID) {
			br := badgeRound{Label: fmt.Sprintf(l.Round, r+1)}
			if t, ok := s.Tables[id]; ok {
				br.Number, br.Name, br.Colour = t.Number, t.Name, t.Colour
			}
			b.Rounds = append(b.Rounds, br)
		}
		b.Columns = (len(b.Rounds) + 4) / 5
		all = append(all, b)
	}
	for i := 0; i < len(all); i += badgesPerSheet {
		d.Sheets = append(d.Sheets, sheet{Badges: all[i:min(i+badgesPerSheet, len(all))]})
	}
	d.Empty = len(all) == 0
	return &Printout{page: "badges", doc: d}, nil
}

// NewTableCards builds a card for every table, two A5 cards (landscape) per A4 sheet: the
// table's number, name, question and colour, and a QR code to join the workshop at that table
// ({public URL}/j/{code}#table={table id}).
func NewTableCards(s *workshop.State, o Options, links Links) (*Printout, error) {
	o, err := o.resolve(s)
	if err != nil {
		return nil, err
	}
	l := labels[o.Language]
	d := newPrintDoc(s, l, links)
	var all []card
	for _, t := range s.SortedTables() {
		all = append(all, card{Number: t.Number, Name: t.Name, Question: t.Question, Colour: t.Colour,
			QuestionSize: questionSize(t.Question), Link: links.PublicURL + "/j/" + s.Workshop.Code + "#table=" + t.ID})
	}
	for i := 0; i < len(all); i += 2 {
		d.Sheets = append(d.Sheets, sheet{Cards: all[i:min(i+2, len(all))]})
	}
	d.Empty = len(all) == 0
	return &Printout{page: "cards", doc: d}, nil
}

func newPrintDoc(s *workshop.State, l *label, links Links) *printDoc {
	host := links.PublicURL
	for _, scheme := range []string{"https://", "http://"} {
		host = strings.TrimPrefix(host, scheme)
	}
	return &printDoc{L: l, Title: s.Workshop.Title, Code: s.Workshop.Code, Host: host}
}

// nameSize picks the type size of a name on a badge, so that long names still fit two lines.
func nameSize(name string) string {
	switch n := utf8.RuneCountInString(name); {
	case n <= 18:
		return "l"
	case n <= 30:
		return "m"
	}
	return "s"
}

// questionSize picks the type size of a table card's question: up to 500 characters must fit.
func questionSize(q string) string {
	switch n := utf8.RuneCountInString(q); {
	case n <= 110:
		return "l"
	case n <= 240:
		return "m"
	}
	return "s"
}

// JoinHint is "ou code K7QX4M", for the table cards.
func (d *printDoc) JoinHint() string { return fmt.Sprintf(d.L.JoinTableHint, d.Code) }
