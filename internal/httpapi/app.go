package httpapi

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"time"

	"github.com/coder/websocket"
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"

	"nappe/internal/fiberws"
	"nappe/internal/hub"
	"nappe/internal/live"
)

// Config is what the HTTP layer needs from the wiring in server/.
type Config struct {
	Hub    *hub.Hub
	Ready  func(context.Context) error // nil when NATS and JetStream answer
	Assets fs.FS                       // the built client (index.html at the root)
	// PublicURL is the address people reach Nappe at, for QR codes and links; empty means the
	// request's own scheme and host.
	PublicURL string
	// Origins are extra origins (host patterns, as coder/websocket's OriginPatterns) allowed to
	// open a WebSocket; the server's own host is always allowed.
	Origins []string
	Live    live.Options
	Logger  *slog.Logger
	// JoinPerMinute and CreatePerMinute bound anonymous requests per client address. A venue may
	// put everyone behind one address, so the join limit is high; it only stops floods.
	JoinPerMinute, CreatePerMinute int
}

type api struct {
	cfg   Config
	hub   *hub.Hub
	log   *slog.Logger
	index []byte
}

// Server is the HTTP app and the WebSocket sessions it has taken over from it (fasthttp forgets
// hijacked connections, so they are tracked apart).
type Server struct {
	App     *fiber.App
	sockets *fiberws.Registry
}

// Shutdown stops accepting, then ends the WebSocket sessions still open. Call the hub's Close in
// between (see server/serve.go), so that attached clients are told to reconnect first.
func (s *Server) Shutdown(ctx context.Context, between func(context.Context) error) error {
	return errors.Join(s.App.ShutdownWithContext(ctx), between(ctx), s.sockets.Shutdown(ctx))
}

// New builds the Fiber app. Every route is on this one screen.
func New(cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.JoinPerMinute <= 0 {
		cfg.JoinPerMinute = 1200
	}
	if cfg.CreatePerMinute <= 0 {
		cfg.CreatePerMinute = 30
	}
	index, err := fs.ReadFile(cfg.Assets, "index.html")
	if err != nil {
		return nil, err
	}
	a := &api{cfg: cfg, hub: cfg.Hub, log: cfg.Logger, index: index}
	app := fiber.New(fiber.Config{
		AppName: "nappe",
		// Fiber's strings (route params, headers) otherwise alias fasthttp's reused buffers; the
		// hub keeps workshop ids from params for as long as the workshop runs.
		Immutable:    true,
		ErrorHandler: a.handleError,
		// Uploads (a participant list, a workshop export) may be large; every other route keeps
		// to smallBody.
		BodyLimit:             uploadLimit,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          30 * time.Second,
		IdleTimeout:           120 * time.Second,
		DisableStartupMessage: true,
	})
	// WebSocket sessions run on goroutines of their own, so fasthttp's request context is not held
	// for as long as a phone stays connected (internal/fiberws).
	app.Server().KeepHijackedConns = true
	app.Use(a.recoverPanics, a.securityHeaders, a.accessLog)

	perIP := func(n int) fiber.Handler {
		return limiter.New(limiter.Config{Max: n, Expiration: time.Minute, LimitReached: func(c *fiber.Ctx) error {
			return problem(fiber.StatusTooManyRequests, "rate_limited", "too many requests from this address; wait a minute")
		}})
	}

	app.Get("/healthz", a.healthz)
	app.Get("/readyz", a.readyz)

	app.Post("/api/workshops", smallBody, perIP(cfg.CreatePerMinute), a.createWorkshop)
	app.Post("/api/workshops/import", perIP(cfg.CreatePerMinute), a.importWorkshop)
	app.Get("/api/join/:code", a.joinInfo)
	app.Post("/api/join/:code", smallBody, perIP(cfg.JoinPerMinute), a.join)
	app.Get("/api/workshops/:id/qr.svg", a.qr)
	app.Get("/api/workshops/:id/state", a.state)
	app.Get("/api/workshops/:id/links", a.workshopLinks)
	app.Get("/api/workshops/:id/report.md", a.exportReport)
	app.Get("/api/workshops/:id/report.html", a.exportReportHTML)
	app.Get("/api/workshops/:id/charts/:name.svg", a.exportChart)
	app.Get("/api/workshops/:id/badges.html", a.exportBadges)
	app.Get("/api/workshops/:id/table-cards.html", a.exportTableCards)
	app.Get("/api/workshops/:id/notes.csv", a.exportNotes)
	app.Get("/api/workshops/:id/export.json", a.exportJSON)
	app.Post("/api/workshops/:id/roster", a.importRoster)
	app.Get("/api/workshops/:id/personal-links", a.personalLinks)
	app.Delete("/api/workshops/:id", smallBody, a.deleteWorkshop)
	app.Post("/api/workshops/:id/commands", smallBody, a.command)
	app.All("/api/*", func(c *fiber.Ctx) error { return problem(fiber.StatusNotFound, "not_found", "no such API route") })

	sockets := fiberws.NewRegistry()
	app.Get("/ws", sockets.Handler(&websocket.AcceptOptions{OriginPatterns: cfg.Origins}, a.serveSocket))

	for _, route := range []string{"/", "/j/:code", "/p/:id", "/console/:id", "/board/:id"} {
		app.Get(route, a.page)
	}
	app.Get("/*", a.static)
	return &Server{App: app, sockets: sockets}, nil
}

// Request body limits: uploads get uploadLimit (Fiber's global limit), everything else 64 KiB.
const (
	uploadLimit    = 16 << 20
	smallBodyLimit = 64 << 10
)

func smallBody(c *fiber.Ctx) error {
	if len(c.Body()) > smallBodyLimit {
		return problem(fiber.StatusRequestEntityTooLarge, "too_large", "the body is over 64 KiB")
	}
	return c.Next()
}
