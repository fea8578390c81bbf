package loadtest

import (
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// Result is one scenario run against one kind of server.
type Result struct {
	Label     string // nappe, bare, nappe ×2
	Mode      string
	Processes int
	Spawned   bool // the tool started the server, so its CPU and memory are known

	Phones, Walls, Conns int

	Posts, Sent, Acked, Refused int
	// Votes and Edits are how many of Posts are votes and edits (b), and how many of each were
	// acknowledged.
	Votes, Edits, AckedVotes, AckedEdits int
	Lost                                 int // acknowledged, but missing from the final state or skipped on a recipient's stream
	LostMissing                          int // of which missing from the server's final state
	LostSkipped                          int // of which some table mate or wall got later versions but never this post
	Late                                 int // acknowledged, not lost, but some recipient was still behind it at the end
	Unknown                              int // sent, never answered
	UnknownLanded                        int // of which present in the final state anyway

	Retries, Reconnects, DialErrors, OrderErrors, TooSlow int64
	Frames, Messages                                      int64 // received by the clients while posting

	Delivery, ToPhones, ToWalls Summary // post → recipient, from the scheduled send time
	Ack                         Summary // post → acknowledgement, from the scheduled send time
	SendLag                     Summary // how late the tool itself sent

	Usage                                usage
	RSSBefore, RSSConnected, RSSEnd, HWM int64
	// RSSIdle (a) is read at the end of the idle window: the room's steady state, after whatever
	// the joins left behind has been collected (and, for Nappe, returned to the system).
	RSSIdle                       int64
	SetupTime, IdleFor            time.Duration
	Joins                         []Join // e
	SentBeforeRestart             int    // f
	StopTime, Downtime, BackAfter time.Duration
	Back                          bool
	BackCount                     int
	ProblemCount                  int
	Problems                      []string
}

// PerConn is the servers' memory per connection: RSS growth from before the room connected to
// the idle room (RSSIdle, when measured) or to right after it connected, divided by the
// connections. 0 when the server's memory is not known.
func (r *Result) PerConn() float64 {
	if r != nil && r.RSSIdle != 0 {
		return r.perConn(r.RSSIdle)
	}
	return r.PerConnConnected()
}

// PerConnConnected is PerConn measured right after the room connected.
func (r *Result) PerConnConnected() float64 {
	if r == nil {
		return 0
	}
	return r.perConn(r.RSSConnected)
}

func (r *Result) perConn(rss int64) float64 {
	if rss == 0 || r.Conns == 0 {
		return 0
	}
	return float64(rss-r.RSSBefore) / float64(r.Conns)
}

// JoinMax is the slowest projector join.
func (r *Result) JoinMax() time.Duration {
	var m time.Duration
	for _, j := range r.Joins {
		m = max(m, j.Took)
	}
	return m
}

// Pair is g: one scenario on one process and on two.
type Pair struct {
	Key          string
	Single, Dual *Result
}

// Check is one target of the spec, met or not.
type Check struct {
	Name   string
	Pass   bool
	NA     bool // could not be evaluated
	Detail string
}

// Outcome is one scenario's report.
type Outcome struct {
	Key, Title, Desc string
	Nappe, Bare      *Result
	Pairs            []Pair
	Checks           []Check
	Notes            []string
	Skipped          string // why it did not run
	Err              error
}

func checks(key string, o *Outcome) []Check {
	n := o.Nappe
	var out []Check
	noLoss := func(r *Result, name string) {
		if r != nil {
			out = append(out, Check{Name: name + "nothing acknowledged is lost", Pass: r.Lost == 0,
				Detail: fmt.Sprintf("%d lost of %d acknowledged", r.Lost, r.Acked)})
		}
	}
	switch key {
	case "a":
		c := Check{Name: "memory per idle connection ≤ 1.5 × bare"}
		if nb, bb := n.PerConn(), o.Bare.PerConn(); nb > 0 && bb > 0 {
			c.Pass = nb <= 1.5*bb
			c.Detail = fmt.Sprintf("%s vs %s: %.2f×", fmtBytes(nb), fmtBytes(bb), nb/bb)
		} else {
			c.NA, c.Detail = true, "needs the server's memory: a spawned server, not --target"
		}
		out = append(out, c)
	case "b":
		noLoss(n, "")
	case "c":
		if n != nil {
			out = append(out, Check{Name: "0 lost and delivery p99 ≤ 250 ms", Pass: n.Lost == 0 && n.Delivery.P99 <= 250*time.Millisecond && n.Delivery.N > 0,
				Detail: fmt.Sprintf("%d lost, p99 %s", n.Lost, fmtDur(n.Delivery.P99)) + shaky(n)})
		}
	case "d":
		if n != nil {
			out = append(out, Check{Name: "delivery p99 ≤ 1 s", Pass: n.Delivery.P99 <= time.Second && n.Delivery.N > 0,
				Detail: fmt.Sprintf("p99 %s", fmtDur(n.Delivery.P99)) + shaky(n)})
		}
		noLoss(n, "")
	case "e":
		if n != nil {
			ok := len(n.Joins) > 0 && n.JoinMax() <= 2*time.Second
			for _, j := range n.Joins {
				ok = ok && j.Notes == n.Acked
			}
			out = append(out, Check{Name: "projector synced ≤ 2 s with every note", Pass: ok,
				Detail: fmt.Sprintf("slowest %s, %d of %d notes", fmtDur(n.JoinMax()), minNotes(n), n.Acked)})
		}
	case "f":
		if n != nil {
			d := fmt.Sprintf("everyone back after %s, %d lost", fmtDur(n.BackAfter), n.Lost)
			if !n.Back {
				d = fmt.Sprintf("only %d of %d back within a minute, %d lost", n.BackCount, n.Conns, n.Lost)
			}
			out = append(out, Check{Name: "everyone back and caught up ≤ 15 s, 0 lost", Pass: n.Back && n.BackAfter <= 15*time.Second && n.Lost == 0, Detail: d})
		}
	case "g":
		for _, p := range o.Pairs {
			added := p.Dual.Delivery.P99 - p.Single.Delivery.P99
			out = append(out, Check{Name: fmt.Sprintf("(%s) two processes add ≤ 10 ms to p99", p.Key), Pass: added <= 10*time.Millisecond && p.Dual.Delivery.N > 0,
				Detail: fmt.Sprintf("p99 %s vs %s: %+.1f ms", fmtDur(p.Dual.Delivery.P99), fmtDur(p.Single.Delivery.P99), float64(added)/1e6) + shaky(p.Single, p.Dual)})
			noLoss(p.Dual, fmt.Sprintf("(%s) ×2: ", p.Key))
		}
	}
	return out
}

// shaky says why a latency measured in r may be the machine's rather than the server's, or "".
func shaky(rs ...*Result) string {
	var why []string
	for _, r := range rs {
		if r == nil {
			continue
		}
		if r.SendLag.N > 0 && r.SendLag.P99 > 20*time.Millisecond {
			why = append(why, fmt.Sprintf("the tool itself was %s late in the %s run", fmtDur(r.SendLag.P99), r.Label))
		}
		if r.Usage.saturated() && r.Usage.Wall >= time.Second {
			why = append(why, fmt.Sprintf("the machine was saturated in the %s run (other programs %.2f cores)", r.Label, r.Usage.others()))
		}
	}
	if len(why) == 0 {
		return ""
	}
	return "; unreliable: " + strings.Join(why, ", ")
}

func minNotes(r *Result) int {
	if len(r.Joins) == 0 {
		return 0
	}
	m := r.Joins[0].Notes
	for _, j := range r.Joins {
		m = min(m, j.Notes)
	}
	return m
}

func numCPU() int { return runtime.NumCPU() }

func (o *Outcome) print(w io.Writer) {
	fmt.Fprintf(w, "\n== (%s) %s\n", o.Key, o.Title)
	if o.Desc != "" {
		fmt.Fprintf(w, "   %s\n", o.Desc)
	}
	if len(o.Pairs) > 0 {
		for _, p := range o.Pairs {
			fmt.Fprintf(w, "\n   (%s) one process vs two:\n", p.Key)
			table(w, []*Result{p.Single, p.Dual}, "×2 / ×1")
		}
	} else {
		var rs []*Result
		if o.Nappe != nil {
			rs = append(rs, o.Nappe)
		}
		if o.Bare != nil {
			rs = append(rs, o.Bare)
		}
		if len(rs) > 0 {
			table(w, rs, "nappe/bare")
		}
	}
	for _, r := range append([]*Result{o.Nappe, o.Bare}, pairResults(o.Pairs)...) {
		if r == nil {
			continue
		}
		for _, p := range r.Problems {
			fmt.Fprintf(w, "   ! %s: %s\n", r.Label, p)
		}
		if r.ProblemCount > len(r.Problems) {
			fmt.Fprintf(w, "   ! %s: … %d problems in all\n", r.Label, r.ProblemCount)
		}
		if r.Usage.saturated() && r.Usage.Wall >= time.Second {
			fmt.Fprintf(w, "   ! %s: the machine was saturated (%.2f of %d cores busy: this tool %.2f, servers %.2f, other programs %.2f): latencies include waiting for a CPU\n",
				r.Label, r.Usage.MachineBusy, r.Usage.Cores, cores(r.Usage.Tool, r.Usage.Wall), cores(r.Usage.Server, r.Usage.Wall), r.Usage.others())
		}
		if r.SendLag.N > 0 && r.SendLag.P99 > 20*time.Millisecond {
			fmt.Fprintf(w, "   ! %s: this tool sent late (p99 %s after schedule: starved of CPU, or a connection not taking writes); latencies count from the schedule\n", r.Label, fmtDur(r.SendLag.P99))
		}
	}
	for _, n := range o.Notes {
		fmt.Fprintf(w, "   note: %s\n", n)
	}
	if o.Skipped != "" {
		fmt.Fprintf(w, "   skipped: %s\n", o.Skipped)
	}
	if o.Err != nil {
		fmt.Fprintf(w, "   ERROR: %v\n", o.Err)
	}
	for _, c := range o.Checks {
		fmt.Fprintf(w, "   target: %-48s %s  (%s)\n", c.Name, verdict(c), c.Detail)
	}
}

func pairResults(ps []Pair) []*Result {
	var out []*Result
	for _, p := range ps {
		out = append(out, p.Single, p.Dual)
	}
	return out
}

func verdict(c Check) string {
	switch {
	case c.NA:
		return "n/a "
	case c.Pass:
		return "PASS"
	}
	return "MISS"
}

// table prints results side by side, with the ratio of the first to the second.
func table(w io.Writer, rs []*Result, ratioName string) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := []string{"  "}
	for _, r := range rs {
		head = append(head, r.Label)
	}
	if len(rs) == 2 {
		head = append(head, ratioName)
	}
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	row := func(name string, f func(r *Result) string, ratio func(a, b *Result) string) {
		vals := []string{"   " + name}
		any := false
		for _, r := range rs {
			v := f(r)
			any = any || v != ""
			vals = append(vals, v)
		}
		if !any {
			return
		}
		if len(rs) == 2 && ratio != nil {
			vals = append(vals, ratio(rs[0], rs[1]))
		}
		fmt.Fprintln(tw, strings.Join(vals, "\t"))
	}
	hasPosts := slices.ContainsFunc(rs, func(r *Result) bool { return r.Posts > 0 })
	idle := slices.ContainsFunc(rs, func(r *Result) bool { return r.RSSIdle > 0 })
	row("connections held", func(r *Result) string {
		s := fmt.Sprint(r.Conns)
		if r.Processes > 1 {
			s += fmt.Sprintf(" over %d processes", r.Processes)
		}
		return s
	}, nil)
	row("setup (join, connect, seat)", func(r *Result) string { return fmtDur(r.SetupTime) }, nil)
	if hasPosts {
		row("posts sent / acked / lost / unknown", func(r *Result) string {
			s := fmt.Sprintf("%d / %d / %d / %d", r.Sent, r.Acked, r.Lost, r.Unknown)
			if r.Refused > 0 {
				s += fmt.Sprintf(" (+%d refused)", r.Refused)
			}
			return s
		}, nil)
		row("  of which votes / edits acked", func(r *Result) string {
			return ifN(uint64(r.Votes+r.Edits), fmt.Sprintf("%d of %d / %d of %d", r.AckedVotes, r.Votes, r.AckedEdits, r.Edits))
		}, nil)
		row("not yet delivered at the end (recipient behind)", func(r *Result) string {
			return ifN(uint64(r.Late), fmt.Sprintf("%d posts", r.Late))
		}, nil)
		row("delivery p50 / p99 / max", func(r *Result) string { return fmtSummary(r.Delivery) }, func(a, b *Result) string {
			return ratios(a.Delivery, b.Delivery)
		})
		row("  to table mates p99 (count)", func(r *Result) string {
			return ifN(r.ToPhones.N, fmtDur(r.ToPhones.P99)+fmt.Sprintf(" (%d)", r.ToPhones.N))
		}, nil)
		row("  to walls p99 (count)", func(r *Result) string {
			return ifN(r.ToWalls.N, fmtDur(r.ToWalls.P99)+fmt.Sprintf(" (%d)", r.ToWalls.N))
		}, nil)
		row("messages per frame received (batching)", func(r *Result) string {
			if r.Frames == 0 {
				return ""
			}
			return fmt.Sprintf("%.2f (%d frames)", float64(r.Messages)/float64(r.Frames), r.Frames)
		}, nil)
		row("ack p50 / p99", func(r *Result) string { return ifN(r.Ack.N, fmtDur(r.Ack.P50)+" / "+fmtDur(r.Ack.P99)) },
			func(a, b *Result) string {
				return ratio(float64(a.Ack.P50), float64(b.Ack.P50)) + " / " + ratio(float64(a.Ack.P99), float64(b.Ack.P99))
			})
	}
	row("projector join: connect → synced, p50 / max", func(r *Result) string {
		if len(r.Joins) == 0 {
			return ""
		}
		took := make([]time.Duration, len(r.Joins))
		for i, j := range r.Joins {
			took[i] = j.Took
		}
		slices.Sort(took)
		return fmt.Sprintf("%s / %s (%d joins)", fmtDur(took[(len(took)-1)/2]), fmtDur(took[len(took)-1]), len(took))
	}, by(func(r *Result) float64 { return float64(r.JoinMax()) }))
	row("projector join: notes, bytes received", func(r *Result) string {
		if len(r.Joins) == 0 {
			return ""
		}
		return fmt.Sprintf("%d, %s", r.Joins[0].Notes, fmtBytes(float64(r.Joins[0].Bytes)))
	}, nil)
	row("restart: SIGTERM → exited / listening", func(r *Result) string {
		return ifN(uint64(r.Downtime), fmtDur(r.StopTime)+" / "+fmtDur(r.Downtime))
	}, nil)
	row("restart: SIGTERM → everyone caught up", func(r *Result) string {
		if r.Downtime == 0 {
			return ""
		}
		if !r.Back {
			return fmt.Sprintf("only %d of %d", r.BackCount, r.Conns)
		}
		return fmtDur(r.BackAfter)
	}, nil)
	row("server CPU", func(r *Result) string {
		if !r.Spawned {
			return ""
		}
		return fmt.Sprintf("%.2f s in %.1f s (%.2f cores)", r.Usage.Server.Seconds(), r.Usage.Wall.Seconds(), cores(r.Usage.Server, r.Usage.Wall))
	}, by(func(r *Result) float64 { return float64(r.Usage.Server) }))
	if hasPosts {
		row("server CPU per post", func(r *Result) string {
			return ifN(uint64(r.Usage.Server)*uint64(r.Sent), fmtDur(r.Usage.Server/time.Duration(max(r.Sent, 1))))
		}, by(func(r *Result) float64 { return float64(r.Usage.Server) / float64(max(r.Sent, 1)) }))
	}
	row("server RSS before / connected / end", func(r *Result) string {
		return ifN(uint64(r.RSSConnected), fmtBytes(float64(r.RSSBefore))+" / "+fmtBytes(float64(r.RSSConnected))+" / "+fmtBytes(float64(r.RSSEnd)))
	}, by(func(r *Result) float64 { return float64(r.RSSEnd) }))
	if idle {
		row("server RSS idle (end of the idle window)", func(r *Result) string { return ifN(uint64(r.RSSIdle), fmtBytes(float64(r.RSSIdle))) },
			by(func(r *Result) float64 { return float64(r.RSSIdle) }))
		row("RSS per connection, just connected", func(r *Result) string {
			return ifN(uint64(r.PerConnConnected())*uint64(r.Phones), fmtBytes(r.PerConnConnected()))
		}, by(func(r *Result) float64 { return r.PerConnConnected() }))
		row("RSS per connection, idle", func(r *Result) string { return ifN(uint64(r.PerConn())*uint64(r.Phones), fmtBytes(r.PerConn())) }, by(func(r *Result) float64 { return r.PerConn() }))
	} else {
		row("RSS per connection", func(r *Result) string { return ifN(uint64(r.PerConn())*uint64(r.Phones), fmtBytes(r.PerConn())) }, by(func(r *Result) float64 { return r.PerConn() }))
	}
	row("this tool: CPU, send lag p99", func(r *Result) string {
		s := fmt.Sprintf("%.2f cores", cores(r.Usage.Tool, r.Usage.Wall))
		if r.SendLag.N > 0 {
			s += ", " + fmtDur(r.SendLag.P99)
		}
		return s
	}, nil)
	row("machine busy (of which other programs)", func(r *Result) string {
		if r.Usage.MachineBusy == 0 {
			return ""
		}
		return fmt.Sprintf("%.2f of %d cores (%.2f)", r.Usage.MachineBusy, r.Usage.Cores, r.Usage.others())
	}, nil)
	row("retries (rate limited) / reconnects", func(r *Result) string {
		return ifN(uint64(r.Retries+r.Reconnects), fmt.Sprintf("%d / %d", r.Retries, r.Reconnects))
	}, nil)
	row("out-of-order events / too slow closes", func(r *Result) string {
		return ifN(uint64(r.OrderErrors+r.TooSlow), fmt.Sprintf("%d / %d", r.OrderErrors, r.TooSlow))
	}, nil)
	tw.Flush()
}

// by makes a ratio column from one figure.
func by(f func(*Result) float64) func(a, b *Result) string {
	return func(a, b *Result) string { return ratio(f(a), f(b)) }
}

func ratio(a, b float64) string {
	if a <= 0 || b <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f×", a/b)
}

func ratios(a, b Summary) string {
	if a.N == 0 || b.N == 0 {
		return ""
	}
	return ratio(float64(a.P50), float64(b.P50)) + " / " + ratio(float64(a.P99), float64(b.P99)) + " / " + ratio(float64(a.Max), float64(b.Max))
}

func ifN(n uint64, s string) string {
	if n == 0 {
		return ""
	}
	return s
}

func cores(cpu, wall time.Duration) float64 {
	if wall <= 0 {
		return 0
	}
	return cpu.Seconds() / wall.Seconds()
}

func fmtSummary(s Summary) string {
	if s.N == 0 {
		return ""
	}
	return fmtDur(s.P50) + " / " + fmtDur(s.P99) + " / " + fmtDur(s.Max)
}

func fmtDur(d time.Duration) string {
	switch {
	case d <= 0:
		return "0"
	case d < time.Millisecond:
		return fmt.Sprintf("%.2f ms", float64(d)/1e6)
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.1f ms", float64(d)/1e6)
	case d < time.Second:
		return fmt.Sprintf("%.0f ms", float64(d)/1e6)
	}
	return fmt.Sprintf("%.2f s", d.Seconds())
}

func fmtBytes(b float64) string {
	switch {
	case b < 0:
		return "-" + fmtBytes(-b)
	case b < 1<<10:
		return fmt.Sprintf("%.0f B", b)
	case b < 1<<20:
		return fmt.Sprintf("%.1f KB", b/(1<<10))
	}
	return fmt.Sprintf("%.1f MB", b/(1<<20))
}

func printSummary(w io.Writer, os []*Outcome) {
	fmt.Fprintf(w, "\n== targets\n")
	for _, o := range os {
		if o.Err != nil {
			fmt.Fprintf(w, "   (%s) ERROR  %v\n", o.Key, o.Err)
		}
		if o.Skipped != "" {
			fmt.Fprintf(w, "   (%s) skipped\n", o.Key)
		}
		for _, c := range o.Checks {
			fmt.Fprintf(w, "   (%s) %s  %s (%s)\n", o.Key, verdict(c), c.Name, c.Detail)
		}
	}
}
