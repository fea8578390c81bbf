package roster

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"nappe/internal/workshop"
)

// FuzzParse checks that no upload can crash the import or slip past the workshop's limits. The
// fixture files are its seeds, with the odd cases committed in testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.*sv"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(data)
		if err != nil {
			if !errors.Is(err, ErrEmpty) && !errors.Is(err, ErrNoNameColumn) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		lines := strings.Count(string(data), "\n") + strings.Count(string(data), "\r") + 1
		for _, is := range p.Issues {
			if is.Line < 1 || is.Line > lines || is.Code == "" || is.Message == "" {
				t.Errorf("bad issue %+v", is)
			}
		}
		for _, person := range p.People {
			checkField(t, "name", person.Name, workshop.MaxName, true)
			checkField(t, "organisation", person.Organisation, workshop.MaxOrganisation, false)
			checkField(t, "email", person.Email, workshop.MaxEmail, false)
		}
	})
}

func checkField(t *testing.T, field, s string, limit int, required bool) {
	t.Helper()
	switch {
	case !utf8.ValidString(s):
		t.Errorf("%s %q is not valid UTF-8", field, s)
	case required && s == "":
		t.Errorf("empty %s", field)
	case utf8.RuneCountInString(s) > limit:
		t.Errorf("%s %q is over %d characters", field, s, limit)
	case strings.TrimSpace(s) != s:
		t.Errorf("%s %q is not trimmed", field, s)
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		t.Errorf("%s %q holds a control character", field, s)
	}
}
