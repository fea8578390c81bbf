package rotation

import (
	"errors"
	"time"
)

// Person is one participant. Host is the id of the table the person hosts (they stay there every
// round), or "" for a traveller. Organisation is optional.
type Person struct {
	ID           string
	Organisation string
	Host         string
}

// Table is a place to sit. Capacity counts everyone at the table, hosts included; 0 means no limit.
type Table struct {
	ID       string
	Capacity int
}

// Problem is one event to plan. Everyone in People has a seat in every round still to plan.
type Problem struct {
	People []Person
	Tables []Table
	// Rounds is the number of rounds of the whole event, played ones included.
	Rounds int
	// Played holds the rounds already played, which a plan keeps as they are: Played[r][i] is the
	// id of the table where People[i] sat in round r, or "" if they were not there (a late arrival).
	Played [][]string
	Seed   uint64
	// OrgWeight is what one pair of colleagues at one table in one round costs, counted in repeated
	// pairs; 0 ignores organisations. Below 1, meeting new people stays the first concern.
	OrgWeight float64
	// Budget caps the time spent improving the plan; 0 means DefaultBudget. The search normally
	// stops well before, after a fixed amount of work, which is what makes a seed give the same
	// plan every time; a plan cut short by the budget depends on the machine's speed.
	Budget time.Duration
}

// Plan is a seat for everyone in every round: Rounds[r][i] is the index in Problem.Tables of the
// table of People[i] in round r, or -1 where a played round says they were absent.
type Plan struct {
	Rounds [][]int
}

// Limits that keep Solve's memory and time bounded. Each of its two searches counts the meetings
// of every pair of people in a byte up to 4,000 people (16 MB), in a hash table per person above
// (about 10 MB at MaxPeople in 6 rounds of 20).
const (
	MaxPeople = 10000
	MaxRounds = 50
)

// DefaultBudget is the time ceiling of the search when Problem.Budget is 0. The default cases need
// at most a tenth of it on two cores (2,000 people: 0.1 s); it is there for larger events on
// slower machines.
const DefaultBudget = 1500 * time.Millisecond

// Errors of Solve, Replan and Seat; the returned errors wrap one of these with the details.
var (
	// ErrInvalid is a malformed problem: no rounds, duplicate or empty ids, a negative capacity,
	// played rounds that do not fit the people.
	ErrInvalid = errors.New("rotation: invalid problem")
	// ErrUnknownTable is a table id, in a host or a played round, that no table has.
	ErrUnknownTable = errors.New("rotation: unknown table")
	// ErrNoRoom is more people than seats: in all, or hosts at one table.
	ErrNoRoom = errors.New("rotation: not enough room")
)
