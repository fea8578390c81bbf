package httpapi

import (
	"bytes"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"nappe/internal/harvest"
	"nappe/internal/workshop"
)

// What the workshop leaves behind (internal/harvest): the report as Markdown and as printable
// HTML, the notes as CSV, the charts as SVG, and the printouts for the room (badges, table
// cards). Each is built inside the workshop's loop, which only copies what it needs out of the
// state, and rendered outside it: drawing a few hundred QR codes must not stall a live room.

// artefact describes one export route.
type artefact struct {
	ext         string
	contentType string
	// download: offered as a file to save; otherwise shown in the browser (and printed from it).
	download bool
	// board: the projector's key is accepted as well as the facilitator's (the charts, which
	// carry no personal data). Participants never get exports.
	board bool
	// build runs inside the workshop's loop and returns what renders the artefact afterwards.
	// It must not touch the request: handlers read what it needs beforehand.
	build func(s *workshop.State, o harvest.Options) (func(io.Writer) error, error)
	// headers, when set, adds response headers from what build found.
	headers func(c *fiber.Ctx)
}

// exportReport: the report as Markdown (with e-mail addresses on ?emails=1, since only
// facilitators get here).
func (a *api) exportReport(c *fiber.Ctx) error {
	emails := c.Query("emails") == "1"
	return a.serveArtefact(c, artefact{ext: "md", contentType: "text/markdown; charset=utf-8", download: true,
		build: func(s *workshop.State, o harvest.Options) (func(io.Writer) error, error) {
			o.WithEmails = emails
			r, err := harvest.Build(s, o)
			if err != nil {
				return nil, err
			}
			return r.Markdown, nil
		}})
}

// exportReportHTML: the report as one self-contained A4 page the console opens and prints;
// e-mail addresses on ?emails=1.
func (a *api) exportReportHTML(c *fiber.Ctx) error {
	emails := c.Query("emails") == "1"
	return a.serveArtefact(c, artefact{ext: "html", contentType: fiber.MIMETextHTMLCharsetUTF8,
		build: func(s *workshop.State, o harvest.Options) (func(io.Writer) error, error) {
			o.WithEmails = emails
			r, err := harvest.Build(s, o)
			if err != nil {
				return nil, err
			}
			return r.HTML, nil
		}})
}

// exportNotes: the notes as a CSV that spreadsheets in French and English open as they are.
func (a *api) exportNotes(c *fiber.Ctx) error {
	return a.serveArtefact(c, artefact{ext: "csv", contentType: "text/csv; charset=utf-8", download: true,
		build: func(s *workshop.State, o harvest.Options) (func(io.Writer) error, error) {
			var b bytes.Buffer
			if err := harvest.NotesCSV(&b, s, o); err != nil {
				return nil, err
			}
			return func(w io.Writer) error { _, err := w.Write(b.Bytes()); return err }, nil
		}})
}

// exportChart: one chart as SVG (/charts/{name}.svg), for the console and the projector.
func (a *api) exportChart(c *fiber.Ctx) error {
	name := c.Params("name")
	if !slices.Contains(harvest.ChartNames, name) {
		return problem(http.StatusNotFound, "not_found", "no chart named "+strconv.Quote(name)+"; the charts are "+
			strings.Join(harvest.ChartNames, ", "))
	}
	return a.serveArtefact(c, artefact{ext: "svg", contentType: "image/svg+xml; charset=utf-8", board: true,
		build: func(s *workshop.State, o harvest.Options) (func(io.Writer) error, error) {
			f, err := harvest.NewFigures(s, o)
			if err != nil {
				return nil, err
			}
			return func(w io.Writer) error {
				svg, err := f.SVG(name)
				if err != nil {
					return err
				}
				_, err = w.Write(svg)
				return err
			}, nil
		}})
}

// exportBadges: A4 sheets of badges, each with a QR code to the person's own link when the
// facilitator registered them (their token derives from the key this request carries). Past
// harvest.BadgesPerPrintout people, ?part=2… gives the next ones; the Nappe-Parts header says
// how many parts there are.
func (a *api) exportBadges(c *fiber.Ctx) error {
	links := harvest.Links{PublicURL: a.publicURL(c), FacilitatorKey: bearerToken(c)}
	part, parts := c.QueryInt("part", 1), 1
	return a.serveArtefact(c, artefact{ext: "html", contentType: fiber.MIMETextHTMLCharsetUTF8,
		headers: func(c *fiber.Ctx) { c.Set("Nappe-Parts", strconv.Itoa(parts)) },
		build: func(s *workshop.State, o harvest.Options) (func(io.Writer) error, error) {
			o.Part, parts = part, harvest.BadgeParts(s)
			p, err := harvest.NewBadges(s, o, links)
			if err != nil {
				return nil, err
			}
			return p.HTML, nil
		}})
}

// exportTableCards: a card per table, with a QR code to join at that table.
func (a *api) exportTableCards(c *fiber.Ctx) error {
	links := harvest.Links{PublicURL: a.publicURL(c)}
	return a.serveArtefact(c, artefact{ext: "html", contentType: fiber.MIMETextHTMLCharsetUTF8,
		build: func(s *workshop.State, o harvest.Options) (func(io.Writer) error, error) {
			p, err := harvest.NewTableCards(s, o, links)
			if err != nil {
				return nil, err
			}
			return p.HTML, nil
		}})
}

// serveArtefact authenticates, builds the artefact inside the workshop's loop, renders it
// outside and sends it. ?lang=fr|en chooses the language (default: the workshop's); ?tz= an IANA
// time zone for the times the charts print (default UTC, which they say).
func (a *api) serveArtefact(c *fiber.Ctx, art artefact) error {
	ctx, cancel := a.ctx(c)
	defer cancel()
	w, actor, err := a.bearer(c, ctx)
	if err != nil {
		return err
	}
	if actor.Role != workshop.RoleFacilitator && !(art.board && actor.Role == workshop.RoleBoard) {
		if art.board {
			return problem(http.StatusForbidden, "forbidden", "only a facilitator or the projector may see the charts")
		}
		return problem(http.StatusForbidden, "forbidden", "only a facilitator may export the workshop")
	}
	o := harvest.Options{}
	if lang := c.Query("lang"); lang == "fr" || lang == "en" {
		o.Language = lang
	}
	if tz := c.Query("tz"); tz != "" {
		if loc, err := time.LoadLocation(tz); err == nil {
			o.Location = loc
		}
	}
	var render func(io.Writer) error
	var code string
	var berr error
	if err := w.Read(ctx, func(s *workshop.State) {
		code = s.Workshop.Code
		render, berr = art.build(s, o)
	}); err != nil {
		return err
	}
	if berr != nil {
		return berr
	}
	a.hub.Inject("render")
	var out bytes.Buffer
	if err := render(&out); err != nil {
		return err
	}
	if art.headers != nil {
		art.headers(c)
	}
	c.Set(fiber.HeaderContentType, art.contentType)
	disposition := "inline"
	if art.download {
		disposition = "attachment"
	}
	c.Set(fiber.HeaderContentDisposition, disposition+`; filename="nappe-`+code+`.`+art.ext+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(out.Bytes())
}
