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

// NewFrameLimiter paces the frames read from one connection of role r: four times the role's
// command rate and burst, so that pings, votes and synthesis pushes never wait, while a client
// writing thousands of frames a second is read no faster than that. What it sends beyond waits
// in its own TCP buffers instead of costing the server a decode and an error frame each (a
// flooder behind the venue's address raised everyone's p99 by 1.6–1.9× before).
func (h *Hub) NewFrameLimiter(r workshop.Role) *rate.Limiter {
	l := h.newLimiter(r)
	return rate.NewLimiter(4*l.Limit(), 4*l.Burst())
}
