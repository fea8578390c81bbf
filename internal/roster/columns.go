package roster

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// headers maps each of our fields to the headers that mean it, folded by foldHeader. "nom" and
// "name" are a last name next to a first-name column and a whole name without one; findColumns
// sorts that out.
var headers = map[string][]string{
	FieldLastName:  {"nom", "name", "nomdefamille", "lastname", "surname", "familyname"},
	FieldFirstName: {"prenom", "prenoms", "firstname", "givenname"},
	FieldFullName: {"nomcomplet", "fullname", "nometprenom", "prenometnom", "participant",
		"participante", "displayname"},
	FieldOrganisation: {"organisation", "organization", "organisme", "structure", "entreprise",
		"societe", "company", "employer", "affiliation", "etablissement"},
	FieldEmail: {"mel", "mail", "email", "courriel", "adressemail", "adresseemail", "adressemel",
		"adressecourriel", "emailaddress", "mailaddress"},
}

// columns says which field of a record holds which of ours; a field the file lacks is absent.
type columns struct {
	index map[string]int
	found map[string]string
}

// findColumns reads the header. The first column matching a field wins, so a second "Mail"
// column (often a work and a private address) is ignored rather than mixed in.
func findColumns(header []string) (columns, error) {
	c := columns{index: map[string]int{}, found: map[string]string{}}
	for i, h := range header {
		key := foldHeader(h)
		for field, names := range headers {
			if _, taken := c.index[field]; taken || !slices.Contains(names, key) {
				continue
			}
			c.index[field] = i
			c.found[field] = strings.TrimSpace(h)
		}
	}
	_, last := c.index[FieldLastName]
	_, first := c.index[FieldFirstName]
	_, full := c.index[FieldFullName]
	if last && !first && !full {
		// A lone "Nom" or "Name" column holds whole names.
		c.index[FieldFullName], c.found[FieldFullName] = c.index[FieldLastName], c.found[FieldLastName]
		delete(c.index, FieldLastName)
		delete(c.found, FieldLastName)
	}
	if !last && !first && !full {
		return c, fmt.Errorf("%w: the first line should name the columns, with one of "+
			"Nom, Prénom, Nom complet, Name, First name, Last name or Full name; it reads %q",
			ErrNoNameColumn, strings.Join(header, " | "))
	}
	return c, nil
}

// raw is the cell as written; get is the cell cleaned.
func (c columns) raw(r record, field string) string {
	i, ok := c.index[field]
	if !ok || i >= len(r.fields) {
		return ""
	}
	return r.fields[i]
}

func (c columns) get(r record, field string) string { return clean(c.raw(r, field)) }

// foldHeader keeps only the letters and digits of a header, lower-cased and without accents, so
// "Mél", "E-mail", "e_mail " and "Prénom(s)" match their aliases.
func foldHeader(h string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(h) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}
