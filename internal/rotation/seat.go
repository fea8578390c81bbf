package rotation

import "fmt"

// Seat chooses a table for someone arriving during a round: the least-filled table with room
// among those they have not sat at this event (visited, usually empty), or, if all those are
// full, the least-filled table with room. Occupancy is how many people sit at each table id now; ties
// go to the first table in tables. The error wraps ErrNoRoom when every table is full.
func Seat(tables []Table, occupancy map[string]int, visited []string) (string, error) {
	been := make(map[string]bool, len(visited))
	for _, id := range visited {
		been[id] = true
	}
	best, fresh := -1, false
	for t, tb := range tables {
		n := occupancy[tb.ID]
		if tb.Capacity > 0 && n >= tb.Capacity {
			continue
		}
		switch {
		case best < 0,
			!been[tb.ID] && !fresh,
			!been[tb.ID] == fresh && n < occupancy[tables[best].ID]:
			best, fresh = t, !been[tb.ID]
		}
	}
	if best < 0 {
		return "", fmt.Errorf("%w: all %d tables are full", ErrNoRoom, len(tables))
	}
	return tables[best].ID, nil
}
