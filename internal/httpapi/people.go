package httpapi

import (
	"context"
	"errors"
	"net/http"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"nappe/internal/hub"
	"nappe/internal/protocol"
	"nappe/internal/roster"
	"nappe/internal/workshop"
)

// Importing a participant list (PROTOCOL.md §1, "Participant lists"): the file is the raw body,
// as the facilitator has it (CSV or TSV, any common encoding). ?preview=1 only reads it; the
// import itself names its id (?import=<uuid>), so that a retry adds nobody twice.

type rosterPerson struct {
	ID           *string `json:"id"`
	Name         string  `json:"name"`
	Organisation string  `json:"organisation"`
	Email        string  `json:"email"`
	// Existing is the participant already in the workshop this row is (then it is skipped).
	Existing *string `json:"existing"`
	// Link is the personal link of someone the import registered.
	Link *string `json:"link,omitempty"`
}

type rosterIssue struct {
	Line    int    `json:"line"`
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (a *api) importRoster(c *fiber.Ctx) error {
	ctx, cancel := a.ctx(c)
	defer cancel()
	w, _, err := a.facilitator(c, ctx)
	if err != nil {
		return err
	}
	preview, err := roster.Parse(c.Body())
	if err != nil {
		return rosterProblem(err)
	}
	issues := make([]rosterIssue, 0, len(preview.Issues))
	for _, is := range preview.Issues {
		issues = append(issues, rosterIssue{Line: is.Line, Field: is.Field, Code: is.Code, Message: is.Message})
	}
	answer := fiber.Map{"encoding": preview.Encoding, "delimiter": preview.Delimiter, "columns": preview.Columns, "issues": issues}
	key := bearerToken(c)

	if c.Query("preview") == "1" {
		people := make([]rosterPerson, len(preview.People))
		err := w.Read(ctx, func(s *workshop.State) {
			index := s.People()
			for i, p := range preview.People {
				people[i] = rosterPerson{Name: p.Name, Organisation: p.Organisation, Email: p.Email,
					Existing: optional(index.Same(p.Name, p.Organisation, p.Email))}
			}
		})
		if err != nil {
			return err
		}
		answer["people"] = people
		return c.JSON(answer)
	}

	importID, err := uuid.Parse(c.Query("import"))
	if err != nil {
		return problem(http.StatusBadRequest, protocol.CodeInvalid, "name the import: ?import=<uuid> (or ?preview=1 to only read the file)")
	}
	regs := make([]workshop.Registration, len(preview.People))
	for i, p := range preview.People {
		id := uuid.NewSHA1(importID, []byte{byte(i >> 16), byte(i >> 8), byte(i)}).String()
		regs[i] = workshop.Registration{ID: id, Name: p.Name, Organisation: p.Organisation, Email: p.Email,
			TokenHash: workshop.HashToken(workshop.DeriveParticipantToken(key, id))}
	}
	skipped, err := w.Register(ctx, importID.String(), regs)
	if err != nil {
		return err
	}
	people := make([]rosterPerson, len(regs))
	imported := 0
	for i, r := range regs {
		people[i] = rosterPerson{Name: r.Name, Organisation: r.Organisation, Email: r.Email, Existing: optional(skipped[i])}
		if skipped[i] == "" {
			imported++
			id := r.ID
			link := personalLink(w.ID(), key, id)
			people[i].ID, people[i].Link = &id, &link
		}
	}
	answer["people"] = people
	answer["imported"] = imported
	return c.Status(http.StatusCreated).JSON(answer)
}

func rosterProblem(err error) error {
	switch {
	case errors.Is(err, roster.ErrEmpty):
		return problem(http.StatusBadRequest, "empty_file", "the file is empty")
	case errors.Is(err, roster.ErrNoNameColumn):
		return problem(http.StatusBadRequest, "no_name_column", "no column of names was found (expected e.g. Nom/Prénom, Name/First name)")
	case errors.Is(err, roster.ErrTooLarge):
		return problem(http.StatusRequestEntityTooLarge, "too_large", err.Error())
	}
	return problem(http.StatusBadRequest, protocol.CodeInvalid, err.Error())
}

// personalLinks lists the personal link of every participant the facilitator registered (those
// who joined by themselves hold their own secret, which the server cannot give back).
func (a *api) personalLinks(c *fiber.Ctx) error {
	ctx, cancel := a.ctx(c)
	defer cancel()
	w, _, err := a.facilitator(c, ctx)
	if err != nil {
		return err
	}
	key := bearerToken(c)
	type entry struct {
		Participant string `json:"participant"`
		Name        string `json:"name"`
		Link        string `json:"link"`
	}
	out := []entry{}
	err = w.Read(ctx, func(s *workshop.State) {
		for _, p := range s.Export(0).Participants {
			if workshop.HashToken(workshop.DeriveParticipantToken(key, p.ID)) == s.Participants[p.ID].TokenHash {
				out = append(out, entry{Participant: p.ID, Name: p.Name, Link: personalLink(s.Workshop.ID, key, p.ID)})
			}
		}
	})
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"links": out})
}

// personalLink is the phone address of a registered participant; the token rides in the
// fragment, which browsers do not send to servers.
func personalLink(workshopID, facilitatorKey, participant string) string {
	return "/p/" + workshopID + "#t=" + workshop.DeriveParticipantToken(facilitatorKey, participant)
}

// deleteWorkshop deletes a workshop and everything stored about it, for its facilitator.
func (a *api) deleteWorkshop(c *fiber.Ctx) error {
	ctx, cancel := a.ctx(c)
	defer cancel()
	_, actor, err := a.facilitator(c, ctx)
	if err != nil {
		return err
	}
	if err := a.hub.Delete(ctx, c.Params("id"), actor); err != nil {
		return err
	}
	return c.SendStatus(http.StatusNoContent)
}

// facilitator authenticates a request that only a facilitator may make.
func (a *api) facilitator(c *fiber.Ctx, ctx context.Context) (*hub.Workshop, workshop.Actor, error) {
	w, actor, err := a.bearer(c, ctx)
	if err != nil {
		return nil, actor, err
	}
	if actor.Role != workshop.RoleFacilitator {
		return nil, actor, problem(http.StatusForbidden, workshop.CodeForbidden, "only a facilitator may do this")
	}
	return w, actor, nil
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
