package main

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"

	"nappe/internal/qrcode"
	"nappe/internal/workshop"
)

func get(t *testing.T, url, bearer string) (int, http.Header, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+bearer)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, string(body)
}

// A facilitator downloads the report and the notes; e-mails only when asked; nobody else may.
func TestExportsAreForFacilitators(t *testing.T) {
	s := startServer(t, "--data", t.TempDir())
	c := newCafé(t, s)
	ada := joinCafé(t, s, c, "Ada", c.tables[0])
	pa := online(t, s, c.Workshop.ID, ada.token)
	pa.waitFor("ack", answer(pa.cmd("note.post", map[string]any{"note": uuid.NewString(), "text": "=1+1 un processus incrémental"})))

	base := s.url + "/api/workshops/" + c.Workshop.ID
	st, h, md := get(t, base+"/report.md?lang=en", c.FacilitatorKey)
	if st != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/markdown") || !strings.Contains(md, "# Café test") ||
		!strings.Contains(md, "un processus incrémental") || strings.Contains(md, "ada@example.org") {
		t.Fatalf("report: %d %v\n%s", st, h, md)
	}
	if !strings.Contains(h.Get("Content-Disposition"), "nappe-"+c.Workshop.Code+".md") {
		t.Errorf("disposition: %q", h.Get("Content-Disposition"))
	}
	if _, _, md := get(t, base+"/report.md?emails=1", c.FacilitatorKey); !strings.Contains(md, "ada@example.org") {
		t.Errorf("report with e-mails lacks them:\n%s", md)
	}
	st, _, csv := get(t, base+"/notes.csv?lang=fr", c.FacilitatorKey)
	if st != 200 || !strings.HasPrefix(csv, "\ufeff") || !strings.Contains(csv, "\r\n") || !strings.Contains(csv, "'=1+1") || !strings.Contains(csv, ";") {
		t.Fatalf("notes.csv: %d %q", st, csv)
	}
	for _, key := range []string{c.BoardKey, ada.token} {
		if st, _, _ := get(t, base+"/report.md", key); st != 403 {
			t.Errorf("report for a non-facilitator: %d", st)
		}
	}
}

// The printable report, the printouts and the charts: facilitators get them all; the projector
// only the charts, which carry no personal data; a participant nothing; e-mail addresses only on
// ?emails=1.
func TestPrintablesAndChartsAreForFacilitators(t *testing.T) {
	s := startServer(t, "--data", t.TempDir())
	c := newCafé(t, s)
	ada := joinCafé(t, s, c, "Ada", c.tables[0])
	pa := online(t, s, c.Workshop.ID, ada.token)
	pa.waitFor("ack", answer(pa.cmd("note.post", map[string]any{"note": uuid.NewString(), "text": "Un processus <b>incrémental</b> 🌱"})))
	facCommand(t, s, c, "round.start", map[string]any{})
	facCommand(t, s, c, "synthesis.push", map[string]any{"doc": c.tables[0], "version": 0,
		"updates": []any{map[string]any{"clientID": "console", "changes": []any{[]any{0, "Mettre en réseau 🤝", "", "- décloisonner", "- mutualiser"}}}}})

	base := s.url + "/api/workshops/" + c.Workshop.ID
	st, h, page := get(t, base+"/report.html?lang=fr", c.FacilitatorKey)
	if st != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/html") || h.Get("Cache-Control") != "no-store" {
		t.Fatalf("report.html: %d %v", st, h)
	}
	for _, want := range []string{"<h1 id=\"title\">Café test</h1>", "Un processus &lt;b&gt;incrémental&lt;/b&gt; 🌱",
		"<li>décloisonner</li>", "Mettre en réseau 🤝", "@page", "size: A4", "break-before: page", "<svg"} {
		if !strings.Contains(page, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	if strings.Contains(page, "ada@example.org") || strings.Contains(page, "<b>incrémental") {
		t.Error("report.html without ?emails=1 shows an e-mail address, or a note's markup")
	}
	if _, _, page := get(t, base+"/report.html?emails=1", c.FacilitatorKey); !strings.Contains(page, "ada@example.org") {
		t.Error("report.html?emails=1 lacks the e-mail address")
	}
	if !strings.Contains(h.Get("Content-Disposition"), "inline") {
		t.Errorf("report.html disposition: %q", h.Get("Content-Disposition"))
	}

	printables := []string{"/report.html", "/report.html?emails=1", "/report.md", "/badges.html", "/table-cards.html", "/notes.csv"}
	charts := []string{"/charts/contributions.svg", "/charts/activity.svg", "/charts/encounters.svg?lang=en"}
	for _, path := range append(printables, charts...) {
		st, h, body := get(t, base+path, c.FacilitatorKey)
		if st != 200 || body == "" {
			t.Errorf("%s for the facilitator: %d", path, st)
		}
		if h.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: Cache-Control %q", path, h.Get("Cache-Control"))
		}
		if st, _, _ := get(t, base+path, ada.token); st != 403 {
			t.Errorf("%s for a participant: %d, want 403", path, st)
		}
		if st, _, _ := get(t, base+path, newToken()); st != 401 {
			t.Errorf("%s for an unknown token: %d, want 401", path, st)
		}
	}
	for _, path := range printables {
		if st, _, _ := get(t, base+path, c.BoardKey); st != 403 {
			t.Errorf("%s for the projector: %d, want 403", path, st)
		}
	}
	for _, path := range charts {
		st, h, svg := get(t, base+path, c.BoardKey)
		if st != 200 || !strings.HasPrefix(h.Get("Content-Type"), "image/svg+xml") || !strings.Contains(svg, "<title id=") ||
			strings.Contains(svg, "Ada") {
			t.Errorf("%s for the projector: %d %v\n%s", path, st, h, svg)
		}
	}
	if st, _, _ := get(t, base+"/charts/people.svg", c.FacilitatorKey); st != 404 {
		t.Errorf("an unknown chart: %d, want 404", st)
	}
	if _, _, svg := get(t, base+"/charts/contributions.svg", c.BoardKey); !strings.Contains(svg, "Table 1") {
		t.Errorf("contributions chart:\n%s", svg)
	}
}

// A badge opens its owner's personal link when the facilitator registered them (their token is
// derived from the key), the join page otherwise; a table card joins at its table.
func TestBadgesAndTableCardsLinks(t *testing.T) {
	s := startServer(t, "--data", t.TempDir())
	c := newCafé(t, s)
	self := joinCafé(t, s, c, "Bob", c.tables[1])
	registered := uuid.NewString()
	derived := workshop.DeriveParticipantToken(c.FacilitatorKey, registered)
	if st := call(t, "POST", s.url+"/api/join/"+c.Workshop.Code, "", map[string]any{"id": registered, "token": derived,
		"name": "Nicole Alix", "organisation": "Plateformes en communs", "table": c.tables[0]}, nil); st != 201 {
		t.Fatalf("join with a derived token: %d", st)
	}
	base := s.url + "/api/workshops/" + c.Workshop.ID
	_, _, badges := get(t, base+"/badges.html", c.FacilitatorKey)
	personal, _ := qrcode.SVG(s.url + "/p/" + c.Workshop.ID + "#t=" + derived)
	join, _ := qrcode.SVG(s.url + "/j/" + c.Workshop.Code)
	if !strings.Contains(badges, string(personal)) {
		t.Error("the registered participant's badge does not open their personal link")
	}
	if strings.Count(badges, string(join)) != 1 {
		t.Errorf("the self-joined participant's badge should open the join page (found %d)", strings.Count(badges, string(join)))
	}
	if strings.Contains(badges, self.token) || strings.Contains(badges, c.FacilitatorKey) {
		t.Error("a badge page shows a secret other than a registered participant's own token")
	}
	for _, want := range []string{"Nicole Alix", "Plateformes en communs", "Bob", "Tour 1", "—"} {
		if !strings.Contains(badges, want) {
			t.Errorf("badges lack %q", want)
		}
	}
	_, _, cards := get(t, base+"/table-cards.html?lang=en", c.FacilitatorKey)
	for _, table := range c.tables {
		qr, _ := qrcode.SVG(s.url + "/j/" + c.Workshop.Code + "#table=" + table)
		if !strings.Contains(cards, string(qr)) {
			t.Errorf("no card joins table %s", table)
		}
	}
	if !strings.Contains(cards, "Scan to join this table") {
		t.Error("table cards are not in English with ?lang=en")
	}
}
