package roster

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// record is one row of the file, with the line it starts on: a quoted field may hold newlines, so
// the row index is not the line number.
type record struct {
	line     int
	fields   []string
	replaced bool // holds U+FFFD, the mark of bytes that could not be decoded
}

type rows struct {
	delimiter string
	header    []string
	records   []record
	issues    []Issue // lines encoding/csv could not read
}

// readRows splits the text into the header and the non-blank records after it.
func readRows(text string) (rows, error) {
	// Excel for old Macs ends lines with a lone CR, which encoding/csv does not treat as a line end.
	if strings.IndexByte(text, '\n') < 0 {
		text = strings.ReplaceAll(text, "\r", "\n")
	}
	if strings.TrimSpace(text) == "" {
		return rows{}, ErrEmpty
	}
	comma := detectDelimiter(firstLine(text))
	out := rows{}
	if comma != 0 {
		out.delimiter = string(comma)
	} else {
		comma = '\t' // one column: any delimiter will do, and a tab is the least likely in a name
	}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = comma
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	for {
		fields, err := r.Read()
		if err == io.EOF {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			out.issues = append(out.issues, Issue{Line: pe.StartLine, Code: CodeBadLine,
				Message: fmt.Sprintf("line %d could not be read: %v", pe.StartLine, pe.Err)})
			continue
		}
		if err != nil {
			return rows{}, fmt.Errorf("roster: reading the file: %w", err)
		}
		if blank(fields) {
			continue
		}
		if out.header == nil {
			out.header = fields
			continue
		}
		if len(out.records) == MaxRows {
			return rows{}, fmt.Errorf("%w: more than %d rows", ErrTooLarge, MaxRows)
		}
		line, _ := r.FieldPos(0)
		out.records = append(out.records, record{line: line, fields: fields,
			replaced: strings.ContainsRune(strings.Join(fields, ""), '\uFFFD')})
	}
	if out.header == nil {
		return rows{}, ErrEmpty
	}
	return out, nil
}

// firstLine is the first line with something on it: the header.
func firstLine(text string) string {
	for line := range strings.Lines(text) {
		if strings.TrimSpace(line) != "" {
			return line
		}
	}
	return ""
}

// detectDelimiter picks the most frequent of tab, semicolon and comma outside quotes in the
// header, where none of them is data. On a tie the rarer-in-text one wins. Zero means one column.
func detectDelimiter(header string) rune {
	counts := map[rune]int{}
	quoted := false
	for _, c := range header {
		switch {
		case c == '"':
			quoted = !quoted
		case !quoted && (c == '\t' || c == ';' || c == ','):
			counts[c]++
		}
	}
	var best rune
	for _, c := range []rune{'\t', ';', ','} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return best
}

func blank(fields []string) bool {
	for _, f := range fields {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}
