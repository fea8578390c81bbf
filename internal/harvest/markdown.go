package harvest

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"

	"nappe/internal/workshop"
)

// Markdown writes the workshop's report: its header, then each table in number order with its
// question, its most-voted notes and all its notes, then the participants.
func Markdown(w io.Writer, s *workshop.State, o Options) error {
	o, err := o.resolve(s)
	if err != nil {
		return err
	}
	l := labels[o.Language]
	var b bytes.Buffer
	ws := s.Workshop
	fmt.Fprintf(&b, "# %s\n", escape(ws.Title))
	if ws.Subtitle != "" {
		fmt.Fprintf(&b, "\n%s\n", escape(ws.Subtitle))
	}
	var when []string
	if ws.Date != "" {
		when = append(when, escape(formatDate(ws.Date, l)))
	}
	if ws.Venue != "" {
		when = append(when, escape(ws.Venue))
	}
	if len(when) > 0 {
		fmt.Fprintf(&b, "\n%s\n", strings.Join(when, " · "))
	}

	tables := visible(s)
	rounds := hasRounds(tables)
	for _, t := range tables {
		writeTable(&b, s, t, rounds, o, l)
	}
	writeParticipants(&b, s, o, l)

	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("harvest: write report: %w", err)
	}
	return nil
}

func writeTable(b *bytes.Buffer, s *workshop.State, t tableNotes, rounds bool, o Options, l *label) {
	fmt.Fprintf(b, "\n## Table %d — %s\n", t.table.Number, escape(t.table.Name))
	if t.table.Question != "" {
		fmt.Fprintf(b, "\n> %s\n", indent(escape(t.table.Question), "> "))
	}
	if len(t.notes) == 0 {
		fmt.Fprintf(b, "\n_%s_\n", l.noNotes)
		return
	}
	if top := mostVoted(t.notes, o.TopNotes); len(top) > 0 {
		fmt.Fprintf(b, "\n### %s\n\n", l.mostVoted)
		for i, n := range top {
			marker := fmt.Sprintf("%d. ", i+1)
			fmt.Fprintf(b, "%s%s\n", marker, noteItem(s, n, l, marker))
		}
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
		title := l.notes
		if rounds {
			title = fmt.Sprintf(l.round, r)
		}
		fmt.Fprintf(b, "\n### %s\n\n", title)
		for _, n := range byRound[r] {
			fmt.Fprintf(b, "- %s\n", noteItem(s, n, l, "- "))
		}
	}
}

// noteItem is one note as a list item after its marker: the text (its lines as line breaks inside
// the item), then its votes and author.
func noteItem(s *workshop.State, n *workshop.Note, l *label, marker string) string {
	name, _ := author(s, n, l)
	credit := "_" + escape(name) + "_"
	if v := len(n.Voters); v > 0 {
		credit = l.votes(v) + " · " + credit
	}
	return indent(escape(n.Text), strings.Repeat(" ", len(marker))) + " — " + credit
}

func writeParticipants(b *bytes.Buffer, s *workshop.State, o Options, l *label) {
	fmt.Fprintf(b, "\n## %s\n\n", l.participants)
	people := participants(s)
	if len(people) == 0 {
		fmt.Fprintf(b, "_%s_\n", l.noParticipant)
		return
	}
	if o.WithEmails {
		fmt.Fprintf(b, "| %s | %s | %s |\n| --- | --- | --- |\n", l.name, l.organisation, l.email)
	} else {
		fmt.Fprintf(b, "| %s | %s |\n| --- | --- |\n", l.name, l.organisation)
	}
	for _, p := range people {
		fmt.Fprintf(b, "| %s | %s |", cell(p.Name), cell(p.Organisation))
		if o.WithEmails {
			fmt.Fprintf(b, " %s |", cell(p.Email))
		}
		b.WriteByte('\n')
	}
}

// cell is text for a table cell, which cannot span lines.
func cell(s string) string { return strings.ReplaceAll(escape(s), "\\\n", "<br>") }

// indent prefixes every line after the first, so that a note's later lines stay inside its list
// item (or a question's inside its quote).
func indent(s, prefix string) string { return strings.ReplaceAll(s, "\n", "\n"+prefix) }

// escape makes user text inert in CommonMark and GitHub-flavoured Markdown: it reads as the same
// words and can open no heading, list, quote, code, link, image, table cell or HTML. Characters
// that mean something anywhere are backslash-escaped everywhere; those that mean something only at
// the start of a line (headings, list markers, setext underlines) only there. Lines become hard
// line breaks ("\" at the end of a line); blank lines are dropped, since they would end the list
// item or quote the text sits in, and leading blanks too, since they would start a code block.
func escape(s string) string {
	var out []string
	for _, line := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		line = strings.TrimLeft(strings.ReplaceAll(strings.ReplaceAll(line, "\t", " "), "\r", " "), " ")
		if line == "" {
			continue
		}
		out = append(out, escapeLine(line))
	}
	return strings.Join(out, "\\\n")
}

// inline are the characters escaped wherever they are: emphasis, code, links, HTML and entities,
// table cells, quotes, strikethrough and the escape character itself.
const inline = "\\`*_[]<>&|~"

func escapeLine(line string) string {
	var b strings.Builder
	// A list item starts with "-", "+" or "*", then a space; an ordered one with digits, then
	// "." or ")"; a heading with "#"; a setext underline or thematic break is a line of "=" or
	// "-". Escaping the first character (or the punctuation after the digits) disarms them all.
	switch line[0] {
	case '#', '-', '+', '=':
		b.WriteByte('\\')
		b.WriteByte(line[0])
		line = line[1:]
	}
	digits := len(line) - len(strings.TrimLeft(line, "0123456789"))
	if digits > 0 && digits < len(line) && (line[digits] == '.' || line[digits] == ')') {
		b.WriteString(line[:digits])
		b.WriteByte('\\')
		line = line[digits:]
	}
	for _, r := range line {
		if r < 0x80 && strings.ContainsRune(inline, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
