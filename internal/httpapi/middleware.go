package httpapi

import (
	"time"

	"github.com/gofiber/fiber/v2"
)

// contentSecurity allows only this origin's scripts; user text can never become markup, and the
// page cannot be framed by another site.
const contentSecurity = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

func (a *api) securityHeaders(c *fiber.Ctx) error {
	c.Set("Content-Security-Policy", contentSecurity)
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("Referrer-Policy", "no-referrer")
	c.Set("X-Frame-Options", "DENY")
	c.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
	return c.Next()
}

// accessLog logs method, path and status. Paths never hold secrets (they travel in URL fragments
// and Authorization headers), and neither headers nor bodies are logged.
func (a *api) accessLog(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	// With an error, the status is set later by the error handler; log that there was one.
	a.log.Debug("http", "method", c.Method(), "path", c.Path(), "status", c.Response().StatusCode(),
		"failed", err != nil, "ms", time.Since(start).Milliseconds())
	return err
}
