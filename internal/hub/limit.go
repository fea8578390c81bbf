package hub

import (
	"golang.org/x/time/rate"

	"nappe/internal/workshop"
)

// newLimiter makes one sender's rate limit. A participant writes a note every few seconds at the
// most, with bursts of votes; a flood of hundreds a second is a bug or an attack. Facilitators
// set up tables in bursts.
func (h *Hub) newLimiter(r workshop.Role) *rate.Limiter {
	per := h.opts.ParticipantRate
	if r == workshop.RoleFacilitator {
		per *= 10
	}
	return rate.NewLimiter(rate.Limit(per), int(per*6)+1)
}
