package harvest

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// barChart is a vertical bar chart, grouped (one bar per series in each group) or not: the shape
// of all three charts. A chart with more groups than fit the width is drawn in rows (panels)
// sharing one scale, so that a café of a hundred tables stays readable on A4.
type barChart struct {
	id, title   string
	desc        string   // for screen readers: what the chart shows, its numbers in words
	descIntro   string   // when groups carry their own descriptions: the sentence before them
	descSep     string   // … and what separates them
	heading     bool     // write the title on the chart (standalone SVG)
	legend      bool     // draw the legend (the first panel only)
	series      []series // several: a legend is drawn
	groups      []barGroup
	valueLabels bool     // write each bar's value above it
	sparse      bool     // many thin bars side by side (a time axis)
	caption     string   // under the x axis
	yCaption    string   // along the y axis
	notes       []string // sentences under the chart
	empty       string   // what to say when there is nothing to draw
	peak        int      // the highest bar of the whole chart, for panels to share a scale
	slots       int      // groups per row, when drawn in rows
}

type series struct {
	name, fill string
	mark       string // written under each bar of the series when there is room
}

type barGroup struct {
	label []string // up to two lines under the group; nil for none
	bars  []int
	tips  []string // a tooltip per bar
	desc  string   // the group in words, for the chart's description
}

const (
	chartWidth = 720
	plotHeight = 200
	fontStack  = `system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'DejaVu Sans', Arial, sans-serif, 'Apple Color Emoji', 'Segoe UI Emoji', 'Noto Color Emoji'`
)

// margins of the plot: room for the y axis' numbers (and its caption) on the left.
func (c *barChart) margins() (left, right float64) {
	if c.yCaption != "" {
		return 52, 12
	}
	return 40, 12
}

// panels splits the chart into rows of as many groups as fit its width.
func (c *barChart) panels() []*barChart {
	c.legend = true
	for _, g := range c.groups {
		for _, v := range g.bars {
			c.peak = max(c.peak, v)
		}
	}
	left, right := c.margins()
	per := len(c.groups)
	if !c.sparse {
		per = max(1, int((chartWidth-left-right)/(float64(max(1, len(c.series)))*14+10)))
	}
	if len(c.groups) <= per {
		return []*barChart{c}
	}
	n := (len(c.groups) + per - 1) / per
	var out []*barChart
	for k := 0; k < n; k++ {
		p := *c
		p.groups, p.slots = c.groups[k*per:min((k+1)*per, len(c.groups))], per
		p.title = fmt.Sprintf("%s (%d/%d)", c.title, k+1, n)
		p.desc = p.describe()
		if k > 0 {
			p.id = fmt.Sprintf("%s-%d", c.id, k+1)
			p.heading, p.legend = false, false
		}
		if k < n-1 {
			p.caption, p.notes = "", nil
		}
		out = append(out, &p)
	}
	return out
}

// describe is the description of the chart's groups, when they carry their own.
func (c *barChart) describe() string {
	if c.descIntro == "" {
		return c.desc
	}
	var parts []string
	for _, g := range c.groups {
		parts = append(parts, g.desc)
	}
	return c.descIntro + " " + strings.Join(parts, c.descSep)
}

// draw writes the whole chart as one SVG, its panels one under the other.
func (c *barChart) draw() string {
	var body strings.Builder
	y := 0.0
	for i, p := range c.panels() {
		if i == 0 {
			p.title = c.title // written on the chart when it has a heading: the whole chart's
		}
		b, h := p.layout()
		if y == 0 {
			body.WriteString(b)
		} else {
			fmt.Fprintf(&body, `<g transform="translate(0 %s)">`+"\n%s</g>\n", num(y), b)
		}
		y += h
	}
	if c.descIntro != "" {
		c.desc = c.describe()
	}
	return c.frame(chartWidth, y, body.String())
}

// drawPanels writes each panel as an SVG of its own, so that a printed page may break between
// them.
func (c *barChart) drawPanels() []string {
	var out []string
	for _, p := range c.panels() {
		b, h := p.layout()
		if p.descIntro != "" {
			p.desc = p.describe()
		}
		out = append(out, p.frame(chartWidth, h, b))
	}
	return out
}

// layout draws one panel and returns its height. Coordinates are in SVG user units; the report
// scales the drawing to the page's width.
func (c *barChart) layout() (string, float64) {
	left, right := c.margins()
	width := float64(chartWidth)
	plotW := width - left - right
	nb := max(1, len(c.series))

	var body strings.Builder
	y := 0.0
	if c.heading {
		fmt.Fprintf(&body, `<text x="12" y="22" font-size="17" font-weight="700" fill="%s">%s</text>`+"\n", ink, esc(c.title))
		y = 34
	}
	if len(c.groups) == 0 {
		fmt.Fprintf(&body, `<rect x="%s" y="%s" width="%s" height="80" rx="6" fill="#f6f3ec" stroke="%s"/>`+"\n", num(left), num(y+8), num(plotW), grid)
		fmt.Fprintf(&body, `<text x="%s" y="%s" font-size="14" text-anchor="middle" fill="%s">%s</text>`+"\n", num(left+plotW/2), num(y+53), ink2, esc(c.empty))
		return body.String(), y + 100
	}
	// Legend, when there are several series: swatch, then name, wrapping as needed.
	if len(c.series) > 1 && c.legend {
		x := left
		y += 16
		for _, s := range c.series {
			w := 14 + 6 + textWidth(s.name, 12) + 18
			if x+w > width-right && x > left {
				x, y = left, y+20
			}
			fmt.Fprintf(&body, `<rect x="%s" y="%s" width="14" height="14" fill="%s" stroke="%s"/>`+"\n", num(x), num(y-11), s.fill, ink)
			fmt.Fprintf(&body, `<text x="%s" y="%s" font-size="12" fill="%s">%s</text>`+"\n", num(x+20), num(y), ink, esc(s.name))
			x += w
		}
		y += 8
	}
	top := y + 22 // room for the tallest bar's value
	bottom := top + plotHeight

	step, ceiling := niceScale(c.peak)
	scale := plotHeight / float64(ceiling)
	for v := 0; v <= ceiling; v += step {
		ty := bottom - float64(v)*scale
		colour := grid
		if v == 0 {
			colour = ink2
		}
		fmt.Fprintf(&body, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1"/>`+"\n", num(left), num(ty), num(width-right), num(ty), colour)
		fmt.Fprintf(&body, `<text x="%s" y="%s" font-size="12" text-anchor="end" fill="%s">%d</text>`+"\n", num(left-6), num(ty+4), ink2, v)
	}
	if c.yCaption != "" {
		cy := top + plotHeight/2
		fmt.Fprintf(&body, `<text x="14" y="%s" font-size="12" text-anchor="middle" fill="%s" transform="rotate(-90 14 %s)">%s</text>`+"\n",
			num(cy), ink2, num(cy), esc(c.yCaption))
	}

	// In a chart drawn in rows, every row has as many slots as the first, so that they line up.
	slots := max(len(c.groups), c.slots)
	groupW := plotW / float64(slots)
	inner := groupW * 0.8
	if c.sparse {
		inner = groupW * 0.86
	}
	barW := math.Min(inner/float64(nb), 56)
	marks := !c.sparse && barW >= 12 && len(c.series) > 1 && c.series[0].mark != ""
	labelY := bottom + 16
	if marks {
		labelY += 14
	}
	maxChars := int(groupW / 6.6)
	for gi, g := range c.groups {
		gx := left + float64(gi)*groupW
		x0 := gx + (groupW-barW*float64(len(g.bars)))/2
		for bi, v := range g.bars {
			s := c.series[min(bi, len(c.series)-1)]
			bx := x0 + float64(bi)*barW
			h := float64(v) * scale
			tip := ""
			if bi < len(g.tips) {
				tip = "<title>" + esc(g.tips[bi]) + "</title>"
			}
			if v > 0 {
				stroke := ""
				if !c.sparse || barW >= 4 {
					stroke = fmt.Sprintf(` stroke="%s" stroke-width="0.75"`, ink)
				}
				fmt.Fprintf(&body, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"%s>%s</rect>`+"\n",
					num(bx+0.5), num(bottom-h), num(math.Max(barW-1, 1)), num(h), s.fill, stroke, tip)
			}
			if c.valueLabels && barW >= 11 {
				size := 11
				if barW < 18 && v >= 10 {
					size = 9
				}
				fmt.Fprintf(&body, `<text x="%s" y="%s" font-size="%d" text-anchor="middle" fill="%s">%d</text>`+"\n", num(bx+barW/2), num(bottom-h-4), size, ink, v)
			}
			if marks {
				fmt.Fprintf(&body, `<text x="%s" y="%s" font-size="10" text-anchor="middle" fill="%s">%s</text>`+"\n", num(bx+barW/2), num(bottom+12), ink2, esc(s.mark))
			}
		}
		for li, line := range g.label {
			size, colour, weight := 12, ink, ` font-weight="600"`
			if li > 0 {
				size, colour, weight = 11, ink2, ""
			}
			anchor, lx := "middle", gx+groupW/2
			if c.sparse {
				// A time axis: the label is the time the bucket starts, at its left edge.
				anchor, lx = "start", x0
				fmt.Fprintf(&body, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s"/>`+"\n", num(x0), num(bottom), num(x0), num(bottom+5), ink2)
			}
			fmt.Fprintf(&body, `<text x="%s" y="%s" font-size="%d"%s text-anchor="%s" fill="%s">%s</text>`+"\n",
				num(lx), num(labelY+float64(li)*15), size, weight, anchor, colour, esc(truncate(line, maxChars)))
		}
	}
	y = labelY + 15*float64(maxLines(c.groups)-1)
	if c.caption != "" {
		y += 22
		fmt.Fprintf(&body, `<text x="%s" y="%s" font-size="12" text-anchor="middle" fill="%s">%s</text>`+"\n", num(left+plotW/2), num(y), ink2, esc(c.caption))
	}
	for i, n := range c.notes {
		y += 20
		if i == 0 {
			y += 6
		}
		fmt.Fprintf(&body, `<text x="%s" y="%s" font-size="13" fill="%s">%s</text>`+"\n", num(left), num(y), ink, esc(n))
	}
	return body.String(), y + 12
}

// frame wraps a drawing in its <svg>, with the title and description that screen readers read.
func (c *barChart) frame(width, height float64, body string) string {
	size := ""
	if c.heading {
		size = fmt.Sprintf(` width="%s" height="%s"`, num(width), num(math.Ceil(height)))
	}
	return fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %s %s"%s role="img" aria-labelledby="%s-title %s-desc" font-family="%s">`+
		"\n"+`<title id="%s-title">%s</title>`+"\n"+`<desc id="%s-desc">%s</desc>`+"\n"+`<rect width="100%%" height="100%%" fill="#ffffff"/>`+"\n"+`%s</svg>`,
		num(width), num(math.Ceil(height)), size, c.id, c.id, fontStack, c.id, esc(c.title), c.id, esc(c.desc), body)
}

func maxLines(groups []barGroup) int {
	n := 1
	for _, g := range groups {
		n = max(n, len(g.label))
	}
	return n
}

// niceScale picks a tick step of 1, 2 or 5 times a power of ten giving at most five ticks, and
// the axis' top: the first tick at or above peak.
func niceScale(peak int) (step, ceiling int) {
	if peak <= 0 {
		return 1, 1
	}
	for p := 1; ; p *= 10 {
		for _, m := range []int{1, 2, 5} {
			step = m * p
			if (peak+step-1)/step <= 5 {
				return step, (peak + step - 1) / step * step
			}
		}
	}
}

// num writes a coordinate with at most one decimal, so that output is the same on every machine.
func num(v float64) string {
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
}

var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;")

func esc(s string) string { return xmlEscaper.Replace(s) }

// textWidth estimates the width of text in a sans-serif font of size px: SVG text cannot be
// measured on the server, and an estimate is enough to lay out a legend.
func textWidth(s string, px float64) float64 {
	return float64(utf8.RuneCountInString(s)) * px * 0.56
}

// truncate shortens s to n characters, with an ellipsis.
func truncate(s string, n int) string {
	if n < 2 {
		n = 2
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
