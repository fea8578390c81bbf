package workshop

// Workshop is the event itself: what the projector and the harvest show as its header.
type Workshop struct {
	ID             string `json:"id"`
	Title          string `json:"title"`
	Subtitle       string `json:"subtitle"`
	Date           string `json:"date"`
	Venue          string `json:"venue"`
	Language       string `json:"language"`
	Code           string `json:"code"`
	AllowAnonymous bool   `json:"allowAnonymous"`
	CreatedAt      int64  `json:"createdAt"`
}

// Table is an atelier: a question, a colour people can find across the room, a capacity.
type Table struct {
	ID       string `json:"id"`
	Number   int    `json:"number"`
	Name     string `json:"name"`
	Question string `json:"question"`
	Colour   string `json:"colour"`
	Capacity int    `json:"capacity"` // 0: no limit
	// Host is the participant who stays at this table every round and may moderate its notes.
	Host string `json:"host"`
}

// Participant is a person in the room. TokenHash is how their phone proves who it is; the token
// itself is never stored.
type Participant struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	Organisation string `json:"organisation"`
	Email        string `json:"email"`
	Table        string `json:"table"` // "": not seated
	JoinedAt     int64  `json:"joinedAt"`
	TokenHash    string `json:"tokenHash"`
}

// Note is a sticky note on a table's paper cloth. Author is kept even for anonymous notes so that
// the author can still edit or delete it; views hide it.
type Note struct {
	ID         string `json:"id"`
	Table      string `json:"table"`
	Author     string `json:"author"` // "": posted by a facilitator
	AuthorName string `json:"authorName"`
	// Via is the name of the table host who wrote the note for AuthorName, someone without a
	// phone; Author is then the host, who may still edit or delete it.
	Via       string   `json:"via,omitempty"`
	Anonymous bool     `json:"anonymous"`
	Text      string   `json:"text"`
	Colour    string   `json:"colour"`
	Round     int      `json:"round"`
	CreatedAt int64    `json:"createdAt"`
	EditedAt  int64    `json:"editedAt"`
	Hidden    bool     `json:"hidden"`
	Voters    []string `json:"voters"` // in voting order, each participant once
}

// Palette is the set of colours tables and notes may use; the client maps each name to colours
// with enough contrast, so the server only has to keep the vocabulary closed.
var Palette = []string{"yellow", "orange", "red", "pink", "purple", "blue", "teal", "green"}

func validColour(c string) bool {
	for _, p := range Palette {
		if p == c {
			return true
		}
	}
	return false
}

// Role is what a connection or request is allowed to be.
type Role int

const (
	RoleNone Role = iota
	RoleFacilitator
	RoleBoard
	RoleParticipant
)

func (r Role) String() string {
	switch r {
	case RoleFacilitator:
		return "facilitator"
	case RoleBoard:
		return "board"
	case RoleParticipant:
		return "participant"
	}
	return "none"
}

// Actor is who sends a command: a role and, for participants, which one.
type Actor struct {
	Role        Role
	Participant string
}
