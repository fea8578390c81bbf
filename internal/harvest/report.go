package harvest

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"nappe/internal/workshop"
)

// Report is a workshop's harvest as a document, ready to be written as Markdown or as printable
// HTML. Build copies everything it needs out of the state: it holds no pointer into it.
type Report struct{ doc *document }

// document is what both renderings show, in reading order. Its fields are exported for the HTML
// templates.
type document struct {
	L          *label
	Title      string
	Subtitle   string
	Date       string // "4 octobre 2018"
	LongDate   string // "Jeudi 4 octobre 2018"
	Venue      string
	Summary    string // "3 tables · 6 participants · 7 post-it"
	Tables     []tableDoc
	Plenary    []block
	People     []personDoc
	WithEmails bool
	Figures    *Figures
}

type tableDoc struct {
	Anchor    string // "table-1"
	Heading   string // "Table 1"
	Number    int
	Name      string
	Question  string
	Colour    string // palette name, "" when none
	Host      string // the host's name, "" when none
	Synthesis []block
	Top       []noteDoc
	Groups    []roundGroup
	Count     int
}

// roundGroup is the notes of one round at one table. Title is "" when the workshop never used
// rounds: the notes are then simply "the notes".
type roundGroup struct {
	Title    string
	Question string // the question asked at every table that round, if any
	Notes    []noteDoc
}

type noteDoc struct {
	Text   string // may hold line breaks
	Author string
	Via    string // "noté par Ada" when a host wrote it for someone
	Votes  int
	Colour string
}

type personDoc struct{ Name, Organisation, Email string }

// block is a paragraph (Text, its lines kept) or a bulleted list (Items) of a synthesis.
type block struct {
	Text  string
	Items []string
}

// Build gathers the report of a workshop: its header, each table (question, host, synthesis,
// most-voted notes, notes by round), the plenary synthesis, the participants and the figures.
// Hidden notes are left out.
func Build(s *workshop.State, o Options) (*Report, error) {
	o, err := o.resolve(s)
	if err != nil {
		return nil, err
	}
	l := labels[o.Language]
	ws := s.Workshop
	d := &document{L: l, Title: ws.Title, Subtitle: ws.Subtitle, Venue: ws.Venue, WithEmails: o.WithEmails}
	if ws.Date != "" {
		d.Date, d.LongDate = formatDate(ws.Date, l), longDate(ws.Date, l)
	}
	tables := visible(s)
	rounds := hasRounds(tables)
	notes := 0
	for _, t := range tables {
		d.Tables = append(d.Tables, buildTable(s, t, rounds, o, l))
		notes += len(t.notes)
	}
	if sy, ok := s.Syntheses[workshop.PlenaryDoc]; ok {
		d.Plenary = parseSynthesis(sy.Text.String())
	}
	for _, p := range participants(s) {
		pd := personDoc{Name: p.Name, Organisation: p.Organisation}
		if o.WithEmails {
			pd.Email = p.Email
		}
		d.People = append(d.People, pd)
	}
	summary := []string{l.plural(len(d.Tables), l.TablesN), l.plural(len(d.People), l.ParticipantsN), l.plural(notes, l.NotesN)}
	if played := len(s.Seatings); played > 0 {
		summary = append(summary, l.plural(played, l.RoundsN))
	}
	d.Summary = strings.Join(summary, " · ")
	d.Figures = newFigures(s, o, l, tables)
	return &Report{doc: d}, nil
}

func buildTable(s *workshop.State, t tableNotes, rounds bool, o Options, l *label) tableDoc {
	td := tableDoc{
		Anchor: fmt.Sprintf("table-%d", t.table.Number), Heading: fmt.Sprintf(l.Table, t.table.Number),
		Number: t.table.Number, Name: t.table.Name, Question: t.table.Question, Colour: t.table.Colour,
		Count: len(t.notes),
	}
	if p, ok := s.Participants[t.table.Host]; ok && t.table.Host != "" {
		td.Host = p.Name
	}
	if sy, ok := s.Syntheses[t.table.ID]; ok {
		td.Synthesis = parseSynthesis(sy.Text.String())
	}
	for _, n := range mostVoted(t.notes, o.TopNotes) {
		td.Top = append(td.Top, noteOf(s, n, l))
	}
	// Notes come in posting order; grouping by round keeps that order inside each round.
	var order []int
	byRound := map[int][]*workshop.Note{}
	for _, n := range t.notes {
		if _, seen := byRound[n.Round]; !seen {
			order = append(order, n.Round)
		}
		byRound[n.Round] = append(byRound[n.Round], n)
	}
	slices.Sort(order)
	for _, r := range order {
		g := roundGroup{}
		switch {
		case !rounds:
		case r == 0:
			g.Title = l.BeforeFirst
		default:
			g.Title = fmt.Sprintf(l.Round, r)
			if r >= 1 && r <= len(s.Rounds) {
				g.Question = s.Rounds[r-1].Question
			}
		}
		for _, n := range byRound[r] {
			g.Notes = append(g.Notes, noteOf(s, n, l))
		}
		td.Groups = append(td.Groups, g)
	}
	return td
}

func noteOf(s *workshop.State, n *workshop.Note, l *label) noteDoc {
	name, _ := author(s, n, l)
	nd := noteDoc{Text: n.Text, Author: name, Votes: len(n.Voters), Colour: n.Colour}
	if n.Via != "" && !n.Anonymous {
		nd.Via = fmt.Sprintf(l.Via, n.Via)
	}
	return nd
}

// parseSynthesis reads a synthesis as its editors wrote it: blank lines separate paragraphs, lines
// starting with "- " are bullets (consecutive ones make one list), other lines inside a paragraph
// are kept as line breaks.
func parseSynthesis(text string) []block {
	var out []block
	var para, items []string
	flush := func() {
		if len(para) > 0 {
			out = append(out, block{Text: strings.Join(para, "\n")})
			para = nil
		}
		if len(items) > 0 {
			out = append(out, block{Items: items})
			items = nil
		}
	}
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(strings.ReplaceAll(line, "\t", " "))
		if line == "" {
			flush()
			continue
		}
		if item, ok := strings.CutPrefix(line, "- "); ok || line == "-" {
			if len(para) > 0 {
				flush()
			}
			if item = strings.TrimSpace(item); ok && item != "" {
				items = append(items, item)
			}
			continue
		}
		if len(items) > 0 {
			flush()
		}
		para = append(para, line)
	}
	flush()
	return out
}

// Markdown writes the report as Markdown.
func (r *Report) Markdown(w io.Writer) error { return writeMarkdown(w, r.doc) }

// HTML writes the report as one self-contained, printable HTML page (A4).
func (r *Report) HTML(w io.Writer) error { return writeHTML(w, "report", r.doc) }

// Markdown writes the workshop's report as Markdown: Build, then Report.Markdown.
func Markdown(w io.Writer, s *workshop.State, o Options) error {
	r, err := Build(s, o)
	if err != nil {
		return err
	}
	return r.Markdown(w)
}

// HTML writes the workshop's report as printable HTML: Build, then Report.HTML.
func HTML(w io.Writer, s *workshop.State, o Options) error {
	r, err := Build(s, o)
	if err != nil {
		return err
	}
	return r.HTML(w)
}
