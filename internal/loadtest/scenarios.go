package loadtest

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"
)

var titles = map[string]string{
	"a": "idle room: memory per idle connection",
	"b": "steady posting",
	"c": "round-end burst",
	"d": "round-end burst, every phone watching the whole wall",
	"e": "a projector joins a full wall",
	"f": "reconnect storm after a server restart",
	"g": "two Nappe processes sharing one NATS",
}

// scenario runs one scenario, against Nappe and, when asked (always for a), against the bare
// baseline.
func (s *suite) scenario(ctx context.Context, key string) (*Outcome, error) {
	cfg := &s.cfg
	phones := cfg.Tables * cfg.PerTable
	o := &Outcome{Key: key, Title: titles[key]}
	var err error
	switch key {
	case "a":
		o.Desc = fmt.Sprintf("%d phones at %d tables and %d projectors connect, seat themselves and stay idle for %v", phones, cfg.Tables, cfg.Projectors, cfg.IdleFor)
		o.Nappe, err = s.withNappe(key, func(eps []*endpoint) (*Result, error) { return s.runIdle(ctx, modeNappe, eps) })
		if err == nil {
			o.Bare, err = s.withBare(key, func(eps []*endpoint) (*Result, error) { return s.runIdle(ctx, modeBare, eps) })
			if !cfg.Baseline {
				o.Notes = append(o.Notes, "the bare baseline always runs for (a): its target is a ratio")
			}
		}
	case "b", "c", "d":
		specs, watchers := s.postingPlan(key)
		o.Desc = s.postingDesc(key, specs, watchers)
		run := func(m mode) func([]*endpoint) (*Result, error) {
			return func(eps []*endpoint) (*Result, error) { return s.runPosting(ctx, m, eps, key, specs, watchers) }
		}
		o.Nappe, err = s.withNappe(key, run(modeNappe))
		if err == nil && cfg.Baseline {
			o.Bare, err = s.withBare(key, run(modeBare))
		}
	case "e":
		o.Desc = fmt.Sprintf("a facilitator fills the wall with %d notes over %d tables (%d projectors watching), sending %.0f a second "+
			"(faster than the server stores them: the posts' latencies are not a target here), then a projector connects %d times, one after another",
			cfg.WallNotes, cfg.Tables, cfg.Projectors, cfg.FillRate, cfg.WallJoins)
		o.Nappe, err = s.withNappe(key, func(eps []*endpoint) (*Result, error) { return s.runWall(ctx, modeNappe, eps) })
		if err == nil && cfg.Baseline {
			o.Bare, err = s.withBare(key, func(eps []*endpoint) (*Result, error) { return s.runWall(ctx, modeBare, eps) })
		}
	case "f":
		o.Desc = fmt.Sprintf("%d phones post every %v for %v; %v in, the server gets SIGTERM and starts again on the same data and a new port; everyone reconnects (resuming with since) and resends what was not acknowledged",
			phones, cfg.RestartPostEvery, cfg.RestartFor, cfg.RestartAt)
		if cfg.Target != "" {
			o.Skipped = "(f) restarts the server: it needs a spawned one, not --target"
			return o, nil
		}
		o.Nappe, err = s.withNappe(key, func(eps []*endpoint) (*Result, error) { return s.runRestart(ctx, eps[0]) })
		if cfg.Baseline {
			o.Notes = append(o.Notes, "no bare baseline: the bare server keeps nothing across a restart")
		}
	case "g":
		o.Desc = "(b) and (c) on one process, then with half the clients (half of each table, half the projectors) on each of two Nappe processes, the second using the first one's NATS"
		if cfg.Target != "" {
			o.Skipped = "(g) starts two servers on one NATS: it needs spawned ones, not --target"
			return o, nil
		}
		err = s.runDual(ctx, o)
	}
	o.Checks = checks(key, o)
	return o, err
}

// withNappe starts Nappe for one run and stops it after.
func (s *suite) withNappe(key string, run func([]*endpoint) (*Result, error)) (*Result, error) {
	e, err := s.nappe(key)
	if err != nil {
		return nil, err
	}
	defer s.release(e)
	return run([]*endpoint{e})
}

func (s *suite) withBare(key string, run func([]*endpoint) (*Result, error)) (*Result, error) {
	e, err := s.bare(key + "-bare")
	if err != nil {
		return nil, err
	}
	defer s.release(e)
	return run([]*endpoint{e})
}

// rngFor gives each scenario its own reproducible randomness, the same for Nappe and bare.
func (s *suite) rngFor(key string) *rand.Rand {
	return rand.New(rand.NewPCG(s.cfg.Seed, uint64(key[0])))
}

// postingPlan makes the schedule of b, c and d. Open loop: every post has its time before
// anything is sent, and latency is measured from that time.
func (s *suite) postingPlan(key string) ([]postSpec, int) {
	cfg := &s.cfg
	phones := cfg.Tables * cfg.PerTable
	rng := s.rngFor(key)
	var specs []postSpec
	watchers := 0
	switch key {
	case "b":
		specs = steady(rng, phones, cfg.PostEvery, cfg.SteadyFor)
		if cfg.VotesEdits {
			specs = withVotesEdits(rng, specs, phones, cfg.Tables, max(cfg.PostEvery/12, time.Second))
		}
	case "c", "d":
		perm := rng.Perm(phones)
		for k := range cfg.BurstPosts {
			at := time.Duration(rng.Int64N(int64(cfg.BurstWindow)))
			specs = append(specs, postSpec{at: at, author: perm[k%phones], by: phoneClient})
		}
		if key == "d" {
			watchers = cmp.Or(cfg.Watchers, phones)
		}
	}
	slices.SortStableFunc(specs, func(a, b postSpec) int { return cmp.Compare(a.at, b.at) })
	return specs, watchers
}

// steady: each phone posts every `every`, starting at a random moment of its first period.
func steady(rng *rand.Rand, phones int, every, length time.Duration) []postSpec {
	var specs []postSpec
	for i := range phones {
		for at := time.Duration(rng.Int64N(int64(every))); at < length; at += every {
			specs = append(specs, postSpec{at: at, author: i, by: phoneClient})
		}
	}
	slices.SortStableFunc(specs, func(a, b postSpec) int { return cmp.Compare(a.at, b.at) })
	return specs
}

// withVotesEdits adds to a schedule of posts, for each phone, a vote for the first note of a
// table mate (phone i sits at table i mod tables) and an edit of its own first note, each
// between after and 3 × after past the moment that note was due: open loop like the posts, and
// late enough that the note is there. The schedule comes back sorted by time, targets pointing
// into it.
func withVotesEdits(rng *rand.Rand, posts []postSpec, phones, tables int, after time.Duration) []postSpec {
	first := make([]int, phones)
	for i := range first {
		first[i] = -1
	}
	for idx, sp := range posts {
		if first[sp.author] < 0 {
			first[sp.author] = idx
		}
	}
	later := func(idx int) time.Duration {
		return posts[idx].at + after + time.Duration(rng.Int64N(int64(2*after)))
	}
	all := slices.Clone(posts)
	for i := range phones {
		if first[i] < 0 {
			continue
		}
		all = append(all, postSpec{at: later(first[i]), author: i, by: phoneClient, kind: actEdit, target: first[i]})
		// The next phone at the same table, wrapping round (none at a table of one).
		mate := i + tables
		if mate >= phones {
			mate = i % tables
		}
		if mate != i && first[mate] >= 0 {
			all = append(all, postSpec{at: later(first[mate]), author: i, by: phoneClient, kind: actVote, target: first[mate]})
		}
	}
	// Sort by time, keeping where each post went so that targets follow.
	order := make([]int, len(all))
	for k := range order {
		order[k] = k
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(all[a].at, all[b].at) })
	where := make([]int, len(all))
	sorted := make([]postSpec, len(all))
	for to, from := range order {
		where[from] = to
		sorted[to] = all[from]
	}
	for k := range sorted {
		if sorted[k].kind != actPost {
			sorted[k].target = where[sorted[k].target]
		}
	}
	return sorted
}

func (s *suite) postingDesc(key string, specs []postSpec, watchers int) string {
	cfg := &s.cfg
	room := fmt.Sprintf("%d tables × %d phones, %d projectors", cfg.Tables, cfg.PerTable, cfg.Projectors)
	var count [3]int
	for _, sp := range specs {
		count[sp.kind]++
	}
	posts := count[actPost]
	switch key {
	case "b":
		d := fmt.Sprintf("%s; each phone posts every %v for %v (%d posts, %.1f/s)", room, cfg.PostEvery, cfg.SteadyFor, posts, float64(posts)/cfg.SteadyFor.Seconds())
		if count[actVote]+count[actEdit] > 0 {
			after := max(cfg.PostEvery/12, time.Second)
			d += fmt.Sprintf(", and votes for a table mate's note and edits its own %v–%v after each was due (%d votes, %d edits)", after, 3*after, count[actVote], count[actEdit])
		}
		return d
	case "c":
		return fmt.Sprintf("%s; %d posts at random moments within %v", room, posts, cfg.BurstWindow)
	}
	return fmt.Sprintf("%s, plus %d phones watching the whole wall (board key); %d posts at random moments within %v", room, watchers, posts, cfg.BurstWindow)
}

// runPosting is b, c, d (and g's halves): a room connects, posts on the schedule, drains.
func (s *suite) runPosting(ctx context.Context, m mode, eps []*endpoint, key string, specs []postSpec, watchers int) (*Result, error) {
	cfg := &s.cfg
	b := s.newBench(m, key+" "+titles[key], eps)
	defer b.stop()
	r := &Result{Label: m.String(), Processes: len(eps)}
	t0 := time.Now()
	phones := cfg.Tables * cfg.PerTable
	s.logf("(%s) %s: %d phones join", key, m, phones)
	if err := b.prepare(ctx, cfg.Tables, phones); err != nil {
		return nil, err
	}
	r.RSSBefore, _ = b.rss()
	// With two processes, table mates are spread over both (seat k of every table on process
	// k mod 2), as a load balancer would, and so are the walls.
	b.setClients(phones, cfg.Projectors+watchers, 0, specs, func(i int) int {
		if i < phones {
			return (i / cfg.Tables) % len(eps)
		}
		return (i - phones) % len(eps)
	})
	s.logf("(%s) %s: %d sockets connect", key, m, b.total())
	if err := b.connect(ctx, cfg.ConnectTimeout); err != nil {
		return nil, fmt.Errorf("(%s) %s: connect: %w", key, m, err)
	}
	r.RSSConnected = b.settledRSS(ctx)
	r.SetupTime = time.Since(t0)
	var length time.Duration
	if len(specs) > 0 {
		length = specs[len(specs)-1].at
	}
	s.logf("(%s) %s: %d posts over %v", key, m, len(specs), length.Round(time.Millisecond))
	wait := s.profile(b, key, length+time.Second)
	meter := startUsage(b.pids())
	b.launch()
	if err := b.drain(ctx, cfg.Drain); err != nil {
		return nil, err
	}
	r.Usage = meter.stop()
	wait()
	b.finish(ctx, r)
	return r, nil
}

// runIdle is a: the room connects and sits there.
func (s *suite) runIdle(ctx context.Context, m mode, eps []*endpoint) (*Result, error) {
	cfg := &s.cfg
	b := s.newBench(m, titles["a"], eps)
	defer b.stop()
	r := &Result{Label: m.String(), Processes: 1}
	t0 := time.Now()
	phones := cfg.Tables * cfg.PerTable
	s.logf("(a) %s: %d phones join", m, phones)
	if err := b.prepare(ctx, cfg.Tables, phones); err != nil {
		return nil, err
	}
	joining := time.Since(t0)
	// Both ends of the measure are a quiet server: the joins' garbage has had the idle window's
	// time to be collected (and returned, where the server does that) before "before" too.
	if err := sleepCtx(ctx, cfg.IdleFor); err != nil {
		return nil, err
	}
	r.RSSBefore = b.settledRSS(ctx)
	b.setClients(phones, cfg.Projectors, 0, nil, func(int) int { return 0 })
	s.logf("(a) %s: %d sockets connect", m, b.total())
	t1 := time.Now()
	if err := b.connect(ctx, cfg.ConnectTimeout); err != nil {
		return nil, fmt.Errorf("(a) %s: connect: %w", m, err)
	}
	r.SetupTime = joining + time.Since(t1)
	r.RSSConnected = b.settledRSS(ctx)
	wait := s.profile(b, "a", cfg.IdleFor)
	meter := startUsage(b.pids())
	if err := sleepCtx(ctx, cfg.IdleFor); err != nil {
		return nil, err
	}
	r.Usage = meter.stop()
	r.IdleFor = cfg.IdleFor
	r.RSSIdle, _ = b.rss()
	wait()
	b.finish(ctx, r)
	return r, nil
}

// runWall is e: a facilitator fills the wall, then projectors join it one after another.
func (s *suite) runWall(ctx context.Context, m mode, eps []*endpoint) (*Result, error) {
	cfg := &s.cfg
	b := s.newBench(m, titles["e"], eps)
	defer b.stop()
	r := &Result{Label: m.String(), Processes: 1}
	t0 := time.Now()
	if err := b.prepare(ctx, cfg.Tables, 0); err != nil {
		return nil, err
	}
	r.RSSBefore, _ = b.rss()
	specs := make([]postSpec, cfg.WallNotes)
	for k := range specs {
		specs[k] = postSpec{at: time.Duration(float64(k) / cfg.FillRate * float64(time.Second)), by: fillerClient, table: k % cfg.Tables}
	}
	b.setClients(0, cfg.Projectors, 1, specs, func(int) int { return 0 })
	if err := b.connect(ctx, cfg.ConnectTimeout); err != nil {
		return nil, fmt.Errorf("(e) %s: connect: %w", m, err)
	}
	r.RSSConnected, _ = b.rss()
	s.logf("(e) %s: filling the wall with %d notes", m, len(specs))
	b.launch()
	if err := b.drain(ctx, cfg.Drain); err != nil {
		return nil, err
	}
	r.SetupTime = time.Since(t0)
	s.logf("(e) %s: %d projectors join the wall", m, cfg.WallJoins)
	wait := s.profile(b, "e", time.Duration(cfg.WallJoins)*time.Second)
	meter := startUsage(b.pids())
	for range cfg.WallJoins {
		j, err := b.joinWall(ctx)
		if err != nil {
			return nil, fmt.Errorf("(e) %s: projector join: %w", m, err)
		}
		r.Joins = append(r.Joins, j)
	}
	r.Usage = meter.stop()
	wait()
	b.finish(ctx, r)
	return r, nil
}

// runRestart is f.
func (s *suite) runRestart(ctx context.Context, e *endpoint) (*Result, error) {
	cfg := &s.cfg
	b := s.newBench(modeNappe, titles["f"], []*endpoint{e})
	defer b.stop()
	r := &Result{Label: "nappe", Processes: 1}
	t0 := time.Now()
	phones := cfg.Tables * cfg.PerTable
	s.logf("(f) nappe: %d phones join", phones)
	if err := b.prepare(ctx, cfg.Tables, phones); err != nil {
		return nil, err
	}
	r.RSSBefore, _ = b.rss()
	specs := steady(s.rngFor("f"), phones, cfg.RestartPostEvery, cfg.RestartFor)
	b.setClients(phones, cfg.Projectors, 0, specs, func(int) int { return 0 })
	s.logf("(f) nappe: %d sockets connect", b.total())
	if err := b.connect(ctx, cfg.ConnectTimeout); err != nil {
		return nil, fmt.Errorf("(f) connect: %w", err)
	}
	r.RSSConnected = b.settledRSS(ctx)
	r.SetupTime = time.Since(t0)
	meter := startUsage(b.pids())
	base := b.launch()
	select {
	case <-time.After(time.Until(b.start.Add(base + cfg.RestartAt))):
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	s.logf("(f) nappe: SIGTERM with %d posts sent, %d acknowledged", b.sent.Load(), b.ackedN.Load())
	r.SentBeforeRestart = int(b.sent.Load())
	restartAt := time.Now()
	stopped, oldCPU, err := s.restart(e)
	if err != nil {
		return nil, fmt.Errorf("(f) restart: %w", err)
	}
	r.StopTime, r.Downtime = stopped, time.Since(restartAt)
	s.logf("(f) nappe: stopped in %v, listening again after %v", stopped.Round(time.Millisecond), r.Downtime.Round(time.Millisecond))
	gen := e.current().gen
	err = waitFor(ctx, restartAt.Add(time.Minute), func() bool { return b.syncedGen[gen].Load() == int64(b.total()) }, func() string {
		return fmt.Sprintf("%d of %d back", b.syncedGen[gen].Load(), b.total())
	})
	if err == nil {
		r.Back = true
		r.BackAfter = time.Unix(0, b.allSyncedAt[gen].Load()).Sub(restartAt)
		s.logf("(f) nappe: everyone back and caught up %v after SIGTERM", r.BackAfter.Round(time.Millisecond))
	} else {
		b.problem("%v", err)
		r.BackCount = int(b.syncedGen[gen].Load())
	}
	if err := b.drain(ctx, cfg.Drain); err != nil {
		return nil, err
	}
	r.Usage = meter.stop()
	// The first process's CPU, up to its exit, then the second one's whole life.
	r.Usage.Server = oldCPU - meter.server + serversCPU(b.pids())
	b.finish(ctx, r)
	return r, nil
}

// runDual is g: b and c over two processes, compared with one.
func (s *suite) runDual(ctx context.Context, o *Outcome) error {
	// One process then two, back to back for each of b and c, so that both see the same machine
	// (b's and c's own runs may be minutes away, with other programs busy in between).
	for _, key := range []string{"b", "c"} {
		specs, _ := s.postingPlan(key)
		single, err := s.withNappe("g-"+key, func(eps []*endpoint) (*Result, error) {
			return s.runPosting(ctx, modeNappe, eps, key, specs, 0)
		})
		if err != nil {
			return err
		}
		dual, err := s.runPair(ctx, key)
		if err != nil {
			return err
		}
		o.Pairs = append(o.Pairs, Pair{Key: key, Single: single, Dual: dual})
	}
	return nil
}

// runPair runs b or c on two fresh processes: the first with its NATS listening, the second using it.
func (s *suite) runPair(ctx context.Context, key string) (*Result, error) {
	a, err := s.nappe("g-"+key+"-1", "--nats-listen", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	defer s.release(a)
	if a.child.natsURL == "" {
		return nil, fmt.Errorf("(g) the first process did not print its NATS URL")
	}
	b, err := s.nappe("g-"+key+"-2", "--nats-url", a.child.natsURL, "--replicas", "1")
	if err != nil {
		return nil, err
	}
	defer s.release(b) // stopped before the first, whose NATS it uses
	specs, _ := s.postingPlan(key)
	r, err := s.runPosting(ctx, modeNappe, []*endpoint{a, b}, key, specs, 0)
	if err != nil {
		return nil, err
	}
	r.Label = "nappe ×2"
	return r, nil
}

// sleepCtx waits d, or less if ctx ends first.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
