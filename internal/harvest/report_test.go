package harvest

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"nappe/internal/workshop"
)

func htmlReport(b *bytes.Buffer, s *workshop.State, o Options) error { return HTML(b, s, o) }

var (
	styleBlock = regexp.MustCompile(`(?s)<style>.*?</style>`)
	svgBlock   = regexp.MustCompile(`(?s)<svg .*?</svg>`)
)

// htmlNormalised is the report as HTML without what its own golden files or a browser check
// better: the stylesheet (looked at in Chromium, see client/e2e/report.e2e.ts) and the charts
// (golden files of their own); lines are trimmed and blank ones dropped.
func htmlNormalised(b *bytes.Buffer, s *workshop.State, o Options) error {
	var raw bytes.Buffer
	if err := HTML(&raw, s, o); err != nil {
		return err
	}
	page := styleBlock.ReplaceAllString(raw.String(), "<style>…</style>")
	page = svgBlock.ReplaceAllStringFunc(page, func(svg string) string {
		return regexp.MustCompile(`aria-labelledby="[^"]*"`).FindString(svg) + " svg"
	})
	for _, line := range strings.Split(page, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			b.WriteString(line)
			b.WriteByte('\n')
		}
	}
	return nil
}

func TestChartsGolden(t *testing.T) {
	s := recorded(t)
	for _, lang := range []string{"fr", "en"} {
		f, err := NewFigures(s, Options{Language: lang})
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range ChartNames {
			svg, err := f.SVG(name)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, "chart_"+name+"_"+lang+".svg", svg)
			again, _ := f.SVG(name)
			if !bytes.Equal(svg, again) {
				t.Errorf("%s is not deterministic", name)
			}
		}
	}
	f, _ := NewFigures(s, Options{})
	if _, err := f.SVG("people"); err == nil {
		t.Error("an unknown chart was drawn")
	}
}

// Every chart says what it shows to those who cannot see it, and does not rely on colour alone:
// bars carry their numbers, series their round numbers and a legend.
func TestChartsAccessible(t *testing.T) {
	f, err := NewFigures(recorded(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range ChartNames {
		svg, _ := f.SVG(name)
		for _, want := range []string{`role="img"`, `aria-labelledby="chart-` + name + `-title chart-` + name + `-desc"`,
			`<title id="chart-` + name + `-title">`, `<desc id="chart-` + name + `-desc">`} {
			if !bytes.Contains(svg, []byte(want)) {
				t.Errorf("%s lacks %s", name, want)
			}
		}
	}
	contrib, _ := f.SVG(ChartContributions)
	for _, want := range []string{"Table 1 (Les pratiques numériques)\u00a0: 10 post-it — Avant le premier tour 5, Tour 1 3, Tour 2 1, Tour 3 1",
		">Avant (0)</text>", ">Tour 3</text>", `font-size="10" text-anchor="middle" fill="#4b535c">3</text>`,
		"Financement &amp; modèles économiques"} {
		if !bytes.Contains(contrib, []byte(want)) {
			t.Errorf("contributions chart lacks %q", want)
		}
	}
	encounters, _ := f.SVG(ChartEncounters)
	for _, want := range []string{"En moyenne, chacun a rencontré 4,3 personnes.",
		"Tables-tours réunissant au moins deux organisations : 7 sur 9 (78\u202f%)."} {
		if !bytes.Contains(encounters, []byte(want)) {
			t.Errorf("encounters chart lacks %q", want)
		}
	}
}

// Who met whom, counted by hand on a small rotation: four people, two tables, three rounds.
func TestEncounters(t *testing.T) {
	s := workshop.New()
	a, b, c, d := "a", "b", "c", "d"
	s.Participants = map[string]*workshop.Participant{
		a: {ID: a, Organisation: "Ouishare"}, b: {ID: b, Organisation: "OUISHARE "}, c: {ID: c, Organisation: "Cmarue"}, d: {ID: d},
	}
	s.Seatings = []map[string]string{
		{a: "T1", b: "T1", c: "T2", d: "T2"}, // a–b (one organisation), c–d (one known)
		{a: "T1", c: "T1", b: "T2", d: "T2"}, // a–c (two organisations), b–d
		{a: "T1", b: "T1", c: "T2", d: "T2"}, // a–b and c–d again
		{},                                   // a round started with nobody seated counts for nothing
	}
	e := encountersOf(s)
	if e.rounds != 3 || e.pairs != 4 || e.repeated != 2 || e.tableRounds != 6 || e.mixed != 1 || !e.orgs {
		t.Errorf("encounters = %+v", e)
	}
	if got := e.histogram(); len(got) != 3 || got[2].count != 4 {
		t.Errorf("histogram = %+v, want everyone at 2", got)
	}
	if e.average() != 2 {
		t.Errorf("average = %v", e.average())
	}
	l := labels["en"]
	f := &Figures{l: l, loc: time.UTC, encounters: e}
	facts := strings.Join(f.encounterFacts(), "\n")
	for _, want := range []string{"each person met 2.0 people", "more than once: 2 of 4 (50%)", "organisations: 1 of 6 (17%)"} {
		if !strings.Contains(facts, want) {
			t.Errorf("facts lack %q:\n%s", want, facts)
		}
	}
	if encountersOf(workshop.New()).rounds != 0 {
		t.Error("encounters before any round")
	}
}

func TestHistogramBins(t *testing.T) {
	e := encounters{met: []int{0, 3, 50, 50, 99}}
	bins := e.histogram()
	if len(bins) != 20 || bins[0].label() != "0–4" || bins[0].count != 2 || bins[19].label() != "95–99" || bins[19].count != 1 {
		t.Errorf("bins = %+v", bins)
	}
}

// Activity is counted per five minutes; a workshop spread over days gets wider buckets.
func TestActivityBuckets(t *testing.T) {
	note := func(at int64) *workshop.Note { return &workshop.Note{CreatedAt: at} }
	tables := []tableNotes{{notes: []*workshop.Note{note(t0 + 2*minute), note(t0 + 4*minute), note(t0 + 31*minute)}}}
	a := activityOf(tables)
	if a.bucket != 5 || a.start != t0 || len(a.counts) != 7 || a.counts[0] != 2 || a.counts[6] != 1 {
		t.Errorf("activity = %+v", a)
	}
	tables[0].notes = append(tables[0].notes, note(t0+3*24*60*minute))
	if a := activityOf(tables); a.bucket != 120 || len(a.counts) > maxBuckets {
		t.Errorf("over three days: bucket %d, %d buckets", a.bucket, len(a.counts))
	}
	if a := activityOf(nil); len(a.counts) != 0 {
		t.Errorf("no notes: %+v", a)
	}
}

// The charts print times in the zone asked for, and say which.
func TestChartsTimeZone(t *testing.T) {
	s := recorded(t)
	paris := time.FixedZone("Europe/Paris", 2*3600)
	f, _ := NewFigures(s, Options{Location: paris})
	svg, _ := f.SVG(ChartActivity)
	if !bytes.Contains(svg, []byte(">10:15</text>")) || !bytes.Contains(svg, []byte("heure Europe/Paris")) {
		t.Errorf("activity in Paris time:\n%s", svg)
	}
}

// A workshop with nothing yet still draws each chart, saying there is nothing.
func TestChartsEmpty(t *testing.T) {
	c := &café{t: t, s: workshop.New(), now: t0}
	bodies, err := workshop.DecideCreate(c.s, workshop.CreateArgs{ID: fixedID(1), Code: "VIDE", Title: "Vide", Language: "en",
		FacilitatorKeyHash: workshop.HashToken(facilitatorKey), BoardKeyHash: workshop.HashToken(token(1))}, c.now)
	c.apply("create", bodies, err)
	f, _ := NewFigures(c.s, Options{})
	for _, name := range ChartNames {
		svg, _ := f.SVG(name)
		if !bytes.Contains(svg, []byte("No notes.")) && !bytes.Contains(svg, []byte("No round has been played yet.")) {
			t.Errorf("empty %s:\n%s", name, svg)
		}
	}
	var b bytes.Buffer
	if err := HTML(&b, c.s, Options{}); err != nil {
		t.Fatal(err)
	}
	if err := Markdown(&b, c.s, Options{}); err != nil {
		t.Fatal(err)
	}
}

func TestParseSynthesis(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []block
	}{
		{"", nil},
		{"  \n\n ", nil},
		{"Une idée.", []block{{Text: "Une idée."}}},
		{"ligne 1\nligne 2\n\npara 2", []block{{Text: "ligne 1\nligne 2"}, {Text: "para 2"}}},
		{"Intro\n- a\n- b 🌍\nFin", []block{{Text: "Intro"}, {Items: []string{"a", "b 🌍"}}, {Text: "Fin"}}},
		{"- a\n\n- b", []block{{Items: []string{"a"}}, {Items: []string{"b"}}}},
		{"  - indentée\r\n-sans espace\n- ", []block{{Items: []string{"indentée"}}, {Text: "-sans espace"}}},
	} {
		got := parseSynthesis(c.in)
		if len(got) != len(c.want) {
			t.Errorf("parseSynthesis(%q) = %+v, want %+v", c.in, got, c.want)
			continue
		}
		for i := range got {
			if got[i].Text != c.want[i].Text || strings.Join(got[i].Items, "|") != strings.Join(c.want[i].Items, "|") {
				t.Errorf("parseSynthesis(%q)[%d] = %+v, want %+v", c.in, i, got[i], c.want[i])
			}
		}
	}
}

// User text never becomes markup in the HTML report, the charts or the printouts.
func TestHTMLEscapes(t *testing.T) {
	s := recorded(t)
	s.Tables[t3].Name = `Gouvernance <img src=x onerror=alert(1)>`
	s.Participants[fixedID(103)].Name = `Zoé <script>alert(1)</script>`
	var pages []string
	for _, o := range []Options{{Language: "fr"}, {Language: "en", WithEmails: true}} {
		pages = append(pages, string(render(t, htmlReport, s, o)))
	}
	links := Links{PublicURL: "https://nappe.example", FacilitatorKey: facilitatorKey}
	for _, build := range []func(*workshop.State, Options, Links) (*Printout, error){NewBadges, NewTableCards} {
		p, err := build(s, Options{}, links)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := p.HTML(&b); err != nil {
			t.Fatal(err)
		}
		pages = append(pages, b.String())
	}
	for i, page := range pages {
		for _, bad := range []string{"<script>", "<img", "<b>sans</b>", "javascript:alert(1)\">"} {
			if strings.Contains(page, bad) {
				t.Errorf("page %d holds %q", i, bad)
			}
		}
	}
	if !strings.Contains(pages[0], "Mesurer l&#39;impact &lt;b&gt;sans&lt;/b&gt; tout quantifier &amp; sans &#34;KPI&#34;") {
		t.Error("a note's markup-like text is not shown as text")
	}
	if !strings.Contains(pages[0], "Gouvernance &lt;img src=x onerror=alert(1)&gt;") {
		t.Error("a table name's markup-like text is not shown as text (in the charts too)")
	}
}

// The report shows each table's host, synthesis, most-voted notes and notes by round, then the
// plenary, the participants and the figures — in that order, as the seed's report does.
func TestReportStructure(t *testing.T) {
	s := recorded(t)
	page := string(render(t, htmlReport, s, Options{Language: "fr"}))
	order := []string{
		`<h1 id="title">Le café des innovations sociales numériques</h1>`,
		"Jeudi 4 octobre 2018 · Institut Mines-Télécom Business School, Évry",
		"3 tables · 7 participants · 18 post-it · 3 tours",
		`id="table-1"`, "Hôte\u00a0: <strong>Émilie Durand</strong>", "Synthèse", "<li>Ne pas oublier le lien physique 💬</li>",
		"Post-it les plus soutenus", "Avant le premier tour", "Tour 1", "Gérard Leroy (noté par Émilie Durand)",
		`id="table-2"`, "Tour 2", "Et demain, qui finance ?",
		`id="table-3"`,
		`id="plenary"`, "Deux principales pistes 🚀",
		`id="participants"`, "Nicole Alix",
		`id="figures"`, "Contributions par table et par tour", "Activité au fil de l&#39;événement", "Qui a rencontré qui",
	}
	at := 0
	for _, want := range order {
		i := strings.Index(page[at:], want)
		if i < 0 {
			t.Fatalf("%q missing or out of order", want)
		}
		at += i
	}
	if n := strings.Count(page, `class="page `); n != 1+3+3 {
		t.Errorf("%d pages: want a cover, three tables, plenary, participants, figures", n)
	}
	for _, want := range []string{"@page", "size: A4", ".page + .page { break-before: page; }", "@media screen", "print-color-adjust: exact"} {
		if !strings.Contains(page, want) {
			t.Errorf("stylesheet lacks %q", want)
		}
	}
	md := string(render(t, markdown, s, Options{Language: "en"}))
	mdOrder := []string{"## Table 1", "Host: _Émilie Durand_", "### Synthesis", "### Most-voted notes", "### Before the first round",
		"### Round 1", "## Table 2", "### Round 2", "> Et demain, qui finance ?", "## Plenary and perspectives", "## Participants",
		"## In figures", "### Contributions by table and round", "| Table | Before | Round 1 | Round 2 | Round 3 | Total |",
		"### Activity over the event", "### Who met whom"}
	at = 0
	for _, want := range mdOrder {
		i := strings.Index(md[at:], want)
		if i < 0 {
			t.Fatalf("Markdown: %q missing or out of order:\n%s", want, md)
		}
		at += i
	}
}

// A chart of many tables is drawn in rows sharing one scale: one SVG standalone, an SVG per row in
// the report so that a printed page may break between them.
func TestWideChartInRows(t *testing.T) {
	f := &Figures{l: labels["en"], loc: time.UTC, contrib: contribution{rounds: true, series: []int{1, 2, 3}}}
	for i := 1; i <= 30; i++ {
		f.contrib.rows = append(f.contrib.rows, contribRow{number: i, name: fmt.Sprint("Table ", i), counts: []int{i, 1, 2}, total: i + 3})
	}
	svg, _ := f.SVG(ChartContributions)
	rows := bytes.Count(svg, []byte(`<g transform="translate(0 `)) + 1
	if rows < 2 || !bytes.Contains(svg, []byte(">Contributions by table and round</text>")) || !bytes.Contains(svg, []byte("Table 30 (Table 30): 33 notes")) {
		t.Errorf("30 tables in %d rows:\n%s", rows, svg)
	}
	d := &document{L: labels["en"], Figures: f}
	charts := d.Charts()
	if len(charts[0].SVGs) != rows {
		t.Errorf("the report draws %d SVGs for %d rows", len(charts[0].SVGs), rows)
	}
	ids := map[string]bool{}
	for _, s := range charts[0].SVGs {
		id := regexp.MustCompile(`<title id="([^"]+)">`).FindStringSubmatch(string(s))[1]
		if ids[id] {
			t.Errorf("id %s repeated", id)
		}
		ids[id] = true
	}
	// Every row has the same scale: the tallest bar of all (30) sets it.
	for i, s := range charts[0].SVGs {
		if !strings.Contains(string(s), `fill="#4b535c">30</text>`) {
			t.Errorf("row %d does not share the scale", i+1)
		}
	}
}
