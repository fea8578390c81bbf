package rotation

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestSeat: the table chosen has room, is one the newcomer has not visited if any such table has
// room, and is the least filled of those.
func TestSeat(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	for k := range 2000 {
		var tables []Table
		occupancy := map[string]int{}
		var visited []string
		for i := range 1 + rng.IntN(8) {
			tb := Table{ID: fmt.Sprintf("t%d", i), Capacity: rng.IntN(6)}
			tables = append(tables, tb)
			occupancy[tb.ID] = rng.IntN(7)
			if tb.Capacity > 0 {
				occupancy[tb.ID] = min(occupancy[tb.ID], tb.Capacity)
			}
			if rng.IntN(2) == 0 {
				visited = append(visited, tb.ID)
			}
		}
		room := func(tb Table) bool { return tb.Capacity == 0 || occupancy[tb.ID] < tb.Capacity }
		been := func(tb Table) bool {
			for _, id := range visited {
				if id == tb.ID {
					return true
				}
			}
			return false
		}
		// What the answer must be among: the unvisited tables with room, else any with room.
		var candidates []Table
		for _, fresh := range []bool{true, false} {
			for _, tb := range tables {
				if room(tb) && (!fresh || !been(tb)) {
					candidates = append(candidates, tb)
				}
			}
			if len(candidates) > 0 {
				break
			}
		}

		got, err := Seat(tables, occupancy, visited)
		if len(candidates) == 0 {
			if !errors.Is(err, ErrNoRoom) {
				t.Fatalf("case %d: all full, got %q, %v", k, got, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("case %d: %v", k, err)
		}
		least := candidates[0]
		for _, tb := range candidates {
			if occupancy[tb.ID] < occupancy[least.ID] {
				least = tb
			}
		}
		if got != least.ID {
			t.Fatalf("case %d: got %s, want %s (tables %v, occupancy %v, visited %v)", k, got, least.ID, tables, occupancy, visited)
		}
	}
}
