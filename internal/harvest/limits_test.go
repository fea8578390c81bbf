package harvest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"nappe/internal/textsync"
	"nappe/internal/workshop"
)

// What the server computes from a workshop is bounded by what a workshop may hold
// (workshop.MaxParticipants, MaxNotes, MaxTables, MaxRounds), never by what a document says. These
// tests build the largest workshop allowed and render every artefact of it.

// renderers render everything a workshop's harvest serves (report.md and .html, notes.csv, badges,
// table cards, the three charts) and what its state is read as (the snapshot of each role, the
// export), each by the name the checks below use.
func renderers(s *workshop.State, publicURL string) map[string]func() ([]byte, error) {
	o := Options{Location: time.UTC}
	links := Links{PublicURL: publicURL, FacilitatorKey: facilitatorKey}
	write := func(f func(*bytes.Buffer) error) ([]byte, error) {
		var b bytes.Buffer
		err := f(&b)
		return b.Bytes(), err
	}
	report := func(html bool) func() ([]byte, error) {
		return func() ([]byte, error) {
			r, err := Build(s, o)
			if err != nil {
				return nil, err
			}
			return write(func(b *bytes.Buffer) error {
				if html {
					return r.HTML(b)
				}
				return r.Markdown(b)
			})
		}
	}
	printout := func(build func(*workshop.State, Options, Links) (*Printout, error)) func() ([]byte, error) {
		return func() ([]byte, error) {
			p, err := build(s, o, links)
			if err != nil {
				return nil, err
			}
			return write(func(b *bytes.Buffer) error { return p.HTML(b) })
		}
	}
	out := map[string]func() ([]byte, error){
		"report.md": report(false), "report.html": report(true),
		"notes.csv":   func() ([]byte, error) { return write(func(b *bytes.Buffer) error { return NotesCSV(b, s, o) }) },
		"badges.html": printout(NewBadges), "table-cards.html": printout(NewTableCards),
		"export.json": func() ([]byte, error) { return json.Marshal(s.Export(t0)) },
	}
	for _, name := range ChartNames {
		out[name+".svg"] = func() ([]byte, error) {
			f, err := NewFigures(s, o)
			if err != nil {
				return nil, err
			}
			return f.SVG(name)
		}
	}
	actors := map[string]workshop.Actor{"facilitator": {Role: workshop.RoleFacilitator}, "board": {Role: workshop.RoleBoard}}
	for _, p := range s.Participants {
		actors["participant"] = workshop.Actor{Role: workshop.RoleParticipant, Participant: p.ID}
		break
	}
	for role, a := range actors {
		out["state."+role] = func() ([]byte, error) { return json.Marshal(s.Snapshot(a)) }
	}
	return out
}

// artefacts renders every artefact of renderers.
func artefacts(s *workshop.State, publicURL string) (map[string][]byte, error) {
	out := map[string][]byte{}
	for name, render := range renderers(s, publicURL) {
		b, err := render()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out[name] = b
	}
	return out, nil
}

// imported recreates an export through the import path, as the server does.
func imported(x workshop.Export, now int64) (*workshop.State, error) {
	args := workshop.CreateArgsFromExport(x)
	args.ID, args.Code = fixedID(1), "LIMIT1"
	args.FacilitatorKeyHash, args.BoardKeyHash = workshop.HashToken(facilitatorKey), workshop.HashToken(token(1))
	bodies, err := workshop.DecideCreateImported(args, x, func(p string) string {
		return workshop.HashToken(workshop.DeriveParticipantToken(facilitatorKey, p))
	}, now)
	if err != nil {
		return nil, err
	}
	s := workshop.New()
	for i, b := range bodies {
		if err := s.Apply(workshop.Event{V: uint64(i + 1), At: now, Cmd: args.ID, Body: b}); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// largestExport is a workshop at every limit: the most tables, people, notes and rounds, everyone
// seated in every round (half the room at one table in the last, the crowd that makes "who met
// whom" quadratic when counted pair by pair), every synthesis full.
func largestExport() workshop.Export {
	x := workshop.Export{Format: workshop.ExportFormat, Version: workshop.ExportVersion, ExportedAt: t0,
		Workshop: workshop.Workshop{Title: "Le plus grand café", Language: "fr", Date: "2018-10-04", CreatedAt: t0},
		Seating:  workshop.SeatingPlanned, Plan: map[string][]string{}, Syntheses: map[string]*workshop.Synthesis{}}
	for i := range workshop.MaxTables {
		x.Tables = append(x.Tables, workshop.Table{ID: fixedID(100_000 + i), Number: i + 1, Name: fmt.Sprintf("Atelier %d", i+1),
			Question: strings.Repeat("Que signifie être socialement innovant ? ", 12), Colour: workshop.Palette[i%len(workshop.Palette)]})
	}
	for r := range workshop.MaxRounds {
		x.Rounds = append(x.Rounds, workshop.Round{Minutes: 20, Question: "Et après ?"})
		x.Played = append(x.Played, workshop.PlayedRound{Started: t0 + int64(r)*30*minute, Ended: t0 + int64(r)*30*minute + 20*minute})
	}
	last := t0 + int64(workshop.MaxRounds-1)*30*minute
	x.Clock = workshop.Clock{Round: workshop.MaxRounds, Status: workshop.ClockEnded, StartedAt: last, EndsAt: last + 20*minute}
	for i := range workshop.MaxParticipants {
		x.Participants = append(x.Participants, workshop.ExportedParticipant{ID: fixedID(200_000 + i),
			Name: fmt.Sprintf("Personne %05d", i), Organisation: fmt.Sprintf("Organisation %d", i%40),
			Email: fmt.Sprintf("p%d@example.org", i), Table: x.Tables[i%workshop.MaxTables].ID, JoinedAt: t0})
	}
	for r := range workshop.MaxRounds {
		seats := map[string]string{}
		for i, p := range x.Participants {
			t := (i*(r+1) + r) % workshop.MaxTables
			if r == workshop.MaxRounds-1 && i%2 == 0 {
				t = 0
			}
			seats[p.ID] = x.Tables[t].ID
		}
		x.Seatings = append(x.Seatings, seats)
	}
	text := strings.Repeat("Une idée 😀 qui relie les tables, écrite en entier. ", 10)[:workshop.MaxNoteText]
	for i := range workshop.MaxNotes {
		author := x.Participants[i%len(x.Participants)]
		n := workshop.Note{ID: fixedID(400_000 + i), Table: x.Tables[i%workshop.MaxTables].ID, Author: author.ID,
			AuthorName: author.Name, Text: strings.ToValidUTF8(text, ""), Colour: "yellow", Round: 1 + i%workshop.MaxRounds,
			CreatedAt: t0 + int64(i)*1000, Voters: []string{}}
		for v := range 20 {
			n.Voters = append(n.Voters, x.Participants[(i+v)%len(x.Participants)].ID)
		}
		x.Notes = append(x.Notes, n)
	}
	full := strings.Repeat("Synthèse ✍️ de la table.\n", workshop.MaxSynthesisLen/25)
	for _, doc := range append([]string{workshop.PlenaryDoc}, x.Tables[0].ID, x.Tables[1].ID) {
		x.Syntheses[doc] = &workshop.Synthesis{Version: 1000, Text: textsync.FromString(full), EditedAt: last, Rounds: map[int]string{1: full}}
	}
	return x
}

// Output limits per artefact at the largest workshop, well above what it renders today: a change
// that makes one of them grow with something else than the workshop's limits shows here.
var largestLimits = map[string]int{
	"report.md": 32 << 20, "report.html": 48 << 20, "notes.csv": 16 << 20, "badges.html": 8 << 20,
	"table-cards.html": 16 << 20, "contributions.svg": 4 << 20, "activity.svg": 1 << 20, "encounters.svg": 1 << 20,
	"state.facilitator": 48 << 20, "state.board": 48 << 20, "state.participant": 4 << 20, "export.json": 48 << 20,
}

func TestLargestWorkshopRenders(t *testing.T) {
	if testing.Short() {
		t.Skip("renders every artefact of a workshop at every limit")
	}
	s, err := imported(largestExport(), t0+time.Hour.Milliseconds()*24)
	if err != nil {
		t.Fatalf("the largest workshop allowed must import: %v", err)
	}
	if len(s.Participants) != workshop.MaxParticipants || len(s.Notes) != workshop.MaxNotes {
		t.Fatalf("imported %d people and %d notes", len(s.Participants), len(s.Notes))
	}
	out, err := artefacts(s, "https://nappe.example.org")
	if err != nil {
		t.Fatal(err)
	}
	for name, limit := range largestLimits {
		got, ok := out[name]
		if !ok {
			t.Errorf("%s was not rendered", name)
			continue
		}
		t.Logf("%-18s %6.1f MiB", name, float64(len(got))/(1<<20))
		if len(got) > limit {
			t.Errorf("%s is %d bytes at the largest workshop; the bound is %d", name, len(got), limit)
		}
	}
}

// BenchmarkLargestWorkshop renders each artefact of the largest workshop allowed (README
// "Limits"): go test ./internal/harvest -run '^$' -bench LargestWorkshop -benchtime 3x
func BenchmarkLargestWorkshop(b *testing.B) {
	s, err := imported(largestExport(), t0+time.Hour.Milliseconds()*24)
	if err != nil {
		b.Fatal(err)
	}
	all := renderers(s, "https://nappe.example.org")
	names := make([]string, 0, len(all))
	for name := range all {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		b.Run(name, func(b *testing.B) {
			for range b.N {
				out, err := all[name]()
				if err != nil {
					b.Fatal(err)
				}
				b.SetBytes(int64(len(out)))
			}
		})
	}
}
