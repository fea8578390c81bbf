package roster

import (
	"errors"
	"fmt"
)

// Limits on what Parse reads: far above a real World Café (a few hundred people), low enough that
// a wrong file (a database dump, a photo) is refused at once instead of filling a preview.
const (
	MaxBytes = 1 << 20
	MaxRows  = 5000
)

// Errors for a file with nothing usable in it. Anything less serious is an Issue.
var (
	ErrEmpty        = errors.New("roster: the file is empty")
	ErrNoNameColumn = errors.New("roster: no name column")
	ErrTooLarge     = errors.New("roster: the file is too large")
)

// Issue codes, stable so the client can translate them.
const (
	CodeMissingName = "missing_name"
	CodeBadEmail    = "bad_email"
	CodeTooLong     = "too_long"
	CodeDuplicate   = "duplicate"
	CodeBadEncoding = "bad_encoding"
	CodeBadLine     = "bad_line"
)

// Field names, used in Issue.Field and as the keys of Preview.Columns.
const (
	FieldLastName     = "last_name"
	FieldFirstName    = "first_name"
	FieldFullName     = "full_name"
	FieldName         = "name" // the composed name, in issues about it
	FieldOrganisation = "organisation"
	FieldEmail        = "email"
)

// Person is one participant as Nappe will import them.
type Person struct {
	Name         string // "Prénom Nom", as people write it
	Organisation string
	Email        string
}

// Issue is one problem on one line. A line may have several (a bad e-mail and a too-long
// organisation); a duplicate line has exactly one.
type Issue struct {
	Line    int    // 1-based line of the file where the record starts
	Field   string // one of the Field constants, empty for the whole line
	Message string // in English, for logs; the client translates Code
	Code    string
}

// Preview is what the facilitator checks before importing.
type Preview struct {
	Encoding  string            // "utf-8", "utf-8-bom", "utf-16le", "utf-16be" or "windows-1252"
	Delimiter string            // ",", ";" or "\t"; empty when the header has a single column
	Columns   map[string]string // our field → the header found in the file
	People    []Person          // valid, deduplicated, in file order
	Issues    []Issue           // in line order
}

// Parse reads a participant list. It fails only when nothing can be imported: an empty file
// (ErrEmpty), no recognisable name column (ErrNoNameColumn), or a file over MaxBytes or MaxRows
// (ErrTooLarge). Every other problem is an Issue and the rest of the file is still read.
func Parse(data []byte) (Preview, error) {
	if len(data) > MaxBytes {
		return Preview{}, fmt.Errorf("%w: %d bytes, the limit is %d", ErrTooLarge, len(data), MaxBytes)
	}
	text, enc := decode(data)
	p := Preview{Encoding: enc.name}
	rows, err := readRows(text)
	if err != nil {
		return p, err
	}
	p.Delimiter = rows.delimiter
	cols, err := findColumns(rows.header)
	if err != nil {
		return p, err
	}
	p.Columns = cols.found
	var d dedupe
	for _, r := range rows.records {
		if enc.lossy && r.replaced {
			p.Issues = append(p.Issues, Issue{Line: r.line, Code: CodeBadEncoding,
				Message: fmt.Sprintf("line %d is not valid %s; save the file again as UTF-8", r.line, enc.name)})
			continue
		}
		person, issues := cols.person(r)
		p.Issues = append(p.Issues, issues...)
		if person.Name == "" {
			continue
		}
		if dup, ok := d.add(&p.People, person, r.line); !ok {
			p.Issues = append(p.Issues, dup)
		}
	}
	p.Issues = append(rows.issues, p.Issues...)
	sortIssues(p.Issues)
	return p, nil
}
