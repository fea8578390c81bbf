package harvest

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestWriteSamples writes the recorded workshop's pages to the directory named by
// NAPPE_HARVEST_SAMPLES, to look at them in a browser while working on their design:
//
//	NAPPE_HARVEST_SAMPLES=/tmp/harvest go test ./internal/harvest -run WriteSamples
func TestWriteSamples(t *testing.T) {
	dir := os.Getenv("NAPPE_HARVEST_SAMPLES")
	if dir == "" {
		t.Skip("NAPPE_HARVEST_SAMPLES not set")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	s := recorded(t)
	links := Links{PublicURL: "https://nappe.example", FacilitatorKey: facilitatorKey}
	for name, write := range map[string]func(*bytes.Buffer) error{
		"report_fr.html": func(b *bytes.Buffer) error { return HTML(b, s, Options{WithEmails: true}) },
		"report_en.html": func(b *bytes.Buffer) error { return HTML(b, s, Options{Language: "en"}) },
		"report_fr.md":   func(b *bytes.Buffer) error { return Markdown(b, s, Options{}) },
		"badges_fr.html": func(b *bytes.Buffer) error {
			p, err := NewBadges(s, Options{}, links)
			if err != nil {
				return err
			}
			return p.HTML(b)
		},
		"cards_fr.html": func(b *bytes.Buffer) error {
			p, err := NewTableCards(s, Options{}, links)
			if err != nil {
				return err
			}
			return p.HTML(b)
		},
	} {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, err := NewFigures(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range ChartNames {
		svg, err := f.SVG(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+".svg"), svg, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
