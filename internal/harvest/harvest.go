// Package harvest turns a workshop into what it leaves behind: a report people circulate and the
// data their colleagues open in a spreadsheet. Everything here is a pure function of a
// *workshop.State; the only I/O is the io.Writer the caller hands in.
//
// Hidden notes never leave the room: no export includes them. E-mail addresses appear only in the
// facilitator's reports (Options.WithEmails), never in the notes CSV or the charts.
//
// The reports (Markdown and printable HTML) are two renderings of one Report, built by Build; the
// charts are pure SVG drawn from Figures; the printouts (badges, table cards) are built by
// NewBadges and NewTableCards. Building copies what it needs out of the state, so a server can
// build inside the workshop's loop and render (QR codes, templates) outside it.
package harvest

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"nappe/internal/workshop"
)

// Options chooses what an export shows.
type Options struct {
	// Language of headings, labels and dates: "fr" or "en". Empty means the workshop's own.
	Language string
	// WithEmails adds participants' e-mail addresses to the Markdown report; for the
	// facilitator's copy only.
	WithEmails bool
	// TopNotes is how many most-voted notes each table lists: 0 means DefaultTopNotes, a
	// negative number none.
	TopNotes int
	// Location is the time zone of the times the charts and the report print; nil means UTC
	// (the workshop does not know where it took place).
	Location *time.Location
	// Part is which part of a printout split in several to show, from 1 (BadgeParts).
	Part int
}

// DefaultTopNotes is how many most-voted notes a table lists when Options.TopNotes is 0.
const DefaultTopNotes = 5

// resolve fills the defaults and checks the language.
func (o Options) resolve(s *workshop.State) (Options, error) {
	if o.Language == "" {
		o.Language = s.Workshop.Language
	}
	if o.Language == "" {
		o.Language = "fr"
	}
	if _, ok := labels[o.Language]; !ok {
		return o, fmt.Errorf("harvest: language %q: want fr or en", o.Language)
	}
	if o.TopNotes == 0 {
		o.TopNotes = DefaultTopNotes
	}
	if o.Location == nil {
		o.Location = time.UTC
	}
	return o, nil
}

// tableNotes is one table with the notes the harvest may show, in posting order.
type tableNotes struct {
	table workshop.Table
	notes []*workshop.Note
}

// visible groups the notes that are not hidden by table, tables in number order.
func visible(s *workshop.State) []tableNotes {
	tables := s.SortedTables()
	out := make([]tableNotes, len(tables))
	index := make(map[string]int, len(tables))
	for i, t := range tables {
		out[i].table = t
		index[t.ID] = i
	}
	for _, n := range s.OrderedNotes() {
		if i, ok := index[n.Table]; ok && !n.Hidden {
			out[i].notes = append(out[i].notes, n)
		}
	}
	return out
}

// hasRounds reports whether any visible note was posted after the rounds began; until then every
// note is in round 0 and the report does not mention rounds at all.
func hasRounds(tables []tableNotes) bool {
	for _, t := range tables {
		for _, n := range t.notes {
			if n.Round != 0 {
				return true
			}
		}
	}
	return false
}

// author is who a note is credited to and their organisation. An anonymous note keeps its author
// in the state (so they can edit it) but the harvest, like every view, never names them. A note a
// host (or the facilitator) wrote for someone without a phone is theirs: AuthorName. Otherwise the
// name is the participant's current one when they are still there, the one they posted under if
// not.
func author(s *workshop.State, n *workshop.Note, l *label) (name, org string) {
	switch {
	case n.Anonymous:
		return l.Anonymous, ""
	case n.Via != "" || (n.Author == "" && n.AuthorName != ""):
		return n.AuthorName, ""
	case n.Author == "":
		return l.Facilitator, ""
	}
	if p, ok := s.Participants[n.Author]; ok {
		return p.Name, p.Organisation
	}
	return n.AuthorName, ""
}

// mostVoted returns up to max notes with at least one vote, most votes first, ties in posting
// order.
func mostVoted(notes []*workshop.Note, max int) []*workshop.Note {
	var out []*workshop.Note
	for _, n := range notes {
		if len(n.Voters) > 0 {
			out = append(out, n)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return len(out[i].Voters) > len(out[j].Voters) })
	if max < 0 {
		max = 0
	}
	if len(out) > max {
		out = out[:max]
	}
	return out
}

// participants returns everyone, sorted by name as a reader expects: ignoring case and accents.
func participants(s *workshop.State) []*workshop.Participant {
	type keyed struct {
		key string
		p   *workshop.Participant
	}
	all := make([]keyed, 0, len(s.Participants))
	for _, p := range s.Participants {
		all = append(all, keyed{sortKey(p.Name), p})
	}
	sort.Slice(all, func(i, j int) bool {
		a, b := all[i], all[j]
		if a.key != b.key {
			return a.key < b.key
		}
		if a.p.Name != b.p.Name {
			return a.p.Name < b.p.Name
		}
		return a.p.ID < b.p.ID
	})
	out := make([]*workshop.Participant, len(all))
	for i, k := range all {
		out[i] = k.p
	}
	return out
}

// foldAccents covers the accented letters of French and its neighbours; the standard library has
// no collation, and this is enough to put "Émilie" among the E's.
var foldAccents = strings.NewReplacer(
	"à", "a", "â", "a", "ä", "a", "á", "a", "ã", "a", "å", "a",
	"ç", "c", "é", "e", "è", "e", "ê", "e", "ë", "e",
	"î", "i", "ï", "i", "í", "i", "ì", "i", "ñ", "n",
	"ô", "o", "ö", "o", "ó", "o", "ò", "o", "õ", "o", "ø", "o",
	"û", "u", "ü", "u", "ú", "u", "ù", "u", "ÿ", "y", "ý", "y",
	"œ", "oe", "æ", "ae", "ß", "ss",
)

func sortKey(name string) string { return foldAccents.Replace(strings.ToLower(name)) }

// formatDate turns the workshop's YYYY-MM-DD into "4 octobre 2018" or "4 October 2018"; a date
// that does not parse is shown as it is.
func formatDate(date string, l *label) string {
	d, err := time.Parse("2006-01-02", date)
	if err != nil {
		return date
	}
	day := fmt.Sprint(d.Day())
	if d.Day() == 1 && l.FirstOfMonth != "" {
		day = l.FirstOfMonth
	}
	return fmt.Sprintf("%s %s %d", day, l.Months[d.Month()-1], d.Year())
}

// longDate is formatDate with the day of the week, capitalised as the first word of a line:
// "Jeudi 4 octobre 2018".
func longDate(date string, l *label) string {
	d, err := time.Parse("2006-01-02", date)
	if err != nil {
		return date
	}
	w := []rune(l.Weekdays[d.Weekday()])
	return strings.ToUpper(string(w[:1])) + string(w[1:]) + " " + formatDate(date, l)
}

// isoTime is a log time (Unix milliseconds) in ISO 8601, UTC; zero is "never".
func isoTime(ms int64) string {
	if ms == 0 {
		return ""
	}
	return time.UnixMilli(ms).UTC().Format(time.RFC3339)
}
