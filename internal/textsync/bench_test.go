package textsync_test

import (
	"fmt"
	"strings"
	"testing"

	"nappe/internal/textsync"
)

// BenchmarkApply types 1,000 characters, one change set each, into a document of 19,000 code
// units (ending at MaxLen, 20,000), at positions spread over the document.
func BenchmarkApply(b *testing.B) {
	const start, typed = textsync.MaxLen - 1000, 1000
	base := textsync.FromString(string([]rune(strings.Repeat("Une idée à la table 3 ", start/22+1))[:start]))
	changes := make([]textsync.ChangeSet, typed)
	n := base.Len()
	for i := range changes {
		p := (i * 7919) % (n + 1)
		c, err := textsync.ParseChangeSet(fmt.Appendf(nil, `[%d,[0,"é"],%d]`, p, n-p))
		if err != nil {
			b.Fatal(err)
		}
		changes[i] = c
		n++
	}
	b.ReportAllocs()
	for b.Loop() {
		doc := base
		for _, c := range changes {
			var err error
			if doc, err = c.Apply(doc); err != nil {
				b.Fatal(err)
			}
		}
		if doc.Len() != textsync.MaxLen {
			b.Fatalf("ended at %d code units", doc.Len())
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*typed), "ns/insertion")
}

// BenchmarkParseChangeSet reads one keystroke's change set.
func BenchmarkParseChangeSet(b *testing.B) {
	raw := []byte(`[12345,[0,"é"],6543]`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := textsync.ParseChangeSet(raw); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkString converts a full document to UTF-8.
func BenchmarkString(b *testing.B) {
	doc := textsync.FromString(strings.Repeat("Une idée 😀 à la table 3\n", textsync.MaxLen/25))
	b.ReportAllocs()
	for b.Loop() {
		_ = doc.String()
	}
}
