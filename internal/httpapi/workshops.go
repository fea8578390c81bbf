package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"nappe/internal/hub"
	"nappe/internal/protocol"
	"nappe/internal/qrcode"
	"nappe/internal/workshop"
)

// requestTimeout bounds a REST call: one append at most, which the hub bounds more tightly.
const requestTimeout = 15 * time.Second

func (a *api) ctx(c *fiber.Ctx) (context.Context, context.CancelFunc) {
	return context.WithTimeout(c.UserContext(), requestTimeout)
}

func decodeBody(c *fiber.Ctx, v any) error {
	if err := json.Unmarshal(c.Body(), v); err != nil {
		return problem(http.StatusBadRequest, protocol.CodeInvalid, "the body is not the JSON this route expects: "+err.Error())
	}
	return nil
}

func (a *api) healthz(c *fiber.Ctx) error { return c.SendString("ok") }

func (a *api) readyz(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	if a.cfg.Ready != nil {
		if err := a.cfg.Ready(ctx); err != nil {
			return problem(http.StatusServiceUnavailable, protocol.CodeUnavailable, "NATS or JetStream is not answering")
		}
	}
	return c.SendString("ready")
}

type createBody struct {
	Title          string `json:"title"`
	Subtitle       string `json:"subtitle"`
	Date           string `json:"date"`
	Venue          string `json:"venue"`
	Language       string `json:"language"`
	AllowAnonymous bool   `json:"allowAnonymous"`
	Template       string `json:"template"`
}

func (a *api) createWorkshop(c *fiber.Ctx) error {
	var b createBody
	if err := decodeBody(c, &b); err != nil {
		return err
	}
	ctx, cancel := a.ctx(c)
	defer cancel()
	created, err := a.hub.Create(ctx, hub.CreateRequest{Title: b.Title, Subtitle: b.Subtitle, Date: b.Date, Venue: b.Venue,
		Language: b.Language, AllowAnonymous: b.AllowAnonymous, Template: b.Template})
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(fiber.Map{
		"workshop": created.Workshop, "facilitatorKey": created.FacilitatorKey, "boardKey": created.BoardKey,
		"links": links(created.Workshop, created.FacilitatorKey),
	})
}

// links are the three addresses a facilitator hands out. Secrets go in the fragment, which
// browsers never send to a server.
func links(w workshop.Workshop, facilitatorKey string) fiber.Map {
	return fiber.Map{
		"console": "/console/" + w.ID + "#k=" + facilitatorKey,
		"board":   "/board/" + w.ID + "#k=" + workshop.DeriveBoardKey(facilitatorKey),
		"join":    "/j/" + w.Code,
	}
}

// workshopLinks gives a facilitator the links again, on whatever device they now use.
func (a *api) workshopLinks(c *fiber.Ctx) error {
	ctx, cancel := a.ctx(c)
	defer cancel()
	w, actor, err := a.bearer(c, ctx)
	if err != nil {
		return err
	}
	if actor.Role != workshop.RoleFacilitator {
		return problem(http.StatusForbidden, "forbidden", "only a facilitator may see the links")
	}
	info, err := w.JoinInfo(ctx)
	if err != nil {
		return err
	}
	return c.JSON(links(info.Workshop, bearerToken(c)))
}

// normaliseCode forgives what people do when typing a code read off a wall: lower case, spaces,
// dashes.
func normaliseCode(s string) string {
	s = strings.ToUpper(s)
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, s)
}

func (a *api) joinInfo(c *fiber.Ctx) error {
	ctx, cancel := a.ctx(c)
	defer cancel()
	w, err := a.hub.Lookup(ctx, normaliseCode(c.Params("code")))
	if err != nil {
		return err
	}
	info, err := w.JoinInfo(ctx)
	if err != nil {
		return err
	}
	return c.JSON(info)
}

type joinBody struct {
	ID           string  `json:"id"`
	Token        string  `json:"token"`
	Name         string  `json:"name"`
	Organisation string  `json:"organisation"`
	Email        string  `json:"email"`
	Table        *string `json:"table"`
}

func (a *api) join(c *fiber.Ctx) error {
	var b joinBody
	if err := decodeBody(c, &b); err != nil {
		return err
	}
	if !workshop.ValidToken(b.Token) {
		return problem(http.StatusBadRequest, protocol.CodeInvalid, "token must be 32 random bytes in base64url (43 characters)")
	}
	ctx, cancel := a.ctx(c)
	defer cancel()
	w, err := a.hub.Lookup(ctx, normaliseCode(c.Params("code")))
	if err != nil {
		return err
	}
	args := workshop.JoinArgs{ID: b.ID, TokenHash: workshop.HashToken(b.Token), Name: b.Name, Organisation: b.Organisation, Email: b.Email}
	if b.Table != nil {
		args.Table = *b.Table
	}
	p, err := w.Join(ctx, args)
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(fiber.Map{"workshop": w.ID(), "participant": p})
}

func (a *api) qr(c *fiber.Ctx) error {
	ctx, cancel := a.ctx(c)
	defer cancel()
	w, err := a.hub.Get(ctx, c.Params("id"))
	if err != nil {
		return err
	}
	info, err := w.JoinInfo(ctx)
	if err != nil {
		return err
	}
	svg, err := qrcode.SVG(a.publicURL(c) + "/j/" + info.Workshop.Code)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "image/svg+xml")
	c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	return c.Send(svg)
}

func (a *api) publicURL(c *fiber.Ctx) string {
	if a.cfg.PublicURL != "" {
		return strings.TrimRight(a.cfg.PublicURL, "/")
	}
	return c.Protocol() + "://" + c.Hostname()
}

// bearer authenticates a REST call by its Authorization header: the token alone decides the role.
func (a *api) bearer(c *fiber.Ctx, ctx context.Context) (*hub.Workshop, workshop.Actor, error) {
	token := bearerToken(c)
	if token == "" {
		return nil, workshop.Actor{}, problem(http.StatusUnauthorized, protocol.CodeUnauthorized, "send Authorization: Bearer <token>")
	}
	w, err := a.hub.Get(ctx, c.Params("id"))
	if err != nil {
		return nil, workshop.Actor{}, err
	}
	actor, err := w.Authenticate(ctx, token)
	return w, actor, err
}

func (a *api) state(c *fiber.Ctx) error {
	ctx, cancel := a.ctx(c)
	defer cancel()
	w, actor, err := a.bearer(c, ctx)
	if err != nil {
		return err
	}
	snap, v, err := w.Snapshot(ctx, actor)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"v": v, "state": snap})
}

func (a *api) command(c *fiber.Ctx) error {
	ctx, cancel := a.ctx(c)
	defer cancel()
	w, actor, err := a.bearer(c, ctx)
	if err != nil {
		return err
	}
	var cmd workshop.Command
	if err := decodeBody(c, &cmd); err != nil {
		return err
	}
	v, err := a.runCommand(ctx, w, actor, cmd)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"v": v})
}

// rateLimited is the refusal of a command over its sender's rate.
type rateLimited struct{ retry time.Duration }

func (r *rateLimited) Error() string { return "rate limited" }

// runCommand is the path every command takes, over HTTP or WebSocket: shape, rate, then the hub.
func (a *api) runCommand(ctx context.Context, w *hub.Workshop, actor workshop.Actor, cmd workshop.Command) (uint64, error) {
	if cmd.ID == "" || len(cmd.ID) > 64 {
		return 0, problem(http.StatusBadRequest, protocol.CodeBadFrame, "a command needs an id (a UUID made by the client)")
	}
	if !workshop.KnownCommand(cmd.Type) {
		return 0, problem(http.StatusBadRequest, protocol.CodeUnknownType, "unknown command type "+strconv.Quote(cmd.Type))
	}
	if ok, retry := w.Allow(actor); !ok {
		return 0, &rateLimited{retry: retry}
	}
	return w.Command(ctx, actor, cmd)
}
