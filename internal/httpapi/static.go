package httpapi

import (
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// page serves the single-page client for its routes. The HTML is never cached, so a new build
// reaches phones at the next load; the hashed assets it names are cached for good.
func (a *api) page(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "no-cache")
	return c.Send(a.index)
}

func (a *api) static(c *fiber.Ctx) error {
	name := strings.TrimPrefix(path.Clean("/"+c.Params("*")), "/")
	if name == "" || name == "index.html" {
		return a.page(c)
	}
	data, err := fs.ReadFile(a.cfg.Assets, name)
	if err != nil {
		return problem(http.StatusNotFound, "not_found", "no such page")
	}
	if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
		c.Set(fiber.HeaderContentType, ct)
	}
	if strings.HasPrefix(name, "assets/") {
		c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	}
	return c.Send(data)
}
