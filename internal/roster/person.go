package roster

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"nappe/internal/workshop"
)

// person builds one Person from a record, with an Issue for each field it had to leave out. The
// name is the only field that matters: without it there is no one to seat.
func (c columns) person(r record) (Person, []Issue) {
	var issues []Issue
	report := func(field, code, format string, args ...any) {
		issues = append(issues, Issue{Line: r.line, Field: field, Code: code,
			Message: fmt.Sprintf("line %d: ", r.line) + fmt.Sprintf(format, args...)})
	}
	// A name never spans lines; a name cell that does is nearly always a quote left open, which
	// makes encoding/csv (lazy about quotes, as it must be for Excel's files) read the following
	// lines into it. Imported, it would be one person called after several.
	for _, field := range []string{FieldFirstName, FieldLastName, FieldFullName} {
		if n := strings.Count(c.raw(r, field), "\n"); n > 0 {
			report(FieldName, CodeBadLine, "the name runs over lines %d to %d: is a quote left open? "+
				"The lines are not imported", r.line, r.line+n)
			return Person{}, issues
		}
	}
	first, last, full := c.get(r, FieldFirstName), c.get(r, FieldLastName), c.get(r, FieldFullName)
	var name string
	if first == "" && full != "" {
		name = full
	} else {
		name = compose(first, last)
	}
	if name == "" {
		name = full
	}
	// A line that is not imported gets one issue, about its name: the rest would be noise.
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		report(FieldName, CodeMissingName, "no name; the line is not imported")
		return Person{}, issues
	case n > workshop.MaxName:
		report(FieldName, CodeTooLong, "the name is %d characters long; the limit is %d; the line is not imported",
			n, workshop.MaxName)
		return Person{}, issues
	}
	p := Person{Name: name}
	org := c.get(r, FieldOrganisation)
	if n := utf8.RuneCountInString(org); n > workshop.MaxOrganisation {
		report(FieldOrganisation, CodeTooLong, "the organisation is %d characters long; the limit is %d; it is left out",
			n, workshop.MaxOrganisation)
	} else {
		p.Organisation = org
	}
	email := trimEmail(c.get(r, FieldEmail))
	switch n := utf8.RuneCountInString(email); {
	case n > workshop.MaxEmail:
		report(FieldEmail, CodeTooLong, "the e-mail is %d characters long; the limit is %d; it is left out",
			n, workshop.MaxEmail)
	case email != "" && !validEmail(email):
		report(FieldEmail, CodeBadEmail, "%q is not an e-mail address; it is left out", email)
	default:
		p.Email = email
	}
	return p, issues
}

// clean makes one cell safe to show and store: NFC, so that the same name typed on a Mac and on
// Windows compares equal; any run of white space (a newline in a quoted cell, a no-break space)
// becomes one space; other control characters, invisible and harmful downstream, are dropped.
func clean(s string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFC.String(s) {
		switch {
		case unicode.IsSpace(r):
			space = true
		case unicode.IsControl(r) || r == '\uFEFF':
		default:
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		}
	}
	return b.String()
}

// compose writes "Prénom Nom", the way people are named at a table.
func compose(first, last string) string {
	last = lastNameCase(last, first != "")
	return strings.TrimSpace(first + " " + last)
}

// lastNameCase turns a last name written in capitals, as French lists do ("LOVELACE",
// "BIGOT-VERDIER"), into the way it is written in a sentence. A name with any lower-case letter
// is the person's own spelling ("McCarthy", "de Gaulle") and is kept. After a first name, the
// particles de, du, des and d' are lower-case ("Charles de Gaulle").
func lastNameCase(s string, afterFirst bool) string {
	if strings.IndexFunc(s, unicode.IsLower) >= 0 || strings.IndexFunc(s, unicode.IsUpper) < 0 {
		return s
	}
	var b strings.Builder
	start := true
	for _, r := range s {
		if start {
			b.WriteRune(unicode.ToTitle(r))
		} else {
			b.WriteRune(unicode.ToLower(r))
		}
		start = r == ' ' || r == '-' || r == '\'' || r == '’'
	}
	if !afterFirst {
		return b.String()
	}
	words := strings.Split(b.String(), " ")
	for i, w := range words[:len(words)-1] {
		if w == "De" || w == "Du" || w == "Des" {
			words[i] = strings.ToLower(w)
		}
	}
	for i, w := range words {
		if strings.HasPrefix(w, "D'") || strings.HasPrefix(w, "D’") {
			words[i] = "d" + w[1:]
		}
	}
	return strings.Join(words, " ")
}

// trimEmail removes what spreadsheets and mail clients wrap addresses in.
func trimEmail(s string) string {
	s = strings.TrimSuffix(strings.TrimPrefix(s, "<"), ">")
	if len(s) >= 7 && strings.EqualFold(s[:7], "mailto:") {
		s = s[7:]
	}
	return strings.TrimSpace(s)
}

// validEmail is stricter than the workshop's check (which this must never contradict): one @, a
// dotted domain, no spaces or characters that would break a mail header.
func validEmail(s string) bool {
	at := strings.IndexByte(s, '@')
	if at <= 0 || strings.Count(s, "@") != 1 || strings.ContainsAny(s, " <>\",;()[]\\:") {
		return false
	}
	domain := s[at+1:]
	return strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") &&
		!strings.HasSuffix(domain, ".") && !strings.Contains(domain, "..")
}
