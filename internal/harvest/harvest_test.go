package harvest

import (
	"bytes"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"nappe/internal/workshop"
)

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/harvest -update)", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs:\n--- want\n%s\n--- got\n%s", path, want, got)
	}
}

func render(t *testing.T, f func(*bytes.Buffer, *workshop.State, Options) error, s *workshop.State, o Options) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := f(&b, s, o); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func markdown(b *bytes.Buffer, s *workshop.State, o Options) error { return Markdown(b, s, o) }
func notesCSV(b *bytes.Buffer, s *workshop.State, o Options) error { return NotesCSV(b, s, o) }

func TestGolden(t *testing.T) {
	s := recorded(t)
	for _, c := range []struct {
		file string
		f    func(*bytes.Buffer, *workshop.State, Options) error
		o    Options
	}{
		{"report_fr.md", markdown, Options{Language: "fr"}},
		{"report_en_emails.md", markdown, Options{Language: "en", WithEmails: true}},
		{"report_fr.html", htmlNormalised, Options{Language: "fr"}},
		{"report_en_emails.html", htmlNormalised, Options{Language: "en", WithEmails: true}},
		{"notes_fr.csv", notesCSV, Options{Language: "fr"}},
		{"notes_en.csv", notesCSV, Options{Language: "en"}},
	} {
		t.Run(c.file, func(t *testing.T) { golden(t, c.file, render(t, c.f, s, c.o)) })
	}
}

func TestHiddenNoteNeverExported(t *testing.T) {
	s := recorded(t)
	for _, o := range []Options{{Language: "fr"}, {Language: "en", WithEmails: true, TopNotes: 100}} {
		for name, f := range map[string]func(*bytes.Buffer, *workshop.State, Options) error{"markdown": markdown, "csv": notesCSV, "html": htmlReport} {
			out := render(t, f, s, o)
			if bytes.Contains(out, []byte("propos déplacé")) || bytes.Contains(out, []byte(hiddenText2)) {
				t.Errorf("%s %+v shows a hidden note", name, o)
			}
		}
	}
	// The charts count visible notes only: 20 posted, 2 hidden.
	f, _ := NewFigures(s, Options{})
	if total := f.contrib.rows[0].total + f.contrib.rows[1].total + f.contrib.rows[2].total; total != 18 {
		t.Errorf("contributions count %d notes, want the 18 visible", total)
	}
	sum := 0
	for _, n := range f.activity.counts {
		sum += n
	}
	if sum != 18 {
		t.Errorf("activity counts %d notes, want the 18 visible", sum)
	}
}

func TestEmails(t *testing.T) {
	s := recorded(t)
	for _, f := range []func(*bytes.Buffer, *workshop.State, Options) error{markdown, htmlReport} {
		without := string(render(t, f, s, Options{Language: "fr"}))
		with := string(render(t, f, s, Options{Language: "fr", WithEmails: true}))
		if strings.Contains(without, "@") && strings.Contains(without, emailNicole) {
			t.Errorf("report without e-mails holds an address")
		}
		for _, e := range []string{emailEmilie, emailAlexis, emailNicole} {
			if strings.Contains(without, e) || !strings.Contains(with, e) {
				t.Errorf("%s should appear only with WithEmails", e)
			}
		}
	}
	without := string(render(t, markdown, s, Options{Language: "fr"}))
	with := string(render(t, markdown, s, Options{Language: "fr", WithEmails: true}))
	if strings.Contains(without, "@") {
		t.Errorf("report without e-mails holds an address:\n%s", without)
	}
	for _, e := range []string{emailEmilie, emailAlexis} {
		if !strings.Contains(with, e) {
			t.Errorf("report with e-mails lacks %s", e)
		}
	}
	if !strings.Contains(with, "| Nom | Organisation | Mél |") || strings.Contains(without, "Mél") {
		t.Error("the e-mail column should appear only with WithEmails")
	}
	for _, o := range []Options{{Language: "fr", WithEmails: true}, {Language: "en", WithEmails: true}} {
		out := string(render(t, notesCSV, s, o))
		for _, e := range []string{emailEmilie, emailAlexis, "politizr.example"} {
			if strings.Contains(out, e) {
				t.Errorf("notes CSV %+v holds %s", o, e)
			}
		}
	}
}

func TestCSVOpensInSpreadsheets(t *testing.T) {
	s := morning(t)
	for _, c := range []struct {
		lang  string
		comma rune
	}{{"fr", ';'}, {"en", ','}} {
		out := render(t, notesCSV, s, Options{Language: c.lang})
		if !bytes.HasPrefix(out, []byte("\xef\xbb\xbf")) {
			t.Errorf("%s: no UTF-8 BOM", c.lang)
		}
		if n, crlf := bytes.Count(out, []byte("\n")), bytes.Count(out, []byte("\r\n")); n != crlf || n == 0 {
			t.Errorf("%s: %d line feeds, %d of them CRLF", c.lang, n, crlf)
		}
		r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(out, []byte("\xef\xbb\xbf"))))
		r.Comma = c.comma
		rows, err := r.ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", c.lang, err)
		}
		if len(rows) != 1+7 { // header and the seven visible notes
			t.Fatalf("%s: %d rows", c.lang, len(rows))
		}
		texts := map[string]bool{}
		for _, row := range rows[1:] {
			texts[row[5]] = true
		}
		for _, want := range []string{"'" + formulaText, "'-10 % de subventions en 2019 ? 😬",
			"# Synthèse [voir](javascript:alert(1)) <script>alert(1)</script>",
			"Former les bénévoles\naux outils numériques"} {
			if !texts[want] {
				t.Errorf("%s: no cell %q in %v", c.lang, want, texts)
			}
		}
		for _, row := range rows[1:] {
			if strings.Contains(row[5], "13 millions") && (row[3] != labels[c.lang].Anonymous || row[4] != "") {
				t.Errorf("%s: anonymous note credited: %q", c.lang, row)
			}
		}
	}
}

func TestInert(t *testing.T) {
	for in, want := range map[string]string{
		"=1+1": "'=1+1", "+33 6": "'+33 6", "-x": "'-x", "@SUM(A1)": "'@SUM(A1)", "\tx": "'\tx", "\rx": "'\rx",
		"": "", "a=b": "a=b", "'=x": "'=x", "🌍": "🌍",
	} {
		if got := inert(in); got != want {
			t.Errorf("inert(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEscape(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"# x", `\# x`},
		{"## x #", `\## x #`},
		{"[a](javascript:x)", `\[a\](javascript:x)`},
		{"![img](http://x/y.png)", `!\[img\](http://x/y.png)`},
		{"<script>alert(1)</script>", `\<script\>alert(1)\</script\>`},
		{"<https://evil>", `\<https://evil\>`},
		{"a | b", `a \| b`},
		{"`code` and ```fence```", "\\`code\\` and \\`\\`\\`fence\\`\\`\\`"},
		{"- item", `\- item`},
		{"+ item", `\+ item`},
		{"* item", `\* item`},
		{"1. item", `1\. item`},
		{"2018) année", `2018\) année`},
		{"**gras** et _italique_ ~~barré~~", `\*\*gras\*\* et \_italique\_ \~\~barré\~\~`},
		{"> quote", `\> quote`},
		{"&lt;b&gt;", `\&lt;b\&gt;`},
		{`a\`, `a\\`},
		{"===", `\===`},
		{"---", `\---`},
		{"ligne 1\nligne 2", "ligne 1\\\nligne 2"},
		{"titre\n===", "titre\\\n\\==="},
		{"a\n\n\nb", "a\\\nb"},
		{"a\r\n# b", "a\\\n\\# b"},
		{"a\n    code?", "a\\\ncode?"},
		{"a\n- b\n1. c", "a\\\n\\- b\\\n1\\. c"},
		{"café 🌍 l'été, 3 € – « ok » ?", "café 🌍 l'été, 3 € – « ok » ?"},
		{"a-b 1.5 C++ (x)", "a-b 1.5 C++ (x)"},
	} {
		if got := escape(c.in); got != c.want {
			t.Errorf("escape(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}

// A note's lines stay inside its list item, and a cell's inside its cell.
func TestLineBreaksStayInside(t *testing.T) {
	s := recorded(t)
	md := string(render(t, markdown, s, Options{Language: "fr"}))
	if !strings.Contains(md, "- Former les bénévoles\\\n  aux outils numériques — ") {
		t.Errorf("multi-line note not kept in its item:\n%s", md)
	}
	if !strings.Contains(md, "> Quels modèles économiques pour les ISN ?\\\n> Et quels financeurs ?") {
		t.Errorf("multi-line question not kept in its quote:\n%s", md)
	}
	if got := cell("a\nb | c"); got != `a<br>b \| c` {
		t.Errorf("cell = %q", got)
	}
}

func TestRoundsAndTopNotes(t *testing.T) {
	s := morning(t)
	md := string(render(t, markdown, s, Options{Language: "en"}))
	if strings.Contains(md, "### Round") || strings.Contains(md, "### Before") || !strings.Contains(md, "### Notes") {
		t.Errorf("before the rounds, notes should not be grouped by round:\n%s", md)
	}
	s.Notes[fixedID(21)].Round = 1
	s.Notes[fixedID(31)].Round = 2
	md = string(render(t, markdown, s, Options{Language: "fr"}))
	for _, want := range []string{"### Avant le premier tour", "### Tour 1", "### Tour 2"} {
		if !strings.Contains(md, want) {
			t.Errorf("no %q:\n%s", want, md)
		}
	}
	if strings.Index(md, "### Avant le premier tour") > strings.Index(md, "### Tour 1") {
		t.Error("rounds out of order")
	}
	if md := string(render(t, markdown, s, Options{Language: "fr", TopNotes: -1})); strings.Contains(md, "soutenus") {
		t.Error("TopNotes < 0 should leave out the most-voted notes")
	}
	md = string(render(t, markdown, s, Options{Language: "fr", TopNotes: 1}))
	if !strings.Contains(md, "1. Ouvrir les données") || strings.Contains(md, "2. ") {
		t.Errorf("TopNotes 1:\n%s", md)
	}
}

func TestDefaultsAndErrors(t *testing.T) {
	s := recorded(t)
	if a, b := render(t, markdown, s, Options{}), render(t, markdown, s, Options{Language: "fr", TopNotes: DefaultTopNotes}); !bytes.Equal(a, b) {
		t.Error("empty options should mean the workshop's language and the default top notes")
	}
	if err := Markdown(&bytes.Buffer{}, s, Options{Language: "de"}); err == nil {
		t.Error("unknown language accepted")
	}
	if err := NotesCSV(&bytes.Buffer{}, s, Options{Language: "de"}); err == nil {
		t.Error("unknown language accepted")
	}
	boom := errors.New("disk full")
	if err := Markdown(failing{boom}, s, Options{}); !errors.Is(err, boom) {
		t.Errorf("Markdown write error = %v", err)
	}
	if err := NotesCSV(failing{boom}, s, Options{}); !errors.Is(err, boom) {
		t.Errorf("NotesCSV write error = %v", err)
	}
}

type failing struct{ err error }

func (f failing) Write([]byte) (int, error) { return 0, f.err }

func TestFormatDate(t *testing.T) {
	for _, c := range []struct{ date, lang, want string }{
		{"2018-10-04", "fr", "4 octobre 2018"},
		{"2018-10-04", "en", "4 October 2018"},
		{"2019-02-01", "fr", "1er février 2019"},
		{"2019-08-01", "en", "1 August 2019"},
		{"bientôt", "fr", "bientôt"},
	} {
		if got := formatDate(c.date, labels[c.lang]); got != c.want {
			t.Errorf("formatDate(%q, %s) = %q, want %q", c.date, c.lang, got, c.want)
		}
	}
}

// FuzzEscape checks, for any text, that escape loses no word (undoing the backslashes gives the
// text back, its blank lines and indentation aside) and leaves every dangerous character escaped
// and no line able to open a block.
func FuzzEscape(f *testing.F) {
	for _, s := range []string{"# x", "[a](javascript:x)", "<script>", "a|b", "`x`", "- a\n1. b\n===", "\\\n\\", "é🌍\t*_~&"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return // the domain refuses it before it is stored
		}
		out := escape(s)
		var want []string
		for _, line := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
			if line = strings.TrimLeft(strings.NewReplacer("\t", " ", "\r", " ").Replace(line), " "); line != "" {
				want = append(want, line)
			}
		}
		var back strings.Builder
		for i := 0; i < len(out); i++ {
			if out[i] == '\\' && i+1 < len(out) {
				i++
			} else if strings.IndexByte("`*_[]<>&|~", out[i]) >= 0 {
				t.Fatalf("escape(%q) = %q: unescaped %q", s, out, out[i])
			}
			back.WriteByte(out[i])
		}
		if back.String() != strings.Join(want, "\n") {
			t.Fatalf("escape(%q) = %q, which reads %q", s, out, back.String())
		}
		for _, line := range strings.Split(out, "\n") {
			if line == "" {
				if out != "" {
					t.Fatalf("escape(%q) = %q: blank line", s, out)
				}
				continue
			}
			if strings.IndexByte(" #-+=", line[0]) >= 0 {
				t.Fatalf("escape(%q) = %q: line %q can open a block", s, out, line)
			}
			if d := len(line) - len(strings.TrimLeft(line, "0123456789")); d > 0 && d < len(line) && (line[d] == '.' || line[d] == ')') {
				t.Fatalf("escape(%q) = %q: line %q can open a list", s, out, line)
			}
		}
	})
}
