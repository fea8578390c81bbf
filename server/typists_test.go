package main

import (
	"cmp"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/google/uuid"
)

// TestTypists measures many people typing at once in one synthesis, the case where Etherpad's
// users report trouble from 20 to 40 typists. It runs only when asked:
//
//	NAPPE_TYPISTS=40 NAPPE_TYPISTS_COUNT=3 NAPPE_TYPISTS_TMPFS=/dev/shm go test ./server -run '^TestTypists$' -v -timeout 30m
//	NAPPE_TYPISTS=10,20,40 NAPPE_TYPISTS_COUNT=3 NAPPE_TYPISTS_TMPFS=/dev/shm go test ./server -run '^TestTypists$' -v -timeout 60m
//
// Each case spawns the real nappe binary (built once, as the kill test does) with its own data
// directory, so that its CPU time can be read from /proc apart from the simulated clients'. Every
// typist is a WebSocket client that behaves as @codemirror/collab's does: keystrokes accumulate
// locally; at most one synthesis.push is in flight; a push carries everything pending, made on the
// version the typist has applied; a stale push waits for the updates it missed, which arrive as
// synthesis.changed events, and is made again on the newer text; every synthesis.changed is applied
// to the typist's own copy with textsync, and versions must follow each other without a hole.
//
// Each typist first adds its own line "tN: " to the text, then types at a human pace
// (NAPPE_TYPISTS_RATE keystrokes a second, 4 by default, each gap drawn uniformly between half and
// one and a half times the mean, typists out of step), French with accents, emoji (surrogate pairs
// and a ZWJ sequence) and the odd backspace, at the end of its line; positions are UTF-16 code
// units of the text it has.
//
// Three arrangements of the same typists, keystroke rate and server code, in the same run:
//   - own: the baseline. One table per typist, so each types into a synthesis of its own: the same
//     pushes, decisions and fsynced appends through the same workshop's single log, but no
//     contention (nothing is ever stale) and each update goes to one socket.
//   - see: a control, to tell fan-out from contention. As own, but the typists connect with the
//     facilitator's key, so every socket receives every update of every synthesis (the fan-out of
//     one shared synthesis) while nobody shares a document.
//   - one: everybody at one table, typing into its synthesis.
//
// Posting notes at the same rate would be a weaker baseline: another command (every one accepted,
// one per keystroke, a growing list of notes) with a different cost, so its ratio would mix what
// notes cost with what sharing a text costs. own changes nothing but the sharing.
//
// NAPPE_TYPISTS_FOR sets the typing time of each case (25s), NAPPE_TYPISTS_MODES the arrangements
// (own,see,one), NAPPE_TYPISTS_OBSERVERS how many typists time the arrival of others' keystrokes
// (4), NAPPE_TYPISTS_COUNT how many times every case is run, interleaved (1; the summary gives
// medians), NAPPE_TYPISTS_TMPFS a directory on tmpfs (e.g. /dev/shm) where every case is run again
// with the server's data, so fsyncs cost next to nothing: the difference is the disk's share.
func TestTypists(t *testing.T) {
	cfg := typistsConfigFromEnv(t)
	if len(cfg.sizes) == 0 {
		t.Skip("a measurement, run on demand: NAPPE_TYPISTS=40 go test ./server -run '^TestTypists$' -v -timeout 30m")
	}
	binary(t) // build before anything is timed
	places := []string{"disk"}
	if cfg.tmpfs != "" {
		places = append(places, "tmpfs")
	}
	var results []*typistResult
	for rep := 1; rep <= cfg.count; rep++ {
		for _, n := range cfg.sizes {
			for _, place := range places {
				for _, mode := range cfg.modes {
					t.Run(fmt.Sprintf("%d/%s/typists=%d/%s", rep, place, n, mode), func(t *testing.T) {
						data := t.TempDir()
						if place == "tmpfs" {
							dir, err := os.MkdirTemp(cfg.tmpfs, "nappe-typists-")
							if err != nil {
								t.Fatal(err)
							}
							t.Cleanup(func() { os.RemoveAll(dir) })
							data = dir
						}
						if r := runTypists(t, cfg, n, mode, place, data); r != nil {
							r.rep = rep
							results = append(results, r)
						}
					})
				}
			}
		}
	}
	t.Log("\n" + typistsSummary(cfg, results))
}

type typistsConfig struct {
	sizes     []int
	modes     []string
	typeFor   time.Duration
	rate      float64 // keystrokes a second, per typist
	observers int
	tmpfs     string
	count     int // repetitions of every case, interleaved; the summary gives medians
}

func typistsConfigFromEnv(t *testing.T) typistsConfig {
	cfg := typistsConfig{modes: []string{"own", "see", "one"}, typeFor: 25 * time.Second, rate: 4, observers: 4, count: 1}
	for _, f := range strings.Split(os.Getenv("NAPPE_TYPISTS"), ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 || n > 200 {
			t.Fatalf("NAPPE_TYPISTS: %q is not a number of typists (1 to 200)", f)
		}
		cfg.sizes = append(cfg.sizes, n)
	}
	if s := os.Getenv("NAPPE_TYPISTS_MODES"); s != "" {
		cfg.modes = nil
		for _, m := range strings.Split(s, ",") {
			if m = strings.TrimSpace(m); m != "own" && m != "see" && m != "one" {
				t.Fatalf("NAPPE_TYPISTS_MODES: %q is none of own, see, one", m)
			}
			cfg.modes = append(cfg.modes, strings.TrimSpace(m))
		}
	}
	if s := os.Getenv("NAPPE_TYPISTS_FOR"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 {
			t.Fatalf("NAPPE_TYPISTS_FOR: %q is not a duration", s)
		}
		cfg.typeFor = d
	}
	if s := os.Getenv("NAPPE_TYPISTS_RATE"); s != "" {
		r, err := strconv.ParseFloat(s, 64)
		if err != nil || r <= 0 || r > 50 {
			t.Fatalf("NAPPE_TYPISTS_RATE: %q is not a keystroke rate (0 to 50 a second)", s)
		}
		cfg.rate = r
	}
	if s := os.Getenv("NAPPE_TYPISTS_OBSERVERS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			t.Fatalf("NAPPE_TYPISTS_OBSERVERS: %q", s)
		}
		cfg.observers = n
	}
	if s := os.Getenv("NAPPE_TYPISTS_COUNT"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("NAPPE_TYPISTS_COUNT: %q", s)
		}
		cfg.count = n
	}
	cfg.tmpfs = os.Getenv("NAPPE_TYPISTS_TMPFS")
	return cfg
}

// typistResult is one case's measurements.
type typistResult struct {
	rep, n                 int
	mode, place            string
	wall                   time.Duration // from the first keystroke to the last acknowledgement
	keys, accepted         int           // keystrokes typed; updates the server accepted (keystrokes and line creations)
	pushes, stale, acks    int
	retries                int // unavailable or rate_limited, sent again with the same id
	ack, seen              []time.Duration
	ackStale               []int           // for each keystroke in ack, the stale refusals it went through
	typistP50, typistP99   []time.Duration // each typist's keystroke→ack, in the order they joined
	observers              int
	serverCPU              time.Duration
	clientCPU              time.Duration
	appends, appendSecs    float64 // fsynced JetStream appends, from the server's metrics
	appendP99, appendMax   float64 // seconds, bucket upper bounds
	commandP99, commandMax float64 // command in the workshop: queue, decide, append, apply, fan-out
	messages               float64 // messages written to sockets
	version, length        int     // the synthesis (the largest, for own and see) at the end
}

// runTypists runs one case: a fresh server, n typists arranged as mode, typing for cfg.typeFor.
func runTypists(t *testing.T, cfg typistsConfig, n int, mode, place, data string) *typistResult {
	metricsAddr := freeLoopbackAddr(t)
	proc, s := startProcess(t, "--data", data, "--participant-rate", "1000", "--metrics-addr", metricsAddr)
	metricsURL := "http://" + metricsAddr + "/metrics"
	c := newCafé(t, s) // two tables
	for len(c.tables) < n && mode != "one" {
		id := uuid.NewString()
		facCommand(t, s, c, "table.add", map[string]any{"id": id, "name": fmt.Sprint("Table ", len(c.tables)+1), "question": "?"})
		c.tables = append(c.tables, id)
	}
	keyLog := &typistKeyLog{at: make([][]time.Time, n)}
	clients := map[string]int{}
	typists := make([]*typist, n)
	for i := range typists {
		ty := &typist{t: t, i: i, name: fmt.Sprint("t", i), log: keyLog, clients: clients, waitAbove: -1,
			rng: rand.New(rand.NewPCG(uint64(i), uint64(n))), seenCount: map[string]int{}}
		ty.prefix = ty.name + ": "
		ty.source = typistKeys(typistPhrases[i%len(typistPhrases)] + typistPhrases[(i+3)%len(typistPhrases)])
		ty.next = ty.rng.IntN(len(ty.source))
		ty.observer = cfg.observers > 0 && mode != "own" && i%max(1, n/cfg.observers) == 0 && i/max(1, n/cfg.observers) < cfg.observers
		token := c.FacilitatorKey
		switch mode {
		case "one":
			ty.doc = c.tables[0]
			token = joinCafé(t, s, c, fmt.Sprint("Typist", i), ty.doc).token
		case "own":
			ty.doc = c.tables[i]
			token = joinCafé(t, s, c, fmt.Sprint("Typist", i), ty.doc).token
		case "see":
			ty.doc = c.tables[i]
		}
		clients[ty.name] = i
		typists[i] = ty
		ty.connect(s, c.Workshop.ID, token)
	}
	for _, ty := range typists {
		ty.waitSynced()
	}
	if t.Failed() {
		return nil
	}

	metrics0 := scrapeMetrics(t, metricsURL)
	server0, client0 := procCPU(t, proc.Process.Pid), cpuTime()
	start := time.Now().Add(100 * time.Millisecond)
	stop := start.Add(cfg.typeFor)
	interval := time.Duration(float64(time.Second) / cfg.rate)
	done := make(chan int, n)
	quit := make(chan struct{})
	var loops sync.WaitGroup
	for _, ty := range typists {
		loops.Add(1)
		go func() {
			defer loops.Done()
			ty.loop(start, stop, interval, done, quit)
		}()
	}
	deadline := time.After(cfg.typeFor + 2*time.Minute)
	for range typists {
		select {
		case <-done:
		case <-deadline:
			close(quit)
			loops.Wait()
			var late []string
			for _, ty := range typists {
				if len(ty.pending) > 0 || ty.inflight != nil {
					late = append(late, fmt.Sprintf("%s (%d pending, %d in flight)", ty.name, len(ty.pending), len(ty.inflight)))
				}
			}
			t.Fatalf("typing did not finish 2 minutes after it stopped: %s", strings.Join(late, ", "))
		}
	}
	end := time.Now()
	server1, client1 := procCPU(t, proc.Process.Pid), cpuTime()
	metrics1 := scrapeMetrics(t, metricsURL)
	close(quit)
	loops.Wait()
	if t.Failed() {
		return nil
	}

	// Every copy equals the server's text, and every line holds exactly what its typist typed.
	st := state(t, s, c)
	texts, versions := map[string]string{}, map[string]int{}
	for _, x := range st["syntheses"].([]any) {
		sy := x.(map[string]any)
		doc := sy["doc"].(string)
		texts[doc], versions[doc] = sy["text"].(string), int(sy["version"].(float64))
	}
	r := &typistResult{n: n, mode: mode, place: place, wall: end.Sub(start), serverCPU: server1 - server0, clientCPU: client1 - client0,
		appends:    metrics1["nappe_append_duration_seconds_count"] - metrics0["nappe_append_duration_seconds_count"],
		appendSecs: metrics1["nappe_append_duration_seconds_sum"] - metrics0["nappe_append_duration_seconds_sum"],
		messages:   metrics1["nappe_ws_messages_sent_total"] - metrics0["nappe_ws_messages_sent_total"]}
	r.appendP99, r.appendMax = histogram(metrics0, metrics1, "nappe_append_duration_seconds", .99)
	r.commandP99, r.commandMax = histogram(metrics0, metrics1, "nappe_command_duration_seconds", .99)
	for _, ty := range typists {
		text, ok := texts[ty.doc]
		if !ok {
			t.Fatalf("the server has no synthesis %s", ty.doc)
		}
		ty.catchUp(versions[ty.doc])
		if got := ty.text.String(); got != text {
			t.Fatalf("%s's copy (v%d) is\n%q\nthe server's (v%d) is\n%q", ty.name, ty.version, got, versions[ty.doc], text)
		}
		want := ty.prefix + strings.Join(ty.keys, "")
		if lines := strings.Count("\n"+text, "\n"+want+"\n"); lines != 1 {
			t.Errorf("%s's line %q is %d times in the server's text", ty.name, want, lines)
		}
		if ty.ownSeen != len(keyLog.at[ty.i]) {
			t.Errorf("%s: %d of its %d updates went through", ty.name, ty.ownSeen, len(keyLog.at[ty.i]))
		}
		r.keys += ty.typed
		r.accepted += ty.confirmed
		r.pushes += ty.pushes
		r.stale += ty.stale
		r.acks += ty.acks
		r.retries += ty.retries
		r.ack = append(r.ack, ty.ackLat...)
		r.ackStale = append(r.ackStale, ty.ackStale...)
		r.typistP50 = append(r.typistP50, pct(ty.ackLat, .5))
		r.typistP99 = append(r.typistP99, pct(ty.ackLat, .99))
		r.seen = append(r.seen, ty.seenLat...)
		if ty.observer {
			r.observers++
		}
		if versions[ty.doc] >= r.version {
			r.version, r.length = versions[ty.doc], len(utf16.Encode([]rune(text)))
		}
	}
	if mode == "one" && strings.Count(texts[c.tables[0]], "\n") != n {
		t.Errorf("the synthesis has %d lines, want %d:\n%s", strings.Count(texts[c.tables[0]], "\n"), n, texts[c.tables[0]])
	}
	if r.accepted != r.keys+n {
		t.Errorf("%d updates accepted for %d keystrokes and %d new lines", r.accepted, r.keys, n)
	}
	t.Log("\n" + r.report())
	return r
}

// procCPU is the user and system CPU time a process has used, from /proc/<pid>/stat (Linux).
func procCPU(t *testing.T, pid int) time.Duration {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		t.Fatalf("server CPU: %v", err)
	}
	// The command name, field 2, is in parentheses and may hold spaces: count from after it.
	fields := strings.Fields(string(raw[strings.LastIndexByte(string(raw), ')')+1:]))
	utime, err1 := strconv.ParseInt(fields[11], 10, 64) // field 14
	stime, err2 := strconv.ParseInt(fields[12], 10, 64) // field 15
	if err1 != nil || err2 != nil {
		t.Fatalf("server CPU: cannot read %q", raw)
	}
	const ticks = 100 // USER_HZ, 100 on every Linux build that matters (getconf CLK_TCK)
	return time.Duration(utime+stime) * time.Second / ticks
}

// scrapeMetrics reads the server's Prometheus counters (histograms give _sum and _count).
func scrapeMetrics(t *testing.T, url string) map[string]float64 {
	res, err := http.Get(url)
	if err != nil {
		t.Fatalf("metrics: %v", err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	out := map[string]float64{}
	for _, m := range regexp.MustCompile(`(?m)^([a-z_]+(?:\{[^}]*\})?) ([0-9.e+-]+)$`).FindAllSubmatch(body, -1) {
		v, _ := strconv.ParseFloat(string(m[2]), 64)
		out[string(m[1])] = v
	}
	return out
}

// freeLoopbackAddr picks a free port for the metrics listener (the process prints its address
// before the line startProcess waits for, so the port is chosen here).
func freeLoopbackAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// histogram gives the quantile q and the largest of what a VictoriaMetrics histogram observed
// between two scrapes, as the upper bounds of its buckets (about 12% wide), in seconds.
func histogram(before, after map[string]float64, name string, q float64) (quantile, largest float64) {
	type bucket struct{ hi, n float64 }
	var buckets []bucket
	total := 0.0
	prefix := name + `_bucket{vmrange="`
	for k, v := range after {
		bounds, ok := strings.CutPrefix(k, prefix)
		if !ok || v-before[k] <= 0 {
			continue
		}
		_, hi, _ := strings.Cut(strings.TrimSuffix(bounds, `"}`), "...")
		f, err := strconv.ParseFloat(hi, 64)
		if err != nil {
			continue
		}
		buckets = append(buckets, bucket{f, v - before[k]})
		total += v - before[k]
	}
	slices.SortFunc(buckets, func(a, b bucket) int { return cmp.Compare(a.hi, b.hi) })
	seen := 0.0
	for _, b := range buckets {
		if seen += b.n; seen >= q*total && quantile == 0 {
			quantile = b.hi
		}
		largest = b.hi
	}
	return quantile, largest
}

func pct(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[int(p*float64(len(s)-1)+0.5)]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

var typistModeNames = map[string]string{
	"own": "own synthesis each (baseline)",
	"see": "own synthesis each, every socket sees every edit (control)",
	"one": "one synthesis",
}

func (r *typistResult) report() string {
	var b strings.Builder
	secs := r.wall.Seconds()
	fmt.Fprintf(&b, "%d typists, %s, data on %s: %.1f s from first keystroke to last ack\n", r.n, typistModeNames[r.mode], r.place, secs)
	fmt.Fprintf(&b, "  %d keystrokes (%.1f/s), %d pushes (%.2f per keystroke), %d stale (%.0f%% of pushes), %d accepted, %.2f updates per accepted push, %d retried\n",
		r.keys, float64(r.keys)/secs, r.pushes, float64(r.pushes)/float64(r.keys), r.stale, 100*float64(r.stale)/float64(r.pushes), r.acks, float64(r.accepted)/float64(r.acks), r.retries)
	fmt.Fprintf(&b, "  keystroke→ack  p50 %s  p90 %s  p99 %s  max %s\n", ms(pct(r.ack, .5)), ms(pct(r.ack, .9)), ms(pct(r.ack, .99)), ms(pct(r.ack, 1)))
	if len(r.seen) > 0 {
		fmt.Fprintf(&b, "  keystroke→seen p50 %s  p90 %s  p99 %s  max %s  (%d observers, %d samples)\n", ms(pct(r.seen, .5)), ms(pct(r.seen, .9)), ms(pct(r.seen, .99)), ms(pct(r.seen, 1)), r.observers, len(r.seen))
	}
	once, slow, slowStale, maxStale := 0, 0, 0, 0
	cut := pct(r.ack, .99)
	for i, d := range r.ack {
		if r.ackStale[i] == 0 {
			once++
		}
		if d >= cut {
			slow++
			slowStale += r.ackStale[i]
		}
		maxStale = max(maxStale, r.ackStale[i])
	}
	fmt.Fprintf(&b, "  %.0f%% of keystrokes acknowledged on their first push; the slowest 1%% went through %.1f stale refusals on average (most: %d)\n",
		100*float64(once)/float64(len(r.ack)), float64(slowStale)/float64(max(1, slow)), maxStale)
	q := max(1, r.n/4)
	fmt.Fprintf(&b, "  each typist's own p50 from %s to %s, p99 from %s to %s (median p99 of the first quarter to join %s, of the last %s)\n",
		ms(slices.Min(r.typistP50)), ms(slices.Max(r.typistP50)), ms(slices.Min(r.typistP99)), ms(slices.Max(r.typistP99)),
		ms(pct(r.typistP99[:q], .5)), ms(pct(r.typistP99[len(r.typistP99)-q:], .5)))
	fmt.Fprintf(&b, "  server CPU %.2f s (%.0f%% of a core), %.0f µs per accepted update, %.0f µs per push; test clients %.0f%% of a core\n",
		r.serverCPU.Seconds(), 100*r.serverCPU.Seconds()/secs, float64(r.serverCPU.Microseconds())/float64(r.accepted), float64(r.serverCPU.Microseconds())/float64(r.pushes), 100*r.clientCPU.Seconds()/secs)
	if r.appends > 0 {
		fmt.Fprintf(&b, "  server: %.0f fsynced appends, %.2f ms on average, p99 %.0f ms, max %.0f ms (%.0f%% of the workshop loop's time); commands in the workshop p99 %.0f ms, max %.0f ms; %.0f messages to sockets (%.1f per accepted update)\n",
			r.appends, 1000*r.appendSecs/r.appends, 1000*r.appendP99, 1000*r.appendMax, 100*r.appendSecs/secs, 1000*r.commandP99, 1000*r.commandMax, r.messages, r.messages/float64(r.accepted))
	}
	fmt.Fprintf(&b, "  every copy equals the server's text (largest: v%d, %d UTF-16 units); every line holds exactly what its typist typed", r.version, r.length)
	return b.String()
}

// typistsSummary is the table of every case: medians over the repetitions, and the median of each
// repetition's ratio to the baseline (own) of the same size, place and repetition.
func typistsSummary(cfg typistsConfig, results []*typistResult) string {
	var b strings.Builder
	fmt.Fprintf(&b, "== typists: %g keystrokes/s each, %s of typing per case, medians of %d run(s); ratios to own (the baseline) of the same run\n", cfg.rate, cfg.typeFor, cfg.count)
	fmt.Fprintf(&b, "%-5s | %-7s | %-4s | %-18s | %-18s | %-8s | %-8s | %-10s | %-6s | %-22s | %s\n",
		"data", "typists", "mode", "key→ack p50", "key→ack p99", "seen p50", "seen p99", "pushes/key", "stale", "server CPU", "CPU µs/update")
	base := map[string]*typistResult{}
	groups := map[string][]*typistResult{}
	var order []string
	for _, r := range results {
		if r.mode == "own" {
			base[fmt.Sprint(r.rep, r.place, r.n)] = r
		}
		k := fmt.Sprint(r.place, "/", r.n, "/", r.mode)
		if groups[k] == nil {
			order = append(order, k)
		}
		groups[k] = append(groups[k], r)
	}
	median := func(rs []*typistResult, f func(*typistResult) float64) float64 {
		v := make([]float64, 0, len(rs))
		for _, r := range rs {
			if x := f(r); x >= 0 {
				v = append(v, x)
			}
		}
		if len(v) == 0 {
			return -1
		}
		slices.Sort(v)
		if len(v)%2 == 1 {
			return v[len(v)/2]
		}
		return (v[len(v)/2-1] + v[len(v)/2]) / 2
	}
	cpu := func(r *typistResult) float64 { return r.serverCPU.Seconds() / r.wall.Seconds() }
	p := func(q float64, seen bool) func(*typistResult) float64 {
		return func(r *typistResult) float64 {
			d := r.ack
			if seen {
				d = r.seen
			}
			if len(d) == 0 {
				return -1
			}
			return float64(pct(d, q)) / float64(time.Millisecond)
		}
	}
	// cell is the median of f, with the median ratio to the baseline.
	cell := func(rs []*typistResult, f func(*typistResult) float64, format string) string {
		v := median(rs, f)
		if v < 0 {
			return "—"
		}
		out := fmt.Sprintf(format, v)
		if rs[0].mode == "own" {
			return out
		}
		ratio := median(rs, func(r *typistResult) float64 {
			bs := base[fmt.Sprint(r.rep, r.place, r.n)]
			if bs == nil || f(bs) <= 0 {
				return -1
			}
			return f(r) / f(bs)
		})
		if ratio < 0 {
			return out
		}
		return out + fmt.Sprintf(" (%.1f×)", ratio)
	}
	for _, k := range order {
		rs := groups[k]
		r := rs[0]
		fmt.Fprintf(&b, "%-5s | %-7d | %-4s | %-18s | %-18s | %-8s | %-8s | %-10s | %-6s | %-22s | %s\n", r.place, r.n, r.mode,
			cell(rs, p(.5, false), "%.1f ms"), cell(rs, p(.99, false), "%.0f ms"),
			cellPlain(median(rs, p(.5, true)), "%.1f ms"), cellPlain(median(rs, p(.99, true)), "%.0f ms"),
			cellPlain(median(rs, func(r *typistResult) float64 { return float64(r.pushes) / float64(r.keys) }), "%.2f"),
			cellPlain(median(rs, func(r *typistResult) float64 { return 100 * float64(r.stale) / float64(r.pushes) }), "%.0f%%"),
			cell(rs, func(r *typistResult) float64 { return 100 * cpu(r) }, "%.0f%% of a core"),
			cellPlain(median(rs, func(r *typistResult) float64 { return float64(r.serverCPU.Microseconds()) / float64(r.accepted) }), "%.0f"))
	}
	return b.String()
}

func cellPlain(v float64, format string) string {
	if v < 0 {
		return "—"
	}
	return fmt.Sprintf(format, v)
}
