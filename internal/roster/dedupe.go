package roster

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// dedupe remembers who is already in the list. Lists are merged from several sources (a
// registration form, a colleague's spreadsheet), so the same person often comes twice, spelled
// slightly differently: keys ignore case, accents and spacing.
type dedupe struct {
	byEmail map[string]seen
	byName  map[string]seen
}

type seen struct {
	index int // in People
	line  int
}

// add appends p unless it is already there; if it is, it returns the duplicate Issue. Two lines
// with different e-mails are two people, even with the same name and organisation (namesakes in
// one company do happen); a line without an e-mail is the same person as one with the same name
// and organisation, and if only the later line has the e-mail, the earlier person gets it.
func (d *dedupe) add(people *[]Person, p Person, line int) (Issue, bool) {
	if d.byEmail == nil {
		d.byEmail, d.byName = map[string]seen{}, map[string]seen{}
	}
	email := strings.ToLower(p.Email)
	nameKey := fold(p.Name) + "\x00" + fold(p.Organisation)
	dup := func(s seen, format string) (Issue, bool) {
		return Issue{Line: line, Field: "", Code: CodeDuplicate,
			Message: fmt.Sprintf("line %d: "+format, line, p.Name, s.line)}, false
	}
	if s, ok := d.byEmail[email]; ok && email != "" {
		return dup(s, "%s is already on line %d (same e-mail); the line is not imported")
	}
	if s, ok := d.byName[nameKey]; ok {
		kept := &(*people)[s.index]
		switch {
		case email == "":
			return dup(s, "%s is already on line %d (same name and organisation); the line is not imported")
		case kept.Email == "":
			kept.Email = p.Email
			d.byEmail[email] = s
			return dup(s, "%s is already on line %d (same name and organisation); its e-mail is added there")
		}
	}
	s := seen{index: len(*people), line: line}
	*people = append(*people, p)
	if email != "" {
		d.byEmail[email] = s
	}
	if _, ok := d.byName[nameKey]; !ok {
		d.byName[nameKey] = s
	}
	return Issue{}, true
}

// fold is a comparison key: lower case, no accents, single spaces.
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// sortIssues puts issues in line order, keeping the order of fields within a line.
func sortIssues(issues []Issue) {
	slices.SortStableFunc(issues, func(a, b Issue) int { return cmp.Compare(a.Line, b.Line) })
}
