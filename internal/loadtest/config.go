package loadtest

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"slices"
	"strings"
	"time"
)

// Config is everything a run can be told. The zero value of a size means its default
// (DefaultConfig); Main fills it from flags.
type Config struct {
	Scenarios []string // a b c d e f g, in the order given
	Target    string   // a running Nappe (http://host:port); empty: spawn one
	Baseline  bool     // also run each scenario against the bare server
	Bin       string   // the nappe binary to spawn (it also serves bench-bare and bench-serve)

	Tables, PerTable, Projectors int

	IdleFor time.Duration // (a) how long to watch the idle room

	PostEvery, SteadyFor time.Duration // (b) each phone posts every PostEvery, for SteadyFor
	// VotesEdits (b): each phone also votes for a table mate's first note and edits its own, a
	// few seconds after they were due.
	VotesEdits bool

	BurstPosts  int           // (c, d)
	BurstWindow time.Duration // (c, d)
	Watchers    int           // (d) phones watching the wall; 0: one per phone

	WallNotes int     // (e) notes on the wall
	WallJoins int     // (e) projector joins measured
	FillRate  float64 // (e) notes a second while filling the wall

	RestartPostEvery time.Duration // (f) each phone posts this often…
	RestartFor       time.Duration // (f) …for this long
	RestartAt        time.Duration // (f) the server is restarted this long into it

	ParticipantRate float64 // --participant-rate given to spawned servers
	Seed            uint64
	Drain           time.Duration // how long to wait after the last post for answers and deliveries
	ConnectTimeout  time.Duration // for a whole room to connect and be seated
	ProfileDir      string        // write CPU and heap profiles of spawned servers here
	DialConcurrency int
	SourceIPs       int      // loopback source addresses to spread connections over
	ServerArgs      []string // more flags for spawned Nappe servers
	KeepData        bool     // keep the run directory (data and logs)
	Verbose         bool

	Out io.Writer // the report
	Log io.Writer // progress, while it runs
}

// DefaultConfig has the sizes of the spec: a café of 2,000 phones at 100 tables of 20.
func DefaultConfig() Config {
	return Config{
		Scenarios: []string{"a", "b", "c", "d", "e", "f", "g"},
		Tables:    100, PerTable: 20, Projectors: 3,
		IdleFor:   10 * time.Second,
		PostEvery: time.Minute, SteadyFor: time.Minute, VotesEdits: true,
		BurstPosts: 2000, BurstWindow: 10 * time.Second,
		WallNotes: 5000, WallJoins: 20, FillRate: 1000,
		RestartPostEvery: 20 * time.Second, RestartFor: 30 * time.Second, RestartAt: 5 * time.Second,
		ParticipantRate: 1000,
		Seed:            1,
		Drain:           30 * time.Second,
		ConnectTimeout:  3 * time.Minute,
		DialConcurrency: 64,
		SourceIPs:       16,
		Out:             os.Stdout,
		Log:             os.Stderr,
	}
}

const usageText = `nappe bench: load-test Nappe with simulated phones and projectors.

  go run ./server bench [flags]

By default it starts its own Nappe (this same program, on a free loopback port and a
temporary data directory) so that it can read the server's CPU time and memory; --target
uses a running server instead. Scenarios:

  a  2,000 phones and 3 projectors, idle: memory per idle connection (always with the bare baseline)
  b  100 tables of 20, steady posting (each phone once a minute)
  c  round-end burst: 2,000 posts in 10 s
  d  the burst of (c) while every phone also watches the whole wall
  e  a projector joining a wall of 5,000 notes: time from connect to synced
  f  reconnect storm: the server restarts (SIGTERM, same data, new port) while phones post
  g  (b) and (c) over two Nappe processes sharing one NATS, against one process

Flags:
`

// Main is the bench subcommand: flags in, report out.
func Main(ctx context.Context, args []string, bin string, stdout, stderr io.Writer) error {
	cfg := DefaultConfig()
	cfg.Bin, cfg.Out, cfg.Log = bin, stdout, stderr
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usageText)
		fs.PrintDefaults()
	}
	scenarios := fs.String("scenario", "all", "scenarios to run: a,b,c,d,e,f,g or all")
	fs.StringVar(&cfg.Target, "target", "", "URL of a running Nappe to test (server CPU and memory are then not reported; f and g need a spawned server)")
	fs.BoolVar(&cfg.Baseline, "baseline", false, "also run each scenario against a bare coder/websocket broadcast server and print Nappe/bare ratios")
	fs.StringVar(&cfg.Bin, "bin", "", "nappe binary to spawn (default: this program)")
	fs.IntVar(&cfg.Tables, "tables", cfg.Tables, "tables")
	fs.IntVar(&cfg.PerTable, "per-table", cfg.PerTable, "phones per table")
	fs.IntVar(&cfg.Projectors, "projectors", cfg.Projectors, "projectors (board key), in every scenario")
	fs.DurationVar(&cfg.IdleFor, "idle-for", cfg.IdleFor, "(a) how long to watch the idle room")
	fs.DurationVar(&cfg.PostEvery, "post-every", cfg.PostEvery, "(b) each phone posts this often")
	fs.DurationVar(&cfg.SteadyFor, "steady-for", cfg.SteadyFor, "(b) how long phones post")
	fs.BoolVar(&cfg.VotesEdits, "votes-edits", cfg.VotesEdits, "(b) each phone also votes for a table mate's note and edits its own")
	fs.IntVar(&cfg.BurstPosts, "burst-posts", cfg.BurstPosts, "(c, d) posts in the round-end burst")
	fs.DurationVar(&cfg.BurstWindow, "burst-window", cfg.BurstWindow, "(c, d) the burst's length")
	fs.IntVar(&cfg.Watchers, "watchers", 0, "(d) phones watching the whole wall; 0: every phone")
	fs.IntVar(&cfg.WallNotes, "wall-notes", cfg.WallNotes, "(e) notes on the wall")
	fs.IntVar(&cfg.WallJoins, "wall-joins", cfg.WallJoins, "(e) projector joins to measure")
	fs.Float64Var(&cfg.FillRate, "fill-rate", cfg.FillRate, "(e) notes a second while filling the wall")
	fs.DurationVar(&cfg.RestartPostEvery, "restart-post-every", cfg.RestartPostEvery, "(f) each phone posts this often")
	fs.DurationVar(&cfg.RestartFor, "restart-for", cfg.RestartFor, "(f) how long phones post")
	fs.DurationVar(&cfg.RestartAt, "restart-at", cfg.RestartAt, "(f) when the server is restarted, from the first post")
	fs.Float64Var(&cfg.ParticipantRate, "participant-rate", cfg.ParticipantRate, "--participant-rate of spawned servers (high enough not to throttle the scenario)")
	fs.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "random seed of the schedules")
	fs.DurationVar(&cfg.Drain, "drain", cfg.Drain, "after the last post, how long to wait for answers and deliveries")
	fs.DurationVar(&cfg.ConnectTimeout, "connect-timeout", cfg.ConnectTimeout, "for a whole room to connect and be seated")
	fs.StringVar(&cfg.ProfileDir, "profile", "", "directory for CPU, heap and goroutine profiles (go tool pprof) and runtime memory and scheduling figures of the spawned servers")
	fs.IntVar(&cfg.DialConcurrency, "dial-concurrency", cfg.DialConcurrency, "connections opened at once while a room connects")
	fs.IntVar(&cfg.SourceIPs, "source-ips", cfg.SourceIPs, "loopback source addresses to spread connections over (Nappe limits joins per address)")
	serverArgs := fs.String("server-args", "", "more flags for spawned Nappe servers, space-separated")
	fs.BoolVar(&cfg.KeepData, "keep", false, "keep the run directory (server data and logs)")
	fs.BoolVar(&cfg.Verbose, "v", false, "more progress on standard error")
	selfProfile := fs.String("self-profile", "", "write a CPU profile of this tool (the clients) to this file")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("bench: unexpected argument %q", fs.Arg(0))
	}
	if cfg.Bin == "" {
		cfg.Bin = bin
	}
	if *scenarios != "all" {
		cfg.Scenarios = nil
		for _, s := range strings.Split(*scenarios, ",") {
			if s = strings.TrimSpace(s); s != "" {
				cfg.Scenarios = append(cfg.Scenarios, s)
			}
		}
	}
	cfg.ServerArgs = strings.Fields(*serverArgs)
	if *selfProfile != "" {
		f, err := os.Create(*selfProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	_, err := Run(ctx, cfg)
	return err
}

func (c *Config) validate() error {
	for _, s := range c.Scenarios {
		if !slices.Contains([]string{"a", "b", "c", "d", "e", "f", "g"}, s) {
			return fmt.Errorf("bench: unknown scenario %q (a to g, or all)", s)
		}
	}
	if c.Tables < 1 || c.PerTable < 1 || c.Projectors < 0 {
		return fmt.Errorf("bench: need at least one table and one phone per table")
	}
	if c.Target == "" && c.Bin == "" {
		return fmt.Errorf("bench: no nappe binary to spawn (--bin) and no --target")
	}
	if c.Out == nil {
		c.Out = io.Discard
	}
	if c.Log == nil {
		c.Log = io.Discard
	}
	return nil
}
