package workshop

import (
	"bytes"
	"encoding/json"
)

// Command is what a facilitator or participant asks for. ID is made by the client, so that the
// same command sent twice (a retry after a lost answer) is recognised.
type Command struct {
	ID   string          `json:"id"`
	Type string          `json:"type"`
	Data json.RawMessage `json:"data"`
}

// Optional fields are pointers: absent means "leave as it is", which lets several people edit
// different fields of one thing without overwriting each other.
type (
	workshopEditArgs struct {
		Title          *string `json:"title"`
		Subtitle       *string `json:"subtitle"`
		Date           *string `json:"date"`
		Venue          *string `json:"venue"`
		Language       *string `json:"language"`
		AllowAnonymous *bool   `json:"allowAnonymous"`
	}
	tableAddArgs struct {
		ID       string `json:"id"`
		Number   *int   `json:"number"`
		Name     string `json:"name"`
		Question string `json:"question"`
		Colour   string `json:"colour"`
		Capacity int    `json:"capacity"`
	}
	tableEditArgs struct {
		Table    string  `json:"table"`
		Number   *int    `json:"number"`
		Name     *string `json:"name"`
		Question *string `json:"question"`
		Colour   *string `json:"colour"`
		Capacity *int    `json:"capacity"`
	}
	tableRef struct {
		Table string `json:"table"`
	}
	participantEditArgs struct {
		Participant  string  `json:"participant"`
		Name         *string `json:"name"`
		Organisation *string `json:"organisation"`
		Email        *string `json:"email"`
	}
	participantMoveArgs struct {
		Participant string  `json:"participant"`
		Table       *string `json:"table"`
	}
	participantRef struct {
		Participant string `json:"participant"`
	}
	notePostArgs struct {
		Note      string `json:"note"`
		Table     string `json:"table"`
		Text      string `json:"text"`
		Colour    string `json:"colour"`
		Anonymous bool   `json:"anonymous"`
		// For is the name of someone without a phone, for whom a host writes.
		For string `json:"for"`
	}
	noteEditArgs struct {
		Note   string  `json:"note"`
		Text   *string `json:"text"`
		Colour *string `json:"colour"`
	}
	noteRef struct {
		Note string `json:"note"`
	}
)

func decodeArgs(data json.RawMessage, v any) *Error {
	if len(bytes.TrimSpace(data)) == 0 {
		data = json.RawMessage("{}")
	}
	if err := json.Unmarshal(data, v); err != nil {
		return errorf(CodeInvalid, "data does not fit the command: %v", err)
	}
	return nil
}
