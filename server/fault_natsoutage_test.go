package main

import (
	"context"
	"sync"
	"testing"
	"time"
)

// outageFor is how long the whole NATS cluster stays down.
const outageFor = 10 * time.Second

// Every node of the external NATS cluster is killed (SIGKILL) while phones post through two
// Nappe processes, stays down for ten seconds, then comes back on the same ports and stores.
// Meanwhile posts are refused as `unavailable` (quickly, not after a hang), /readyz says 503,
// and nothing is acknowledged; afterwards both processes recover by themselves (/readyz 200,
// posts acknowledged again, each process sees what the other stores) without being restarted,
// and every note acknowledged before, during or after is stored exactly once.
func TestFaultNATSClusterDownTenSeconds(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a three-node NATS cluster and two nappe processes")
	}
	repeatFault(t, func(t *testing.T) {
		start := time.Now()
		nc := startNATSCluster(t, 3)
		s := startTwoProcesses(t, nc, nc.urls(), nc.urls())
		a, b, c, led, phones := s.a, s.b, s.c, s.led, s.phones

		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		defer cancel()
		stop := make(chan struct{})
		wait := runPhones(ctx, phones, "down", stop)
		var stopOnce sync.Once
		finish := func() {
			stopOnce.Do(func() {
				close(stop)
				wait()
			})
		}
		defer func() { cancel(); finish() }()

		awaitCond(t, 30*time.Second, "5 posts acknowledged per phone", func() bool {
			return allPhones(phones, func(p *postPhone) bool { return p.acks.Load() >= 5 })
		}, func() string { return describePhones(phones) })

		for _, n := range nc.nodes {
			n.cmd.Process.Kill() // all at once, not one after the other
		}
		for _, n := range nc.nodes {
			n.kill()
		}
		down := time.Now()
		acksAtOutage := led.ackCount()
		unavailableBefore := led.refusedCount("unavailable")

		// While the cluster is down: not ready, and posts refused.
		awaitCond(t, 10*time.Second, "/readyz 503 on both processes", func() bool {
			return readyzStatus(a.url) == 503 && readyzStatus(b.url) == 503
		})
		notReady := time.Since(down)
		awaitCond(t, outageFor, "a refusal for every phone", func() bool {
			return led.refusedCount("unavailable")-unavailableBefore >= len(phones)
		}, func() string { return describePhones(phones) })
		firstRefusals := time.Since(down)
		for time.Since(down) < outageFor { // the outage lasts; keep checking what it shows
			if st := readyzStatus(a.url); st != 503 {
				t.Errorf("/readyz on A during the outage: %d", st)
			}
			time.Sleep(200 * time.Millisecond) // the outage's duration, not synchronisation
		}
		// Only posts whose append reached a node before the kill may have been acknowledged
		// after it: a handful at most, one per phone.
		ackedDuring := led.ackCount() - acksAtOutage
		if ackedDuring > len(phones) {
			t.Errorf("%d posts acknowledged while every NATS node was down", ackedDuring)
		}
		refusedDuring := led.refusedCount("unavailable") - unavailableBefore

		for _, n := range nc.nodes {
			n.launch()
		}
		for _, n := range nc.nodes {
			n.waitReady()
		}
		back := time.Now()
		nc.waitJetStream(t, 30*time.Second)
		before := make([]int64, len(phones))
		for i, p := range phones {
			before[i] = p.acks.Load()
		}
		awaitCond(t, 45*time.Second, "/readyz 200 on both processes", func() bool {
			return readyzStatus(a.url) == 200 && readyzStatus(b.url) == 200
		})
		ready := time.Since(back)
		awaitCond(t, 45*time.Second, "5 more posts acknowledged per phone", func() bool {
			for i, p := range phones {
				if p.acks.Load() < before[i]+5 {
					return false
				}
			}
			return true
		}, func() string { return describePhones(phones) })
		recovered := time.Since(back)
		finish()
		checkOrdering(t, phones)

		got := settleLedger(t, a.url, c, led, 10*time.Second)
		settleLedger(t, b.url, c, led, 10*time.Second)
		if got.unknown != 0 {
			t.Errorf("%d notes still unanswered after the phones flushed their outboxes", got.unknown)
		}
		t.Logf("NATS cluster down %v: %v; /readyz 503 after %v; every phone refused within %v; %d refusals (unavailable) and %d acks during the outage; %d posts cut off (%d of them had been stored); after the restart /readyz 200 in %v, posts acknowledged again on every phone in %v; test %v",
			outageFor, got, notReady.Round(time.Millisecond), firstRefusals.Round(time.Millisecond), refusedDuring, ackedDuring, led.cut, led.cutLanded,
			ready.Round(time.Millisecond), recovered.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
	})
}
