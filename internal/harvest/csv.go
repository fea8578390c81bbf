package harvest

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"nappe/internal/workshop"
)

// bom lets Excel recognise UTF-8; without it, accents come out as "Ã©".
const bom = "\ufeff"

// NotesCSV writes one row per visible note, tables in number order and notes in posting order,
// for a spreadsheet. It opens by double-click in Excel and LibreOffice: UTF-8 with a BOM, CRLF
// line endings, and the separator of the language's locale (";" in French, where "," is the
// decimal mark, "," in English). Times are ISO 8601 in UTC. E-mail addresses are never included.
func NotesCSV(w io.Writer, s *workshop.State, o Options) error {
	o, err := o.resolve(s)
	if err != nil {
		return err
	}
	l := labels[o.Language]
	var b bytes.Buffer
	b.WriteString(bom)
	cw := csv.NewWriter(&b)
	cw.Comma = l.csvComma
	cw.UseCRLF = true
	if err := cw.Write(l.CSVHeader); err != nil {
		return fmt.Errorf("harvest: notes csv: %w", err)
	}
	for _, t := range visible(s) {
		for _, n := range t.notes {
			name, org := author(s, n, l)
			row := []string{
				strconv.Itoa(t.table.Number),
				inert(t.table.Name),
				strconv.Itoa(n.Round),
				inert(name),
				inert(org),
				inert(n.Text),
				l.colour(n.Colour),
				strconv.Itoa(len(n.Voters)),
				isoTime(n.CreatedAt),
				isoTime(n.EditedAt),
			}
			if err := cw.Write(row); err != nil {
				return fmt.Errorf("harvest: notes csv: %w", err)
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("harvest: notes csv: %w", err)
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("harvest: write notes csv: %w", err)
	}
	return nil
}

// inert keeps a spreadsheet from reading user text as a formula (CSV injection): a cell that
// starts with "=", "+", "-", "@", a tab or a carriage return gets a leading apostrophe, which
// Excel and LibreOffice show as text. Numbers the export writes itself never go through here.
func inert(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
