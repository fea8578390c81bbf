package harvest

import (
	"bytes"
	"strings"
	"testing"

	"nappe/internal/qrcode"
	"nappe/internal/workshop"
)

const public = "https://nappe.example"

func badgesOf(t *testing.T, s *workshop.State, key string) (*Printout, string) {
	t.Helper()
	p, err := NewBadges(s, Options{}, Links{PublicURL: public, FacilitatorKey: key})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := p.HTML(&b); err != nil {
		t.Fatal(err)
	}
	return p, b.String()
}

// A badge's QR code opens the personal link of someone the facilitator registered, and the join
// page for someone who joined by themselves (their token is theirs alone).
func TestBadgeLinks(t *testing.T) {
	s := recorded(t)
	p, page := badgesOf(t, s, facilitatorKey)
	byName := map[string]badge{}
	for _, sh := range p.doc.Sheets {
		for _, b := range sh.Badges {
			byName[b.Name] = b
		}
	}
	if len(byName) != 7 {
		t.Fatalf("%d badges, want 7", len(byName))
	}
	personal := public + "/p/" + fixedID(1) + "#t=" + workshop.DeriveParticipantToken(facilitatorKey, fixedID(106))
	if b := byName["Nicole Alix"]; b.Link != personal || b.LinkCaption != "Votre lien personnel" {
		t.Errorf("Nicole's badge: %q %q, want her personal link", b.Link, b.LinkCaption)
	}
	if b := byName["Zoé Martin"]; b.Link != public+"/j/ISN2018" || b.LinkCaption != "Rejoindre\u00a0: code ISN2018" && b.LinkCaption != "Rejoindre : code ISN2018" {
		t.Errorf("Zoé's badge: %q %q, want the join page", b.Link, b.LinkCaption)
	}
	qr, _ := qrcode.SVG(personal)
	if !strings.Contains(page, string(qr)) {
		t.Error("the page does not draw Nicole's personal QR code")
	}
	// Someone else's key (or none) gives nobody a personal link.
	for _, key := range []string{"", token(9)} {
		p, _ := badgesOf(t, s, key)
		for _, b := range p.doc.Sheets[0].Badges {
			if strings.Contains(b.Link, "/p/") {
				t.Errorf("with key %q, %s's badge opens a personal link", key, b.Name)
			}
		}
	}
}

func TestBadgeContents(t *testing.T) {
	s := recorded(t)
	s.Rounds = append(s.Rounds, workshop.Round{Minutes: 10}) // a fourth round, not planned
	p, page := badgesOf(t, s, facilitatorKey)
	var emilie badge
	for _, b := range p.doc.Sheets[0].Badges {
		if b.Name == "Émilie Durand" {
			emilie = b
		}
	}
	if emilie.Organisation != "Ouishare" || emilie.Hosting != "Hôte de la table 1" || len(emilie.Rounds) != 4 {
		t.Fatalf("Émilie's badge: %+v", emilie)
	}
	for i, r := range emilie.Rounds[:3] {
		if r.Number != 1 || r.Name != "Les pratiques numériques" || r.Colour != "teal" {
			t.Errorf("round %d: %+v, want table 1 (she hosts it)", i+1, r)
		}
	}
	if r := emilie.Rounds[3]; r.Number != 0 || r.Label != "Tour 4" {
		t.Errorf("round 4: %+v, want unknown", r)
	}
	for _, want := range []string{"Tour 4</span><span class=\"none\">—</span>", "Vos tables", "@page { size: A4; margin: 0; }",
		`<h1 class="name name-l">Émilie Durand</h1>`, `<h1 class="name name-l">Lionel Bouzonville</h1>`} {
		if !strings.Contains(page, want) {
			t.Errorf("badges page lacks %q", want)
		}
	}
	if nameSize("Marie-Hélène Dupont-Aignan") != "m" || nameSize("Anne-Charlotte de La Rochefoucauld-Liancourt") != "s" {
		t.Error("long names should get a smaller type")
	}
	if strings.Contains(page, emailEmilie) {
		t.Error("a badge shows an e-mail address")
	}
}

// Eight badges to a sheet.
func TestBadgeSheets(t *testing.T) {
	c, _ := morningCafé(t)
	for i := 10; i < 20; i++ {
		c.join(i, "Personne "+string(rune('A'+i)), "", "", "")
	}
	p, page := badgesOf(t, c.s, facilitatorKey)
	if len(p.doc.Sheets) != 2 || len(p.doc.Sheets[0].Badges) != 8 || len(p.doc.Sheets[1].Badges) != 8 {
		t.Errorf("16 people on %d sheets", len(p.doc.Sheets))
	}
	if n := strings.Count(page, `<section class="sheet">`); n != 2 {
		t.Errorf("%d sheets in the page", n)
	}
	empty, _ := NewBadges(workshop.New(), Options{Language: "en"}, Links{})
	var b bytes.Buffer
	if err := empty.HTML(&b); err != nil || !strings.Contains(b.String(), "No participants yet.") {
		t.Errorf("no participants: %v\n%s", err, b.String())
	}
}

func TestTableCards(t *testing.T) {
	s := recorded(t)
	p, err := NewTableCards(s, Options{Language: "en"}, Links{PublicURL: public})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.doc.Sheets) != 2 || len(p.doc.Sheets[0].Cards) != 2 || len(p.doc.Sheets[1].Cards) != 1 {
		t.Fatalf("three cards on %d sheets", len(p.doc.Sheets))
	}
	var b bytes.Buffer
	if err := p.HTML(&b); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for i, id := range []string{t1, t2, t3} {
		c := p.doc.Sheets[i/2].Cards[i%2]
		if c.Number != i+1 || c.Link != public+"/j/ISN2018#table="+id {
			t.Errorf("card %d: %+v", i+1, c)
		}
		qr, _ := qrcode.SVG(c.Link)
		if !strings.Contains(page, string(qr)) {
			t.Errorf("card %d's QR code is not drawn", i+1)
		}
	}
	for _, want := range []string{`<article class="card c-orange">`, "Financement &amp; modèles économiques",
		"Quels modèles économiques pour les ISN ?\nEt quels financeurs ?", "Scan to join this table", "or code ISN2018 · nappe.example"} {
		if !strings.Contains(page, want) {
			t.Errorf("cards lack %q", want)
		}
	}
}
