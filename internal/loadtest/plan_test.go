package loadtest

import (
	"math/rand/v2"
	"testing"
	"time"
)

// Every phone votes for a table mate's note and edits its own, after the note is due; the
// schedule stays sorted and targets still point at the right posts once it is.
func TestVotesEditsFollowTheirNotes(t *testing.T) {
	const phones, tables = 40, 8
	rng := rand.New(rand.NewPCG(1, 2))
	posts := steady(rng, phones, time.Minute, time.Minute)
	plan := withVotesEdits(rng, posts, phones, tables, 5*time.Second)
	votes, edits := 0, 0
	for idx, sp := range plan {
		if idx > 0 && sp.at < plan[idx-1].at {
			t.Fatalf("action %d at %v before %v", idx, sp.at, plan[idx-1].at)
		}
		if sp.kind == actPost {
			continue
		}
		target := plan[sp.target]
		if target.kind != actPost {
			t.Fatalf("action %d targets action %d, not a post", idx, sp.target)
		}
		if d := sp.at - target.at; d < 5*time.Second || d > 15*time.Second {
			t.Errorf("action %d comes %v after its note", idx, d)
		}
		switch sp.kind {
		case actEdit:
			edits++
			if target.author != sp.author {
				t.Errorf("phone %d edits phone %d's note", sp.author, target.author)
			}
		case actVote:
			votes++
			if target.author == sp.author || target.author%tables != sp.author%tables {
				t.Errorf("phone %d (table %d) votes for phone %d (table %d)", sp.author, sp.author%tables, target.author, target.author%tables)
			}
		}
	}
	if votes != phones || edits != phones {
		t.Fatalf("%d votes and %d edits for %d phones", votes, edits, phones)
	}
}
