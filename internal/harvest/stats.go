package harvest

import (
	"fmt"
	"math/bits"
	"sort"
	"strings"
	"time"

	"nappe/internal/workshop"
)

// Figures are the numbers behind the charts: contributions by table and round, activity over
// time, and how well the rotation mixed people. They hold no personal data (no names, no
// e-mails, no note text), which is why the projector may show them.
type Figures struct {
	l          *label
	loc        *time.Location
	contrib    contribution
	activity   activity
	encounters encounters
}

// contribution counts visible notes per table (rows) and per round (series).
type contribution struct {
	rounds bool  // false: the rounds were never used, one series "notes"
	series []int // the rounds shown, 0 being before the first
	rows   []contribRow
}

type contribRow struct {
	number int
	name   string
	counts []int // by series
	total  int
}

// activity counts visible notes per bucket of time, from the first note's bucket to the last's.
type activity struct {
	start  int64 // Unix ms, the first bucket's start
	bucket int   // minutes
	counts []int
}

// encounters is who met whom: two people meet when they sit at the same table in the same round
// (State.Seatings).
type encounters struct {
	rounds      int   // rounds with a seating
	met         []int // for each person seated at least once, how many different people they met
	pairs       int   // pairs of people who met at least once
	repeated    int   // … of which more than once
	orgs        bool  // someone seated has an organisation
	tableRounds int   // tables × rounds with two people or more
	mixed       int   // … of which bringing together two organisations or more
}

// NewFigures computes the figures of a workshop.
func NewFigures(s *workshop.State, o Options) (*Figures, error) {
	o, err := o.resolve(s)
	if err != nil {
		return nil, err
	}
	return newFigures(s, o, labels[o.Language], visible(s)), nil
}

func newFigures(s *workshop.State, o Options, l *label, tables []tableNotes) *Figures {
	return &Figures{l: l, loc: o.Location, contrib: contributions(s, tables), activity: activityOf(tables),
		encounters: encountersOf(s)}
}

func contributions(s *workshop.State, tables []tableNotes) contribution {
	c := contribution{rounds: hasRounds(tables)}
	if !c.rounds {
		c.series = []int{0}
	} else {
		last, before := len(s.Seatings), false
		for _, t := range tables {
			for _, n := range t.notes {
				last = max(last, n.Round)
				before = before || n.Round == 0
			}
		}
		// A note's round is at most the clock's (commands and imports check it); the cap keeps a
		// stored oddity from widening the chart.
		last = min(last, max(len(s.Rounds), len(s.Seatings)))
		if before {
			c.series = append(c.series, 0)
		}
		for r := 1; r <= last; r++ {
			c.series = append(c.series, r)
		}
	}
	index := map[int]int{}
	for i, r := range c.series {
		index[r] = i
	}
	for _, t := range tables {
		row := contribRow{number: t.table.Number, name: t.table.Name, counts: make([]int, len(c.series))}
		for _, n := range t.notes {
			if i, ok := index[n.Round]; ok {
				row.counts[i]++
			}
			row.total++
		}
		c.rows = append(c.rows, row)
	}
	return c
}

// maxBuckets bounds the activity chart: past it, buckets widen from 5 minutes, and past a day
// by whole days, so that the chart (and the time to draw it) never grows with the span of the
// notes' times.
const maxBuckets = 72

var bucketMinutes = []int{5, 10, 15, 30, 60, 120, 240, 480, 1440}

// Times outside these bounds (which no server clock gives, but an old store might hold) are
// clamped, so that spans never overflow.
var (
	earliest = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	latest   = time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
)

func activityOf(tables []tableNotes) activity {
	var first, last int64
	seen := false
	for _, t := range tables {
		for _, n := range t.notes {
			at := min(max(n.CreatedAt, earliest), latest)
			if !seen || at < first {
				first = at
			}
			last = max(last, at)
			seen = true
		}
	}
	if !seen {
		return activity{bucket: 5}
	}
	a := activity{}
	var width int64
	for _, m := range bucketMinutes {
		a.bucket, width = m, int64(m)*60_000
		if a.start = first - first%width; (last-a.start)/width < maxBuckets {
			break
		}
	}
	if (last-a.start)/width >= maxBuckets {
		days := (last-a.start)/(maxBuckets-1)/86_400_000 + 1
		a.bucket, width = int(days)*1440, days*86_400_000
		a.start = first - first%width
	}
	a.counts = make([]int, (last-a.start)/width+1)
	for _, t := range tables {
		for _, n := range t.notes {
			a.counts[(min(max(n.CreatedAt, earliest), latest)-a.start)/width]++
		}
	}
	return a
}

// encountersOf counts who met whom. Each person's "met once" and "met twice or more" are bit
// sets over everyone seated: a table of k people in a round costs k × n/64 words, so even a
// crowd of n at one table costs n²/64 per round, never the n² pairs a list of meetings would.
func encountersOf(s *workshop.State) encounters {
	// Number people in a fixed order so that the result is deterministic.
	index := map[string]int{}
	var ids []string
	for _, seats := range s.Seatings {
		for id := range seats {
			if _, ok := index[id]; !ok {
				index[id] = -1
				ids = append(ids, id)
			}
		}
	}
	sort.Strings(ids)
	for i, id := range ids {
		index[id] = i
	}
	org := make([]string, len(ids))
	e := encounters{}
	for i, id := range ids {
		if p, ok := s.Participants[id]; ok {
			org[i] = strings.ToLower(strings.TrimSpace(p.Organisation))
			e.orgs = e.orgs || org[i] != ""
		}
	}
	words := (len(ids) + 63) / 64
	once, twice := newBitRows(len(ids), words), newBitRows(len(ids), words)
	table := make([]uint64, words)
	for _, seats := range s.Seatings {
		if len(seats) == 0 {
			continue
		}
		e.rounds++
		at := map[string][]int{}
		for id, t := range seats {
			if t != "" {
				at[t] = append(at[t], index[id])
			}
		}
		for _, people := range at {
			if len(people) < 2 {
				continue
			}
			e.tableRounds++
			clear(table)
			orgs := map[string]bool{}
			for _, a := range people {
				table[a/64] |= 1 << (a % 64)
				if org[a] != "" {
					orgs[org[a]] = true
				}
			}
			for _, a := range people {
				o, t := once[a], twice[a]
				for w, mates := range table {
					t[w] |= o[w] & mates
					o[w] |= mates
				}
			}
			if len(orgs) >= 2 {
				e.mixed++
			}
		}
	}
	// Everyone's own bit is in their rows too (they sit at their own table): leave it out.
	e.met = make([]int, len(ids))
	for a := range ids {
		self := uint64(1) << (a % 64)
		met, again := 0, 0
		for w := range words {
			o, t := once[a][w], twice[a][w]
			if w == a/64 {
				o, t = o&^self, t&^self
			}
			met += bits.OnesCount64(o)
			again += bits.OnesCount64(t)
		}
		e.met[a] = met
		e.pairs += met
		e.repeated += again
	}
	e.pairs /= 2
	e.repeated /= 2
	return e
}

// newBitRows is n rows of a bit matrix in one allocation.
func newBitRows(n, words int) [][]uint64 {
	flat := make([]uint64, n*words)
	rows := make([][]uint64, n)
	for i := range rows {
		rows[i] = flat[i*words : (i+1)*words : (i+1)*words]
	}
	return rows
}

// average is the mean number of people each person met.
func (e encounters) average() float64 {
	if len(e.met) == 0 {
		return 0
	}
	sum := 0
	for _, m := range e.met {
		sum += m
	}
	return float64(sum) / float64(len(e.met))
}

// bin is one bar of the encounters histogram: people who met from lo to hi others.
type bin struct{ lo, hi, count int }

func (b bin) label() string {
	if b.lo == b.hi {
		return fmt.Sprint(b.lo)
	}
	return fmt.Sprintf("%d–%d", b.lo, b.hi)
}

// histogram groups people by how many others they met: one bar per number up to 24 bars, wider
// bins past that.
func (e encounters) histogram() []bin {
	top := 0
	for _, m := range e.met {
		top = max(top, m)
	}
	width := 1
	if top+1 > 24 {
		width = (top + 1 + 19) / 20
	}
	bins := make([]bin, top/width+1)
	for i := range bins {
		bins[i] = bin{lo: i * width, hi: min(top, i*width+width-1)}
	}
	for _, m := range e.met {
		bins[m/width].count++
	}
	return bins
}

// seriesLabel names a series of the contributions chart: "Tour 2", "Avant", or "Post-it".
func (f *Figures) seriesLabel(r int, short bool) string {
	switch {
	case !f.contrib.rounds:
		return f.l.Notes
	case r == 0 && short:
		return f.l.BeforeShort
	case r == 0:
		return f.l.BeforeFirst
	}
	return fmt.Sprintf(f.l.Round, r)
}

// clock is a time of day in the figures' zone.
func (f *Figures) clock(ms int64) string {
	return time.UnixMilli(ms).In(f.loc).Format("15:04")
}

// zone names the figures' time zone for captions: "UTC", "Europe/Paris".
func (f *Figures) zone() string { return f.loc.String() }
