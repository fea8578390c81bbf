package textsync

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestManyEdits types, deletes and pastes at random for a while and checks every step against
// the reference, and that the chunks stay few: editing must not fragment the text.
func TestManyEdits(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"a", "é", "漢", "😀", "👨‍👩‍👧‍👦", "\n", "🇫🇷", " ", "table"}
	doc := FromString(strings.Repeat("Une idée 😀 à la table 3\n", 400))
	maxChunks := 0
	for step := range 2000 {
		n := doc.Len()
		from := rng.IntN(n + 1)
		to := min(n, from+[]int{0, 0, 1, 2, 5, 300, 3000}[rng.IntN(7)])
		var ins strings.Builder
		for range []int{0, 1, 1, 1, 2, 20, 700}[rng.IntN(7)] {
			ins.WriteString(pieces[rng.IntN(len(pieces))])
		}
		lines := jsonLines(strings.Split(ins.String(), "\n"))
		raw := fmt.Sprintf(`[%d,[%d%s],%d]`, from, to-from, lines, n-to)
		c, err := ParseChangeSet([]byte(raw))
		if err != nil {
			t.Fatalf("step %d: %s: %v", step, raw, err)
		}
		check(t, c, doc)
		if next, err := c.Apply(doc); err == nil {
			doc = next
		}
		maxChunks = max(maxChunks, len(doc.chunks))
		if bound := 2*doc.Len()/(chunkMax-chunkMin) + 2; len(doc.chunks) > bound {
			t.Fatalf("step %d: %d chunks for %d units", step, len(doc.chunks), doc.Len())
		}
	}
	t.Logf("final length %d, at most %d chunks", doc.Len(), maxChunks)
}

// jsonLines writes lines as the tail of a JSON array: ,"a","b".
func jsonLines(lines []string) string {
	var b strings.Builder
	for _, l := range lines {
		fmt.Fprintf(&b, ",%q", l) // %q is JSON for these pieces: no control characters
	}
	return b.String()
}
