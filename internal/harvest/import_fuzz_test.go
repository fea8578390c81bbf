package harvest

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"nappe/internal/workshop"
)

// fuzzNow is the importing server's clock in these tests: an import may not hold later times.
var fuzzNow = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC).UnixMilli()

// FuzzImport feeds export documents through the import, as POST /api/workshops/import does for
// anyone, then renders every artefact of what was imported. Whatever the document, the import
// refuses it with a typed error naming the field, or the workshop renders everything within a
// size bound set by what it holds, and exports a document that imports again.
func FuzzImport(f *testing.F) {
	for _, seed := range importSeeds() {
		f.Add(seed.doc)
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		var x workshop.Export
		if json.Unmarshal(doc, &x) != nil {
			return // the HTTP layer refuses what is not JSON of the right shape
		}
		s, err := imported(x, fuzzNow)
		if err != nil {
			var e *workshop.Error
			if !errors.As(err, &e) || e.Field == "" {
				t.Fatalf("a refused import must say which field and why: %#v", err)
			}
			return
		}
		start := time.Now()
		out, err := artefacts(s, "https://nappe.example.org")
		if err != nil {
			t.Fatalf("an imported workshop must render: %v", err)
		}
		// A hang detector, not a measure: a small document renders in milliseconds.
		if d := time.Since(start); d > 30*time.Second {
			t.Fatalf("rendering took %v", d)
		}
		total := 0
		for _, b := range out {
			total += len(b)
		}
		if limit := renderBound(s, len(doc)); total > limit {
			t.Fatalf("rendered %d bytes from a document of %d; the bound is %d", total, len(doc), limit)
		}
		again, err := imported(s.Export(fuzzNow), fuzzNow)
		if err != nil {
			t.Fatalf("the export of an imported workshop must import: %v", err)
		}
		if len(again.Notes) != len(s.Notes) || len(again.Participants) != len(s.Participants) {
			t.Fatalf("re-import: %d notes, %d people; want %d, %d", len(again.Notes), len(again.Participants), len(s.Notes), len(s.Participants))
		}
	})
}

// renderBound is what every artefact together may weigh: a fixed part, a part per person, note
// and table (a badge with its QR code is the heaviest, about 10 KB), and the texts the document
// brought, each shown a few times.
func renderBound(s *workshop.State, docLen int) int {
	return 1<<20 + 16<<10*(len(s.Participants)+len(s.Notes)+len(s.Tables)) + 12*docLen
}

type importSeed struct {
	name string
	doc  []byte
}

// importSeeds are the documents the fuzzer starts from: a real export, and the crafted ones that
// used to stop or stall the server.
func importSeeds() []importSeed {
	base := func() workshop.Export {
		return workshop.Export{Format: workshop.ExportFormat, Version: workshop.ExportVersion, ExportedAt: t0,
			Workshop: workshop.Workshop{Title: "Café", Language: "fr"},
			Tables:   []workshop.Table{{ID: fixedID(1), Number: 1, Name: "Atelier 1", Colour: "teal"}},
			Rounds:   workshop.DefaultRounds(), Clock: workshop.Clock{Status: workshop.ClockWaiting}, Seating: workshop.SeatingFree}
	}
	note := func(n int, createdAt int64, round int) workshop.Note {
		return workshop.Note{ID: fixedID(100 + n), Table: fixedID(1), Text: "Une idée", Colour: "yellow", CreatedAt: createdAt, Round: round}
	}
	var seeds []importSeed
	add := func(name string, x workshop.Export) {
		b, err := json.Marshal(x)
		if err != nil {
			panic(err)
		}
		seeds = append(seeds, importSeed{name, b})
	}
	// Two notes at the ends of the int64 range: the activity chart panicked (makeslice) and took
	// the process down.
	x := base()
	x.Notes = []workshop.Note{note(1, math.MinInt64, 0), note(2, math.MaxInt64, 0)}
	add("int64-extremes", x)
	// Times 10^15 ms apart: a bucket count sized by the attacker.
	x = base()
	x.Notes = []workshop.Note{note(1, 1, 0), note(2, 1e15, 0)}
	add("times-far-apart", x)
	// A note in round 2×10^9.
	x = base()
	x.Notes = []workshop.Note{note(1, t0, 2_000_000_000)}
	add("round-2e9", x)
	// The same within the limits: accepted, and it renders.
	x = base()
	x.Notes = []workshop.Note{note(1, time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli(), 0), note(2, fuzzNow, 0)}
	add("times-at-the-bounds", x)
	// Many people at one table in one seating ("who met whom" was quadratic); kept small here,
	// TestImportLimits tries the real crowd.
	x = base()
	x.Clock = workshop.Clock{Round: 1, Status: workshop.ClockEnded, StartedAt: t0, EndsAt: t0 + 20*minute}
	seats := map[string]string{}
	for i := range 60 {
		p := workshop.ExportedParticipant{ID: fixedID(1000 + i), Name: fmt.Sprintf("P%d", i), JoinedAt: t0}
		x.Participants = append(x.Participants, p)
		seats[p.ID] = fixedID(1)
	}
	x.Seatings = []map[string]string{seats}
	add("crowd-at-one-table", x)
	return seeds
}

// TestImportSeeds writes the seed corpus (with -update) and checks that the crafted documents are
// refused, each naming its field, or render within bounds.
func TestImportSeeds(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzImport")
	want := map[string]string{"int64-extremes": "notes[0].createdAt", "times-far-apart": "notes[0].createdAt",
		"round-2e9": "notes[0].round", "times-at-the-bounds": "", "crowd-at-one-table": ""}
	for _, seed := range importSeeds() {
		if *update {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			corpus := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", seed.doc)
			if err := os.WriteFile(filepath.Join(dir, seed.name), []byte(corpus), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		var x workshop.Export
		if err := json.Unmarshal(seed.doc, &x); err != nil {
			t.Fatal(err)
		}
		s, err := imported(x, fuzzNow)
		field := want[seed.name]
		var e *workshop.Error
		switch {
		case field == "" && err != nil:
			t.Errorf("%s: refused: %v", seed.name, err)
		case field != "" && (!errors.As(err, &e) || e.Field != field):
			t.Errorf("%s: got %v; want a refusal naming %s", seed.name, err, field)
		case field == "":
			if _, err := artefacts(s, ""); err != nil {
				t.Errorf("%s: %v", seed.name, err)
			}
		}
	}
	if *update {
		if err := os.WriteFile(filepath.Join(dir, "recorded"), fmt.Appendf(nil, "go test fuzz v1\n[]byte(%q)\n", recordedExport(t)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func recordedExport(t *testing.T) []byte {
	b, err := json.Marshal(recorded(t).Export(t0 + 600*minute))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestImportRecorded imports the recorded workshop's export: everything it held comes back.
func TestImportRecorded(t *testing.T) {
	s := recorded(t)
	got, err := imported(s.Export(t0+600*minute), fuzzNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Notes) != len(s.Notes) || len(got.Participants) != len(s.Participants) || len(got.Tables) != len(s.Tables) {
		t.Fatalf("imported %d notes, %d people, %d tables; want %d, %d, %d", len(got.Notes), len(got.Participants),
			len(got.Tables), len(s.Notes), len(s.Participants), len(s.Tables))
	}
}

// TestImportLimits tries documents past each limit of what a workshop holds: each is refused,
// naming the field.
func TestImportLimits(t *testing.T) {
	big := largestExport()
	cases := map[string]func(x *workshop.Export){
		"participants": func(x *workshop.Export) {
			x.Participants = append(x.Participants, workshop.ExportedParticipant{ID: fixedID(900_000), Name: "De trop"})
		},
		"notes": func(x *workshop.Export) {
			n := x.Notes[0]
			n.ID = fixedID(900_001)
			x.Notes = append(x.Notes, n)
		},
		"tables": func(x *workshop.Export) {
			x.Tables = append(x.Tables, workshop.Table{ID: fixedID(900_002), Number: 9999, Name: "De trop", Colour: "red"})
		},
		"rounds": func(x *workshop.Export) { x.Rounds = append(x.Rounds, workshop.Round{Minutes: 20}) },
	}
	for field, grow := range cases {
		x := big
		x.Participants = append([]workshop.ExportedParticipant(nil), big.Participants...)
		x.Notes = append([]workshop.Note(nil), big.Notes...)
		x.Tables = append([]workshop.Table(nil), big.Tables...)
		x.Rounds = append([]workshop.Round(nil), big.Rounds...)
		grow(&x)
		err := workshop.CheckExport(&x, fuzzNow)
		if err == nil || err.Field != field {
			t.Errorf("one more of %s: got %v; want a refusal naming %s", field, err, field)
		}
	}
}

// TestImportRefusals checks the refusals of the fields commands check, one by one: each names
// the field and the reason.
func TestImportRefusals(t *testing.T) {
	doc := recordedExport(t)
	ok := func() workshop.Export {
		var x workshop.Export
		if err := json.Unmarshal(doc, &x); err != nil {
			t.Fatal(err)
		}
		return x
	}
	if err := workshop.CheckExport(ptr(ok()), fuzzNow); err != nil {
		t.Fatalf("the recorded export is refused: %v", err)
	}
	cases := []struct {
		field string
		edit  func(x *workshop.Export)
	}{
		{"format", func(x *workshop.Export) { x.Format = "other" }},
		{"workshop.title", func(x *workshop.Export) { x.Workshop.Title = strings.Repeat("t", workshop.MaxTitle+1) }},
		{"workshop.date", func(x *workshop.Export) { x.Workshop.Date = "4 octobre" }},
		{"exportedAt", func(x *workshop.Export) { x.ExportedAt = fuzzNow + 2*86_400_000 }},
		{"tables[0].capacity", func(x *workshop.Export) { x.Tables[0].Capacity = workshop.MaxCapacity + 1 }},
		{"tables[1].id", func(x *workshop.Export) { x.Tables[1].ID = x.Tables[0].ID }},
		{"tables[0].host", func(x *workshop.Export) { x.Tables[0].Host = fixedID(999_999) }},
		{"participants[0].joinedAt", func(x *workshop.Export) { x.Participants[0].JoinedAt = 1 }},
		{"participants[0].table", func(x *workshop.Export) { x.Participants[0].Table = fixedID(999_999) }},
		{"participants[0].email", func(x *workshop.Export) { x.Participants[0].Email = "not an address" }},
		{"rounds[0].minutes", func(x *workshop.Export) { x.Rounds[0].Minutes = workshop.MaxRoundMinutes + 1 }},
		{"clock.round", func(x *workshop.Export) { x.Clock.Round = len(x.Rounds) + 1 }},
		{"clock.endsAt", func(x *workshop.Export) { x.Clock.EndsAt = x.Clock.StartedAt - 1 }},
		{"played", func(x *workshop.Export) {
			x.Played = append(x.Played, make([]workshop.PlayedRound, x.Clock.Round)...)
		}},
		{"notes[0].round", func(x *workshop.Export) { x.Notes[0].Round = x.Clock.Round + 1 }},
		{"notes[0].text", func(x *workshop.Export) { x.Notes[0].Text = strings.Repeat("é", workshop.MaxNoteText+1) }},
		{"notes[0].colour", func(x *workshop.Export) { x.Notes[0].Colour = "black" }},
		{"notes[0].voters[0]", func(x *workshop.Export) { x.Notes[0].Voters = []string{fixedID(999_999)} }},
		{"notes[1].id", func(x *workshop.Export) { x.Notes[1].ID = x.Notes[0].ID }},
		{"seatings", func(x *workshop.Export) {
			for len(x.Seatings) <= x.Clock.Round {
				x.Seatings = append(x.Seatings, map[string]string{})
			}
		}},
	}
	for _, c := range cases {
		x := ok()
		c.edit(&x)
		err := workshop.CheckExport(&x, fuzzNow)
		if err == nil || err.Field != c.field {
			t.Errorf("%s: got %v; want a refusal naming it", c.field, err)
		}
	}
}

func ptr[T any](v T) *T { return &v }
