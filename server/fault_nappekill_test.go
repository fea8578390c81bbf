package main

import (
	"context"
	"syscall"
	"testing"
	"time"
)

// Two Nappe processes share a three-node NATS cluster (three replicas, every write fsynced).
// Phones connected to process A post as fast as they are answered; A is killed with SIGKILL
// mid-burst; the phones reconnect to B, resume from the version they had, resend what was
// unanswered with the same ids and go on posting. Every acknowledged note is then stored exactly
// once, as a fresh snapshot on B and a third process started afterwards both show.
func TestFaultNappeKill9PhonesMoveToOtherProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a three-node NATS cluster and two nappe processes")
	}
	repeatFault(t, func(t *testing.T) {
		start := time.Now()
		nc := startNATSCluster(t, 3)
		a := startNappe(t, 30*time.Second, "--nats-url", nc.urls())
		b := startNappe(t, 30*time.Second, "--nats-url", nc.urls())
		c := newCafé(t, a.server())
		led := newLedger()
		// A load balancer's view: A first while it answers, else B.
		phones := newPhones(t, a.server(), c, 6, led, func() []string { return []string{a.url, b.url} })

		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		stop := make(chan struct{})
		wait := runPhones(ctx, phones, "k9", stop)
		stopped := false
		defer func() {
			if !stopped {
				close(stop)
				cancel()
				wait()
			}
		}()

		awaitCond(t, 30*time.Second, "10 posts acknowledged per phone on A", func() bool {
			return allPhones(phones, func(p *postPhone) bool { return p.acks.Load() >= 10 })
		})
		before := make([]int64, len(phones))
		for i, p := range phones {
			before[i] = p.acks.Load()
		}
		a.signal(syscall.SIGKILL)
		if code := a.waitExit(5 * time.Second); code != -1 {
			t.Fatalf("A exited with %d, not killed", code)
		}
		killed := time.Now()
		awaitCond(t, 30*time.Second, "every phone on B with 10 more posts acknowledged", func() bool {
			for i, p := range phones {
				if p.reconnects.Load() == 0 || p.acks.Load() < before[i]+10 {
					return false
				}
			}
			return true
		}, func() string { return describePhones(phones) })
		moved := time.Since(killed)
		close(stop)
		wait()
		stopped = true
		checkOrdering(t, phones)

		got := settleLedger(t, b.url, c, led, 10*time.Second)
		if got.unknown != 0 {
			t.Errorf("%d notes still unanswered after the phones flushed their outboxes", got.unknown)
		}
		// The store itself, as a process that never saw the workshop loads it.
		fresh := startNappe(t, 30*time.Second, "--nats-url", nc.urls())
		settleLedger(t, fresh.url, c, led, 10*time.Second)
		t.Logf("kill -9 of a nappe process mid-burst, phones moved to the other: %v; %d posts cut off by the kill and resent (%d of them had been stored); back to 10 acks per phone on B in %v; test %v",
			got, led.cut, led.cutLanded, moved.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
	})
}
