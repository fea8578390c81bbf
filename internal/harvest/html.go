package harvest

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"

	"nappe/internal/qrcode"
)

// The printable pages are html/template files: every text from the workshop goes through the
// template's escaping, and the only markup let through as it is (template.HTML) is the SVG this
// package and internal/qrcode draw themselves.
//
//go:embed templates/*.html
var templateFiles embed.FS

var pages = template.Must(template.New("").Funcs(template.FuncMap{
	"qr": qrSVG,
}).ParseFS(templateFiles, "templates/*.html"))

// qrSVG draws a QR code for a template; a text too long to encode fails the whole page.
func qrSVG(text string) (template.HTML, error) {
	svg, err := qrcode.SVG(text)
	if err != nil {
		return "", err
	}
	return template.HTML(svg), nil // drawn by internal/qrcode: a path, no text
}

// writeHTML executes one page template into a buffer, so that a failure writes nothing.
func writeHTML(w io.Writer, name string, data any) error {
	var b bytes.Buffer
	if err := pages.ExecuteTemplate(&b, name, data); err != nil {
		return fmt.Errorf("harvest: %s page: %w", name, err)
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("harvest: write %s page: %w", name, err)
	}
	return nil
}

// Votes is "3 votes", for the templates.
func (d *document) Votes(n int) string { return d.L.votes(n) }

// NotesCount is "12 post-it", for the templates.
func (d *document) NotesCount(n int) string { return d.L.plural(n, d.L.NotesN) }

// chartDoc is one chart of the report's figures page: one SVG, or several rows of a wide one
// (each an SVG, so that a page may break between them).
type chartDoc struct {
	ID, Title string
	SVGs      []template.HTML
	Facts     []string
}

// Charts are the report's figures: the charts, each titled by the page rather than by itself,
// and the facts under the encounters chart written as text.
func (d *document) Charts() []chartDoc {
	f := d.Figures
	var out []chartDoc
	for _, name := range ChartNames {
		c, _ := f.chart(name)
		cd := chartDoc{ID: "fig-" + name, Title: f.title(name)}
		if name == ChartEncounters {
			cd.Facts, c.notes = c.notes, nil
		}
		for _, svg := range c.drawPanels() {
			cd.SVGs = append(cd.SVGs, template.HTML(svg)) // drawn here, every text escaped by esc
		}
		out = append(out, cd)
	}
	return out
}

// Colours are the tables' colours in order, for the cover's band.
func (d *document) Colours() []string {
	var out []string
	for _, t := range d.Tables {
		out = append(out, t.Colour)
	}
	if len(out) == 0 {
		out = []string{"teal"}
	}
	return out
}
