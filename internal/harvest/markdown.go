package harvest

import (
	"bytes"
	"fmt"
	"io"
	"strings"
)

// writeMarkdown writes the report: its header, then each table in number order (question, host,
// synthesis, most-voted notes, notes by round), the plenary, the participants and the figures as
// small tables.
func writeMarkdown(w io.Writer, d *document) error {
	l := d.L
	var b bytes.Buffer
	fmt.Fprintf(&b, "# %s\n", escape(d.Title))
	if d.Subtitle != "" {
		fmt.Fprintf(&b, "\n%s\n", escape(d.Subtitle))
	}
	var when []string
	if d.Date != "" {
		when = append(when, escape(d.Date))
	}
	if d.Venue != "" {
		when = append(when, escape(d.Venue))
	}
	if len(when) > 0 {
		fmt.Fprintf(&b, "\n%s\n", strings.Join(when, " · "))
	}
	for _, t := range d.Tables {
		writeTable(&b, t, l)
	}
	if len(d.Plenary) > 0 {
		fmt.Fprintf(&b, "\n## %s\n", l.Plenary)
		writeBlocks(&b, d.Plenary)
	}
	writeParticipants(&b, d, l)
	d.Figures.markdown(&b)
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("harvest: write report: %w", err)
	}
	return nil
}

func writeTable(b *bytes.Buffer, t tableDoc, l *label) {
	fmt.Fprintf(b, "\n## %s — %s\n", t.Heading, escape(t.Name))
	if t.Question != "" {
		fmt.Fprintf(b, "\n> %s\n", indent(escape(t.Question), "> "))
	}
	if t.Host != "" {
		fmt.Fprintf(b, "\n%s%s_%s_\n", l.Host, l.Colon(), escape(t.Host))
	}
	if len(t.Synthesis) > 0 {
		fmt.Fprintf(b, "\n### %s\n", l.Synthesis)
		writeBlocks(b, t.Synthesis)
	}
	if t.Count == 0 {
		fmt.Fprintf(b, "\n_%s_\n", l.NoNotes)
		return
	}
	if len(t.Top) > 0 {
		fmt.Fprintf(b, "\n### %s\n\n", l.MostVoted)
		for i, n := range t.Top {
			marker := fmt.Sprintf("%d. ", i+1)
			fmt.Fprintf(b, "%s%s\n", marker, noteItem(n, l, marker))
		}
	}
	for _, g := range t.Groups {
		title := g.Title
		if title == "" {
			title = l.Notes
		}
		fmt.Fprintf(b, "\n### %s\n\n", escape(title))
		if g.Question != "" {
			fmt.Fprintf(b, "> %s\n\n", indent(escape(g.Question), "> "))
		}
		for _, n := range g.Notes {
			fmt.Fprintf(b, "- %s\n", noteItem(n, l, "- "))
		}
	}
}

// writeBlocks writes a synthesis: paragraphs (their lines as hard breaks) and bulleted lists.
func writeBlocks(b *bytes.Buffer, blocks []block) {
	for _, bl := range blocks {
		b.WriteByte('\n')
		if bl.Items == nil {
			fmt.Fprintf(b, "%s\n", escape(bl.Text))
			continue
		}
		for _, it := range bl.Items {
			fmt.Fprintf(b, "- %s\n", indent(escape(it), "  "))
		}
	}
}

// noteItem is one note as a list item after its marker: the text (its lines as line breaks inside
// the item), then its votes and author.
func noteItem(n noteDoc, l *label, marker string) string {
	credit := "_" + escape(n.Author) + "_"
	if n.Via != "" {
		credit += " (" + escape(n.Via) + ")"
	}
	if n.Votes > 0 {
		credit = l.votes(n.Votes) + " · " + credit
	}
	return indent(escape(n.Text), strings.Repeat(" ", len(marker))) + " — " + credit
}

func writeParticipants(b *bytes.Buffer, d *document, l *label) {
	fmt.Fprintf(b, "\n## %s\n\n", l.Participants)
	if len(d.People) == 0 {
		fmt.Fprintf(b, "_%s_\n", l.NoParticipant)
		return
	}
	if d.WithEmails {
		fmt.Fprintf(b, "| %s | %s | %s |\n| --- | --- | --- |\n", l.Name, l.Organisation, l.Email)
	} else {
		fmt.Fprintf(b, "| %s | %s |\n| --- | --- |\n", l.Name, l.Organisation)
	}
	for _, p := range d.People {
		fmt.Fprintf(b, "| %s | %s |", cell(p.Name), cell(p.Organisation))
		if d.WithEmails {
			fmt.Fprintf(b, " %s |", cell(p.Email))
		}
		b.WriteByte('\n')
	}
}

// markdown writes the figures as small tables, the charts' data for readers without the charts.
func (f *Figures) markdown(b *bytes.Buffer) {
	l := f.l
	fmt.Fprintf(b, "\n## %s\n", l.Figures)

	c := f.contrib
	fmt.Fprintf(b, "\n### %s\n\n", l.ContribTitle)
	head, rule := []string{"Table"}, []string{"---"}
	if len(c.series) > 1 || c.rounds {
		for _, r := range c.series {
			head, rule = append(head, f.seriesLabel(r, true)), append(rule, "---:")
		}
	}
	head, rule = append(head, l.Total), append(rule, "---:")
	fmt.Fprintf(b, "| %s |\n| %s |\n", strings.Join(head, " | "), strings.Join(rule, " | "))
	sums := make([]int, len(c.series)+1)
	for _, row := range c.rows {
		cells := []string{fmt.Sprintf("%d — %s", row.number, cell(row.name))}
		for i, n := range row.counts {
			sums[i] += n
			if len(head) > 2 {
				cells = append(cells, fmt.Sprint(n))
			}
		}
		sums[len(c.series)] += row.total
		cells = append(cells, fmt.Sprint(row.total))
		fmt.Fprintf(b, "| %s |\n", strings.Join(cells, " | "))
	}
	total := []string{l.Total}
	if len(head) > 2 {
		for _, n := range sums[:len(c.series)] {
			total = append(total, fmt.Sprint(n))
		}
	}
	total = append(total, fmt.Sprint(sums[len(c.series)]))
	fmt.Fprintf(b, "| %s |\n", strings.Join(total, " | "))

	a := f.activity
	fmt.Fprintf(b, "\n### %s\n\n", l.ActivityTitle)
	if len(a.counts) == 0 {
		fmt.Fprintf(b, "_%s_\n", l.NoActivity)
	} else {
		fmt.Fprintf(b, "_%s_\n\n| %s | %s |\n| --- | ---: |\n", escape(fmt.Sprintf(l.ActivityAxis, a.bucket, f.zone())), l.Time, l.Notes)
		for i, n := range a.counts {
			if n > 0 {
				fmt.Fprintf(b, "| %s | %d |\n", f.clock(a.start+int64(i*a.bucket)*60_000), n)
			}
		}
	}

	fmt.Fprintf(b, "\n### %s\n\n", l.EncountersTitle)
	e := f.encounters
	if e.rounds == 0 || len(e.met) == 0 {
		fmt.Fprintf(b, "_%s_\n", l.NoSeating)
		return
	}
	fmt.Fprintf(b, "| %s | %s |\n| ---: | ---: |\n", upperFirst(l.EncountersAxis), upperFirst(l.EncountersPeople))
	for _, bin := range e.histogram() {
		fmt.Fprintf(b, "| %s | %d |\n", bin.label(), bin.count)
	}
	b.WriteByte('\n')
	for _, s := range f.encounterFacts() {
		fmt.Fprintf(b, "- %s\n", escape(s))
	}
}

func upperFirst(s string) string {
	r := []rune(s)
	if len(r) == 0 {
		return s
	}
	return strings.ToUpper(string(r[:1])) + string(r[1:])
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
