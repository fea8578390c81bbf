package roster

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding/unicode"
)

// issue is an Issue without its message, which is for people and may be reworded.
type issue struct {
	Line  int
	Field string
	Code  string
}

func TestParseFiles(t *testing.T) {
	tests := []struct {
		file      string
		encoding  string
		delimiter string
		columns   map[string]string
		people    []Person
		issues    []issue
	}{{
		file: "semicolon_bom.csv", encoding: "utf-8-bom", delimiter: ";",
		columns: map[string]string{"last_name": "Nom", "first_name": "Prénom",
			"organisation": "Organisation", "email": "Courriel"},
		people: []Person{
			{"Léa Dupont-Marchand", "Coopérative Les Tisserands", "lea.dupont@example.org"},
			{"Ana de Villiers", "Mairie; Brest", "ana@example.fr"},
			{"Siobhán O’Brien", "", "siobhan@example.ie"},
		},
	}, {
		file: "windows1252.csv", encoding: "windows-1252", delimiter: ";",
		columns: map[string]string{"last_name": "NOM", "first_name": "Prénom",
			"organisation": "Société", "email": "Mél"},
		people: []Person{
			{"Céline Hérault", "Café « Le Zinc »", "celine@example.org"},
			{"François de La Fosse", "€uro Conseil", "francois@example.org"},
			{"Zoé d'Aubigné", "École Supérieure", ""},
		},
	}, {
		file: "seed_shape.tsv", encoding: "utf-8", delimiter: "\t",
		columns: map[string]string{"last_name": "NOM", "first_name": "Prénom",
			"organisation": "Organisation", "email": "Mél"},
		people: []Person{
			{"Nadège Aubertin", "Plateformes partagées", "nadege@example.org"},
			{"Julien Brossard-Lemoine", "Agence du faire", ""},
			{"Maëlle Chastel", "FAB COMMUN", "maelle.chastel@example.fr"},
			{"Paul Dervaux", "", ""},
		},
		issues: []issue{{3, "email", "bad_email"}},
	}, {
		file: "english.csv", encoding: "utf-8", delimiter: ",",
		columns: map[string]string{"last_name": "Last name", "first_name": "First name",
			"organisation": "Company", "email": "E-mail"},
		people: []Person{
			{"Grace Hopper", "Navy Labs, Inc.", "grace@example.com"},
			{"Alan Turing", "Bletchley Park, Hut 8", "alan@example.com"},
			{"Ada Lovelace", "Analytical Engines", "ada@example.com"},
			{"Edsger Dijkstra", "TU Eindhoven", ""},
		},
		issues: []issue{{6, "email", "bad_email"}}, // line 6: Alan's company spans lines 3–4
	}, {
		file: "full_name_only.csv", encoding: "utf-8", delimiter: "",
		columns: map[string]string{"full_name": "Nom complet"},
		people:  []Person{{"Ada Lovelace", "", ""}, {"Grace Hopper", "", ""}, {"Lovelace, Ada", "", ""}},
	}, {
		file: "no_org_no_email.csv", encoding: "utf-8", delimiter: ";",
		columns: map[string]string{"last_name": "Nom", "first_name": "Prénom"},
		people:  []Person{{"Katherine Johnson", "", ""}, {"Mary Jackson", "", ""}, {"Dorothy", "", ""}},
	}, {
		file: "duplicates.csv", encoding: "utf-8", delimiter: ",",
		columns: map[string]string{"last_name": "Nom", "first_name": "Prénom",
			"organisation": "Organisation", "email": "Email"},
		people: []Person{
			{"Ada Lovelace", "ACME", "ada@example.com"},
			{"Grace Hopper", "Navy", "grace@example.com"}, // e-mail from line 6
			{"Hélène Martin", "Mairie", ""},
			{"Alan Turing", "Navy", "alan1@example.com"},
			{"Alan Turing", "Navy", "alan2@example.com"}, // namesakes with two addresses
		},
		issues: []issue{{3, "", "duplicate"}, {5, "", "duplicate"}, {6, "", "duplicate"}, {8, "", "duplicate"}},
	}, {
		file: "bad_emails.csv", encoding: "utf-8", delimiter: ";",
		columns: map[string]string{"last_name": "Nom", "first_name": "Prénom", "email": "Mail"},
		people: []Person{
			{"Ada Lovelace", "", ""},
			{"Grace Hopper", "", ""},
			{"Alan Turing", "", "alan@example.com"},
			{"Edsger Dijkstra", "", "edsger@example.nl"},
			{"Barbara Liskov", "", ""},
			{"Radia Perlman", "", ""},
		},
		issues: []issue{{2, "email", "bad_email"}, {3, "email", "bad_email"}, {6, "email", "bad_email"},
			{7, "name", "missing_name"}, {10, "email", "bad_email"}},
	}}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			p, err := Parse(readFile(t, tt.file))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if p.Encoding != tt.encoding || p.Delimiter != tt.delimiter {
				t.Errorf("encoding, delimiter = %q, %q; want %q, %q", p.Encoding, p.Delimiter, tt.encoding, tt.delimiter)
			}
			if !reflect.DeepEqual(p.Columns, tt.columns) {
				t.Errorf("columns = %v; want %v", p.Columns, tt.columns)
			}
			if !reflect.DeepEqual(p.People, tt.people) {
				t.Errorf("people:\n got %q\nwant %q", p.People, tt.people)
			}
			checkIssues(t, p.Issues, tt.issues)
		})
	}
}

func checkIssues(t *testing.T, got []Issue, want []issue) {
	t.Helper()
	var short []issue
	for _, is := range got {
		short = append(short, issue{is.Line, is.Field, is.Code})
		if !strings.HasPrefix(is.Message, fmt.Sprintf("line %d", is.Line)) {
			t.Errorf("message %q does not start with its line %d", is.Message, is.Line)
		}
	}
	if !reflect.DeepEqual(short, want) {
		t.Errorf("issues:\n got %v\nwant %v\nfull: %+v", short, want, got)
	}
}

func TestParseErrors(t *testing.T) {
	big := "Nom\n" + strings.Repeat("Ada\n", MaxRows+1)
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"empty file", readFile(t, "empty.csv"), ErrEmpty},
		{"blank lines only", []byte("\ufeff \r\n\t\r\n"), ErrEmpty},
		{"no name column", readFile(t, "no_name_column.csv"), ErrNoNameColumn},
		{"over 1 MiB", make([]byte, MaxBytes+1), ErrTooLarge},
		{"over 5000 rows", []byte(big), ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Parse(tt.data); !errors.Is(err, tt.want) {
				t.Errorf("Parse: %v; want %v", err, tt.want)
			}
		})
	}
	if _, err := Parse([]byte("Nom\n" + strings.Repeat("Ada\n", MaxRows))); err != nil {
		t.Errorf("exactly %d rows: %v", MaxRows, err)
	}
}

func TestParseLimits(t *testing.T) {
	long := func(n int) string { return strings.Repeat("é", n) }
	data := "Nom complet;Organisation;Mail\n" +
		long(80) + ";" + long(120) + ";a@" + strings.Repeat("b", 250) + ".fr\n" + // at the limits but the e-mail
		long(81) + ";ACME;x@example.com\n" +
		"Ada;" + long(121) + ";ada@example.com\n"
	p, err := Parse([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	want := []Person{{long(80), long(120), ""}, {"Ada", "", "ada@example.com"}}
	if !reflect.DeepEqual(p.People, want) {
		t.Errorf("people = %q; want %q", p.People, want)
	}
	checkIssues(t, p.Issues, []issue{{2, "email", "too_long"}, {3, "name", "too_long"}, {4, "organisation", "too_long"}})
}

func TestParseOddFiles(t *testing.T) {
	text := "Prénom\tNom\r\nZoé\tAUBRY\r\n"
	utf16le, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	utf16be, err := unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, data, encoding string
		people               []Person
		issues               []issue
	}{
		{"utf-16le with mark", utf16le, "utf-16le", []Person{{"Zoé Aubry", "", ""}}, nil},
		{"utf-16be without mark", utf16be, "utf-16be", []Person{{"Zoé Aubry", "", ""}}, nil},
		{"lone CR line ends", "Nom;Prénom\rAUBRY;Zoé\rMARTIN;Léo\r", "utf-8",
			[]Person{{"Zoé Aubry", "", ""}, {"Léo Martin", "", ""}}, nil},
		{"utf-8 mark over a bad line", "\ufeffNom;Prénom\nAUBRY;Zo\xe9\nMARTIN;Léo\n", "utf-8-bom",
			[]Person{{"Léo Martin", "", ""}}, []issue{{2, "", "bad_encoding"}}},
		{"windows-1252 unassigned byte", "Nom;Pr\xe9nom\nAUBRY;Zo\x81\nMARTIN;L\xe9o\n", "windows-1252",
			[]Person{{"Léo Martin", "", ""}}, []issue{{2, "", "bad_encoding"}}},
		{"unclosed quote in a name", "Nom;Prénom\nAUBRY;Zoé\n\"MARTIN;Léo\nROUX;Noé\n", "utf-8",
			[]Person{{"Zoé Aubry", "", ""}}, []issue{{3, "name", "bad_line"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse([]byte(tt.data))
			if err != nil {
				t.Fatal(err)
			}
			if p.Encoding != tt.encoding {
				t.Errorf("encoding = %q; want %q", p.Encoding, tt.encoding)
			}
			if !reflect.DeepEqual(p.People, tt.people) {
				t.Errorf("people = %q; want %q", p.People, tt.people)
			}
			checkIssues(t, p.Issues, tt.issues)
		})
	}
}

func TestLastNameCase(t *testing.T) {
	tests := []struct {
		in         string
		afterFirst bool
		want       string
	}{
		{"LOVELACE", true, "Lovelace"},
		{"BIGOT-VERDIER", true, "Bigot-Verdier"},
		{"DE GAULLE", true, "de Gaulle"},
		{"DE GAULLE", false, "De Gaulle"},
		{"D'ALEMBERT", true, "d'Alembert"},
		{"DU BELLAY", true, "du Bellay"},
		{"LE PEN", true, "Le Pen"},
		{"McCARTHY", true, "McCARTHY"}, // has a lower-case letter: their own spelling
		{"van Rossum", true, "van Rossum"},
		{"ÉLUARD", true, "Éluard"},
		{"O’BRIEN", true, "O’Brien"},
		{"李", true, "李"},
	}
	for _, tt := range tests {
		if got := lastNameCase(tt.in, tt.afterFirst); got != tt.want {
			t.Errorf("lastNameCase(%q, %v) = %q; want %q", tt.in, tt.afterFirst, got, tt.want)
		}
	}
}

func TestFindColumnsHeaders(t *testing.T) {
	tests := []struct {
		header []string
		want   map[string]string
	}{
		{[]string{"NOM", "PRENOM", "E-MAIL"}, map[string]string{"last_name": "NOM", "first_name": "PRENOM", "email": "E-MAIL"}},
		{[]string{"Name", "Organization", "Email"}, map[string]string{"full_name": "Name", "organisation": "Organization", "email": "Email"}},
		{[]string{"full name", "company", "e-mail", "Mail"}, map[string]string{"full_name": "full name", "organisation": "company", "email": "e-mail"}},
		// Prénom typed on a Mac: e followed by a combining accent.
		{[]string{"Pre\u0301nom", " nom ", "mél"}, map[string]string{"first_name": "Pre\u0301nom", "last_name": "nom", "email": "mél"}},
	}
	for _, tt := range tests {
		c, err := findColumns(tt.header)
		if err != nil {
			t.Errorf("findColumns(%q): %v", tt.header, err)
			continue
		}
		if !reflect.DeepEqual(c.found, tt.want) {
			t.Errorf("findColumns(%q) = %v; want %v", tt.header, c.found, tt.want)
		}
	}
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
