package httpapi

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"

	"nappe/internal/hub"
	"nappe/internal/protocol"
	"nappe/internal/workshop"
)

// exportJSON gives a facilitator the whole workshop as a versioned document (PROTOCOL.md §5)
// that importWorkshop turns back into a workshop, here or on another Nappe server.
func (a *api) exportJSON(c *fiber.Ctx) error {
	ctx, cancel := a.ctx(c)
	defer cancel()
	w, _, err := a.facilitator(c, ctx)
	if err != nil {
		return err
	}
	var out []byte
	var code string
	if err := w.Read(ctx, func(s *workshop.State) {
		code = s.Workshop.Code
		out, err = json.MarshalIndent(s.Export(time.Now().UnixMilli()), "", "  ")
	}); err != nil {
		return err
	}
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/json; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="nappe-`+code+`.json"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(out)
}

// importWorkshop creates a new workshop from an export: new id, join code and keys, the rest as
// it was. Like creating a workshop, it needs no key.
func (a *api) importWorkshop(c *fiber.Ctx) error {
	var x workshop.Export
	if err := json.Unmarshal(c.Body(), &x); err != nil {
		return problem(http.StatusBadRequest, protocol.CodeInvalid, "the body is not a Nappe workshop export: "+err.Error())
	}
	ctx, cancel := a.ctx(c)
	defer cancel()
	created, err := a.hub.Create(ctx, hub.CreateRequest{Import: &x})
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(fiber.Map{
		"workshop": created.Workshop, "facilitatorKey": created.FacilitatorKey, "boardKey": created.BoardKey,
		"links": links(created.Workshop, created.FacilitatorKey),
	})
}
