package harvest

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// Chart names, as the /charts/{name}.svg route knows them.
const (
	ChartContributions = "contributions"
	ChartActivity      = "activity"
	ChartEncounters    = "encounters"
)

// ChartNames lists every chart, in the order the report shows them.
var ChartNames = []string{ChartContributions, ChartActivity, ChartEncounters}

// ErrNoChart is returned for a chart name that is not in ChartNames.
var ErrNoChart = fmt.Errorf("harvest: no such chart")

// SVG draws one chart as a standalone SVG document, with its title written on it (for the
// console and the projector). The drawing depends only on the figures: the same workshop gives
// the same bytes.
func (f *Figures) SVG(name string) ([]byte, error) {
	c, err := f.chart(name)
	if err != nil {
		return nil, err
	}
	c.heading = true
	return []byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + c.draw()), nil
}

func (f *Figures) chart(name string) (*barChart, error) {
	switch name {
	case ChartContributions:
		return f.contributionsChart(), nil
	case ChartActivity:
		return f.activityChart(), nil
	case ChartEncounters:
		return f.encountersChart(), nil
	}
	return nil, fmt.Errorf("%w: %q", ErrNoChart, name)
}

// title is the chart's title in the figures' language.
func (f *Figures) title(name string) string {
	switch name {
	case ChartContributions:
		return f.l.ContribTitle
	case ChartActivity:
		return f.l.ActivityTitle
	case ChartEncounters:
		return f.l.EncountersTitle
	}
	return ""
}

func (f *Figures) contributionsChart() *barChart {
	c := f.contrib
	ch := &barChart{id: "chart-" + ChartContributions, title: f.l.ContribTitle, empty: f.l.NoActivity, valueLabels: true}
	for i, r := range c.series {
		fill := accent
		if len(c.series) > 1 {
			fill = ramp(i, len(c.series))
		}
		name := f.seriesLabel(r, true)
		mark := ""
		if c.rounds {
			mark = fmt.Sprint(r)
			if r == 0 {
				name += " (0)"
			}
		}
		ch.series = append(ch.series, series{name: name, fill: fill, mark: mark})
	}
	total := 0
	for _, row := range c.rows {
		g := barGroup{label: []string{fmt.Sprintf(f.l.Table, row.number), row.name}}
		var parts []string
		for i, n := range row.counts {
			g.bars = append(g.bars, n)
			g.tips = append(g.tips, g.label[0]+", "+f.seriesLabel(c.series[i], false)+f.l.Colon()+fmt.Sprint(n))
			if c.rounds {
				parts = append(parts, fmt.Sprintf("%s %d", f.seriesLabel(c.series[i], false), n))
			}
		}
		g.desc = fmt.Sprintf("%s (%s)%s%s", g.label[0], row.name, f.l.Colon(), f.l.plural(row.total, f.l.NotesN))
		if len(parts) > 0 {
			g.desc += " — " + strings.Join(parts, ", ")
		}
		total += row.total
		ch.groups = append(ch.groups, g)
	}
	if total == 0 {
		ch.groups = nil
	}
	ch.descIntro, ch.descSep, ch.desc = f.l.ContribDesc, "; ", f.l.ContribDesc
	if f.l.Lang == "fr" {
		ch.descSep = "\u00a0; "
	}
	return ch
}

func (f *Figures) activityChart() *barChart {
	a := f.activity
	ch := &barChart{id: "chart-" + ChartActivity, title: f.l.ActivityTitle, empty: f.l.NoActivity,
		series: []series{{fill: accent}}, caption: fmt.Sprintf(f.l.ActivityAxis, a.bucket, f.zone()), sparse: true}
	width := int64(a.bucket) * 60_000
	peak, peakAt := 0, a.start
	// Label a bucket when its start is a round time, far enough from the previous label.
	every := labelEvery(a.bucket, len(a.counts))
	for i, n := range a.counts {
		at := a.start + int64(i)*width
		g := barGroup{bars: []int{n}, tips: []string{f.clock(at) + " – " + f.l.plural(n, f.l.NotesN)}}
		if m := time.UnixMilli(at).In(f.loc); i == 0 || (m.Hour()*60+m.Minute())%every == 0 && i*a.bucket >= every/2 {
			g.label = []string{f.clock(at)}
		}
		if n > peak {
			peak, peakAt = n, at
		}
		ch.groups = append(ch.groups, g)
	}
	if len(a.counts) > 0 {
		end := a.start + int64(len(a.counts))*width
		ch.desc = fmt.Sprintf(f.l.ActivityDesc, a.bucket, f.clock(a.start), f.clock(end), f.zone(), peak, f.clock(peakAt))
	} else {
		ch.desc = f.l.NoActivity
	}
	return ch
}

// labelEvery is how many minutes apart the activity chart labels its time axis: a round number of
// minutes leaving room for about ten labels.
func labelEvery(bucket, buckets int) int {
	span := bucket * buckets
	for _, m := range []int{15, 30, 60, 120, 180, 240, 360, 720, 1440} {
		if m >= bucket && span/m <= 10 {
			return m
		}
	}
	return 1440
}

func (f *Figures) encountersChart() *barChart {
	e := f.encounters
	ch := &barChart{id: "chart-" + ChartEncounters, title: f.l.EncountersTitle, empty: f.l.NoSeating,
		series: []series{{fill: violet}}, caption: f.l.EncountersAxis, valueLabels: true}
	if e.rounds == 0 || len(e.met) == 0 {
		ch.desc = f.l.NoSeating
		return ch
	}
	ch.yCaption = f.l.EncountersPeople
	var parts []string
	for _, b := range e.histogram() {
		ch.groups = append(ch.groups, barGroup{label: []string{b.label()}, bars: []int{b.count},
			tips: []string{b.label() + " → " + f.l.plural(b.count, f.l.ParticipantsN)}})
		if b.count > 0 {
			parts = append(parts, b.label()+" → "+fmt.Sprint(b.count))
		}
	}
	ch.notes = f.encounterFacts()
	ch.desc = fmt.Sprintf(f.l.EncountersDesc, f.l.plural(e.rounds, f.l.RoundsN)) + " " + strings.Join(parts, ", ") + ". " +
		strings.Join(ch.notes, " ")
	return ch
}

// encounterFacts are the sentences under the encounters chart: the average, the pairs that met
// again, and (with organisations) the tables that mixed them.
func (f *Figures) encounterFacts() []string {
	e := f.encounters
	if e.rounds == 0 || len(e.met) == 0 {
		return nil
	}
	out := []string{
		fmt.Sprintf(f.l.EncountersAverage, f.l.decimal(e.average())),
		fmt.Sprintf(f.l.RepeatPairs, e.repeated, e.pairs, f.l.percent(e.repeated, e.pairs)),
	}
	if e.orgs {
		out = append(out, fmt.Sprintf(f.l.MixedOrgs, e.mixed, e.tableRounds, f.l.percent(e.mixed, e.tableRounds)))
	}
	return out
}

// Colours of the charts. Bars carry a dark outline, so even the light ones stand out from the
// white background (WCAG 1.4.11); series differ in lightness, which survives grey printers and
// colour blindness, and every bar also has its number written on it.
const (
	ink    = "#1c2024"
	ink2   = "#4b535c"
	grid   = "#d6cfc2"
	accent = "#0b5f5a"
	violet = "#5a3e9e"
)

// ramp gives series i of n a shade from light to dark teal.
func ramp(i, n int) string {
	light, dark := [3]float64{0xcf, 0xee, 0xe8}, [3]float64{0x08, 0x44, 0x3f}
	t := 0.0
	if n > 1 {
		t = float64(i) / float64(n-1)
	}
	var c [3]int
	for k := range c {
		c[k] = int(math.Round(light[k] + (dark[k]-light[k])*t))
	}
	return fmt.Sprintf("#%02x%02x%02x", c[0], c[1], c[2])
}

// textOn is the colour of text drawn on a fill: white on dark, ink on light.
func textOn(fill string) string {
	var r, g, b int
	fmt.Sscanf(fill, "#%02x%02x%02x", &r, &g, &b)
	lum := func(c int) float64 {
		v := float64(c) / 255
		if v <= 0.03928 {
			return v / 12.92
		}
		return math.Pow((v+0.055)/1.055, 2.4)
	}
	if 0.2126*lum(r)+0.7152*lum(g)+0.0722*lum(b) < 0.18 {
		return "#ffffff"
	}
	return ink
}
