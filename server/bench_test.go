package main

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"nappe/internal/loadtest"
)

// The load tool, end to end at a tiny size: it spawns the real binary (and the bare baseline
// through the hidden bench-bare subcommand), runs the steady, burst, full-wall and restart
// scenarios, and finds every post acknowledged and delivered, nothing lost.
func TestBenchSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns servers")
	}
	cfg := loadtest.DefaultConfig()
	cfg.Bin = binary(t)
	cfg.Scenarios = []string{"b", "c", "e", "f"}
	cfg.Baseline = true
	cfg.Tables, cfg.PerTable, cfg.Projectors = 4, 5, 2
	cfg.PostEvery, cfg.SteadyFor = 500*time.Millisecond, 1500*time.Millisecond
	cfg.BurstPosts, cfg.BurstWindow = 100, time.Second
	cfg.WallNotes, cfg.WallJoins = 100, 2
	cfg.RestartPostEvery, cfg.RestartFor, cfg.RestartAt = 500*time.Millisecond, 3*time.Second, time.Second
	cfg.Drain = 20 * time.Second
	var out strings.Builder
	cfg.Out, cfg.Log = &out, &testLog{t: t}
	outcomes, err := loadtest.Run(context.Background(), cfg)
	t.Log("\n" + out.String())
	if err != nil {
		t.Fatal(err)
	}
	if len(outcomes) != 4 {
		t.Fatalf("%d outcomes", len(outcomes))
	}
	for _, o := range outcomes {
		if o.Err != nil {
			t.Errorf("(%s): %v", o.Key, o.Err)
			continue
		}
		rs := []*loadtest.Result{o.Nappe}
		if o.Key != "f" {
			if o.Bare == nil {
				t.Errorf("(%s): no baseline run", o.Key)
			} else {
				rs = append(rs, o.Bare)
			}
		}
		for _, r := range rs {
			if r == nil {
				t.Fatalf("(%s): no result", o.Key)
			}
			if r.Posts == 0 || r.Sent != r.Posts || r.Acked != r.Posts || r.Lost != 0 || r.Unknown != 0 || r.Refused != 0 {
				t.Errorf("(%s) %s: %d posts, %d sent, %d acked, %d lost, %d unknown, %d refused; %v",
					o.Key, r.Label, r.Posts, r.Sent, r.Acked, r.Lost, r.Unknown, r.Refused, r.Problems)
			}
			if r.Delivery.N == 0 || r.Delivery.P50 <= 0 || r.Delivery.Max < r.Delivery.P99 || r.Ack.P50 <= 0 {
				t.Errorf("(%s) %s: latencies %+v, ack %+v", o.Key, r.Label, r.Delivery, r.Ack)
			}
			if o.Key == "b" && (r.Votes == 0 || r.AckedVotes != r.Votes || r.Edits == 0 || r.AckedEdits != r.Edits) {
				t.Errorf("(b) %s: votes %d of %d acknowledged, edits %d of %d", r.Label, r.AckedVotes, r.Votes, r.AckedEdits, r.Edits)
			}
			if r.OrderErrors != 0 {
				t.Errorf("(%s) %s: %d events out of order", o.Key, r.Label, r.OrderErrors)
			}
		}
		if o.Nappe.RSSConnected <= 0 {
			t.Errorf("(%s): server memory not measured", o.Key)
		}
		switch o.Key {
		case "e":
			for _, r := range rs {
				if len(r.Joins) != 2 || r.Joins[0].Notes != 100 || r.Joins[0].Took <= 0 {
					t.Errorf("(e) %s: joins %+v", r.Label, r.Joins)
				}
			}
		case "f":
			if !o.Nappe.Back || o.Nappe.BackAfter <= 0 || o.Nappe.Reconnects < int64(o.Nappe.Conns) {
				t.Errorf("(f): back %v after %v, %d reconnects of %d clients", o.Nappe.Back, o.Nappe.BackAfter, o.Nappe.Reconnects, o.Nappe.Conns)
			}
		}
		for _, c := range o.Checks {
			if strings.Contains(c.Name, "lost") && !c.Pass {
				t.Errorf("(%s) target %q missed: %s", o.Key, c.Name, c.Detail)
			}
		}
	}
	for _, want := range []string{"== (b) steady posting", "== (c) round-end burst", "== (e) a projector joins a full wall",
		"== (f) reconnect storm", "posts sent / acked / lost / unknown", "nappe/bare", "== targets"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

// `nappe bench` is dispatched to the load tool, which checks its flags before starting anything.
func TestBenchCommandRefusesUnknownScenario(t *testing.T) {
	err := run(context.Background(), []string{"bench", "--scenario", "z"}, func(string) string { return "" }, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), `unknown scenario "z"`) {
		t.Fatalf("got %v", err)
	}
}
