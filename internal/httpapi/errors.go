package httpapi

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"nappe/internal/hub"
	"nappe/internal/protocol"
	"nappe/internal/workshop"
)

// problemError is an HTTP problem (RFC 9457) on its way to the error handler.
type problemError struct {
	status int
	code   string
	detail string
}

func (p *problemError) Error() string { return p.code + ": " + p.detail }

func problem(status int, code, detail string) error {
	return &problemError{status: status, code: code, detail: detail}
}

var domainStatus = map[string]int{
	workshop.CodeForbidden:    http.StatusForbidden,
	workshop.CodeNotFound:     http.StatusNotFound,
	workshop.CodeInvalid:      http.StatusBadRequest,
	workshop.CodeTooLong:      http.StatusRequestEntityTooLarge,
	workshop.CodeNotEmpty:     http.StatusConflict,
	workshop.CodeDuplicate:    http.StatusConflict,
	workshop.CodeTableFull:    http.StatusConflict,
	workshop.CodeUnknown:      http.StatusBadRequest,
	workshop.CodeStale:        http.StatusConflict,
	workshop.CodeWorkshopFull: http.StatusConflict,
}

// classify is the one place where an error becomes an answer: its status, its protocol code and
// the message a person may read. Unexpected errors are logged with an id the user can quote.
func (a *api) classify(err error) (int, string, string) {
	var pe *problemError
	var de *workshop.Error
	var we *protocol.Error
	var fe *fiber.Error
	var rl *rateLimited
	var panicked *hub.PanicError
	switch {
	case errors.As(err, &panicked): // logged where it was recovered
		return http.StatusInternalServerError, protocol.CodeInternal, panicked.Error()
	case errors.As(err, &rl):
		return http.StatusTooManyRequests, protocol.CodeRateLimited, "too many actions; slow down"
	case errors.As(err, &pe):
		return pe.status, pe.code, pe.detail
	case errors.As(err, &de):
		status, ok := domainStatus[de.Code]
		if !ok {
			status = http.StatusBadRequest
		}
		return status, de.Code, de.Message
	case errors.As(err, &we):
		return http.StatusBadRequest, we.Code, we.Message
	case errors.Is(err, hub.ErrNoWorkshop):
		return http.StatusNotFound, protocol.CodeNotFound, "no such workshop"
	case errors.Is(err, hub.ErrUnauthorized):
		return http.StatusUnauthorized, protocol.CodeUnauthorized, "this link or token is not valid for this workshop"
	case errors.Is(err, hub.ErrUnknownTemplate):
		return http.StatusBadRequest, protocol.CodeInvalid, err.Error()
	case errors.Is(err, hub.ErrUnavailable), errors.Is(err, hub.ErrClosed):
		a.log.Warn("storage unavailable", "err", err)
		return http.StatusServiceUnavailable, protocol.CodeUnavailable, "storage did not confirm it; try again with the same request, which will not be stored twice"
	case errors.As(err, &fe):
		code := protocol.CodeInvalid
		if fe.Code == http.StatusNotFound {
			code = protocol.CodeNotFound
		}
		return fe.Code, code, fe.Message
	}
	ref := uuid.NewString()[:8]
	a.log.Error("internal error", "ref", ref, "err", err)
	return http.StatusInternalServerError, protocol.CodeInternal, "internal error (ref " + ref + ")"
}

func (a *api) handleError(c *fiber.Ctx, err error) error {
	status, code, detail := a.classify(err)
	var rl *rateLimited
	if errors.As(err, &rl) {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(rl.retry.Seconds())+1))
	}
	body := fiber.Map{"type": "about:blank", "title": http.StatusText(status), "status": status, "code": code, "detail": detail}
	var de *workshop.Error
	if errors.As(err, &de) && de.Field != "" {
		body["field"] = de.Field // the first bad field of an import: "notes[3].createdAt"
	}
	return c.Status(status).JSON(body, "application/problem+json")
}
