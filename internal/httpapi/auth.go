package httpapi

import (
	"strings"

	"github.com/gofiber/fiber/v2"
)

// bearerToken reads `Authorization: Bearer <token>`. The scheme is case-insensitive and may be
// followed by several spaces (RFC 9110 §11.1, §11.4); "" when there is no bearer token.
func bearerToken(c *fiber.Ctx) string {
	scheme, rest, found := strings.Cut(strings.TrimSpace(c.Get(fiber.HeaderAuthorization)), " ")
	if !found || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(rest)
}
