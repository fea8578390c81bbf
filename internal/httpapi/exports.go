package httpapi

import (
	"bytes"
	"net/http"

	"github.com/gofiber/fiber/v2"

	"nappe/internal/harvest"
	"nappe/internal/workshop"
)

// exportReport and exportNotes hand a facilitator what the workshop leaves behind: the report as
// Markdown (with e-mail addresses when asked, since only facilitators get here) and the notes as
// a CSV that spreadsheets in French and English open as they are.
func (a *api) exportReport(c *fiber.Ctx) error {
	return a.export(c, "md", "text/markdown; charset=utf-8", func(b *bytes.Buffer, s *workshop.State, o harvest.Options) error {
		o.WithEmails = c.Query("emails") == "1"
		return harvest.Markdown(b, s, o)
	})
}

func (a *api) exportNotes(c *fiber.Ctx) error {
	return a.export(c, "csv", "text/csv; charset=utf-8", func(b *bytes.Buffer, s *workshop.State, o harvest.Options) error {
		return harvest.NotesCSV(b, s, o)
	})
}

func (a *api) export(c *fiber.Ctx, ext, contentType string, render func(*bytes.Buffer, *workshop.State, harvest.Options) error) error {
	ctx, cancel := a.ctx(c)
	defer cancel()
	w, actor, err := a.bearer(c, ctx)
	if err != nil {
		return err
	}
	if actor.Role != workshop.RoleFacilitator {
		return problem(http.StatusForbidden, "forbidden", "only a facilitator may export the workshop")
	}
	var out bytes.Buffer
	var code string
	var rerr error
	if err := w.Read(ctx, func(s *workshop.State) {
		code = s.Workshop.Code
		lang := c.Query("lang")
		if lang != "fr" && lang != "en" {
			lang = s.Workshop.Language
		}
		rerr = render(&out, s, harvest.Options{Language: lang})
	}); err != nil {
		return err
	}
	if rerr != nil {
		return rerr
	}
	c.Set(fiber.HeaderContentType, contentType)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="nappe-`+code+`.`+ext+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(out.Bytes())
}
