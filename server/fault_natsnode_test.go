package main

import (
	"context"
	"sync"
	"syscall"
	"testing"
	"time"
)

// eventStream is the JetStream stream that holds every workshop's events (internal/eventlog).
const eventStream = "NAPPE_EVENTS"

// nodeFaultSetup is a three-node cluster with process A connected to node n0, which also leads
// the event stream, and process B connected to n1; three phones post through each process.
func nodeFaultSetup(t *testing.T) (*twoProcesses, func(), func()) {
	t.Helper()
	nc := startNATSCluster(t, 3)
	s := startTwoProcesses(t, nc, nc.nodes[0].url, nc.nodes[1].url)
	nc.moveStreamLeader(t, eventStream, nc.nodes[0])
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	stop := make(chan struct{})
	wait := runPhones(ctx, s.phones, "node", stop)
	var once sync.Once
	finish := func() {
		once.Do(func() {
			close(stop)
			wait()
			cancel()
		})
	}
	t.Cleanup(func() { cancel(); finish() })
	awaitCond(t, 30*time.Second, "5 posts acknowledged per phone", func() bool {
		return s.acked(make([]int64, len(s.phones)), 0, len(s.phones), 5)
	}, s.describe)
	return s, finish, cancel
}

// The NATS node that leads the event stream, and that process A is connected to, is killed with
// SIGKILL while phones post through A and B. Posts are refused as `unavailable` (or delayed)
// during the election, then acknowledged again on every phone; the node comes back on its ports
// and store while the posts go on; every acknowledged note is stored exactly once.
func TestFaultNATSNodeKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a three-node NATS cluster and two nappe processes")
	}
	repeatFault(t, func(t *testing.T) {
		start := time.Now()
		s, finish, _ := nodeFaultSetup(t)
		n0 := s.nc.nodes[0]
		before := s.acks()
		unavailable := s.led.refusedCount("unavailable")

		n0.kill()
		killed := time.Now()
		resumed := awaitCond(t, 30*time.Second, "a post acknowledged on every phone after the kill", func() bool {
			return s.acked(before, 0, len(s.phones), 1)
		}, s.describe)
		awaitCond(t, 30*time.Second, "5 posts acknowledged per phone after the kill", func() bool {
			return s.acked(before, 0, len(s.phones), 5)
		}, s.describe)
		refused := s.led.refusedCount("unavailable") - unavailable
		leader, _ := s.nc.streamLeader(eventStream)
		newLeader := "?"
		if leader != nil {
			newLeader = leader.cfg.Name
		}

		n0.start() // same ports, same store
		rejoined := s.acks()
		awaitCond(t, 30*time.Second, "5 more posts per phone with n0 back", func() bool {
			return s.acked(rejoined, 0, len(s.phones), 5)
		}, s.describe)
		s.nc.waitJetStream(t, 10*time.Second)
		finish()
		checkOrdering(t, s.phones)
		got := settleLedger(t, s.a.url, s.c, s.led, 10*time.Second)
		settleLedger(t, s.b.url, s.c, s.led, 10*time.Second)
		if got.unknown != 0 {
			t.Errorf("%d notes still unanswered after the phones flushed their outboxes", got.unknown)
		}
		t.Logf("kill -9 of the stream leader n0 (A's node): %v; %d refused as unavailable during the election, %d posts cut off; every phone acknowledged again after %v (new leader %s; since the kill %v); test %v",
			got, refused, s.led.cut, resumed.Round(time.Millisecond), newLeader, time.Since(killed).Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
	})
}

// The NATS node that leads the event stream, and that process A is connected to, is paused
// (SIGSTOP) while phones post through A and B, then resumed (SIGCONT): a frozen machine, or a
// long garbage-collection or I/O stall. The others elect a new leader and B's phones go on
// posting; once the node resumes everyone's posts are acknowledged again; every acknowledged note
// is stored exactly once (a paused leader that resumes must not make anything acknowledged
// disappear, nor store a refused or duplicated note).
func TestFaultNATSNodePause(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a three-node NATS cluster and two nappe processes")
	}
	repeatFault(t, func(t *testing.T) {
		start := time.Now()
		s, finish, _ := nodeFaultSetup(t)
		n0 := s.nc.nodes[0]
		before := s.acks()
		unavailable := s.led.refusedCount("unavailable")

		n0.signal(syscall.SIGSTOP)
		paused := time.Now()
		resumedB := awaitCond(t, 30*time.Second, "3 posts acknowledged on each of B's phones while n0 is paused", func() bool {
			return s.acked(before, 3, 6, 3)
		}, s.describe)
		// A is connected to the paused node: it notices that the node stopped answering (pings
		// every 2 s) and moves to another one, so its phones are acknowledged again while n0 is
		// still paused.
		awaitCond(t, 20*time.Second, "A's phones acknowledged again while n0 is still paused", func() bool {
			return s.acked(before, 0, 3, 1)
		}, s.describe)
		// What a load balancer's health check sees now (0: no answer within 3 s).
		readyA, readyB := readyzWithin(s.a.url, 3*time.Second), readyzWithin(s.b.url, 3*time.Second)
		duringA := s.acks()
		var ackedA int64
		for i := range 3 {
			ackedA += duringA[i] - before[i]
		}
		n0.signal(syscall.SIGCONT)
		pausedFor := time.Since(paused)
		refusedPaused := s.led.refusedCount("unavailable") - unavailable
		cont := s.acks()
		resumedA := awaitCond(t, 30*time.Second, "3 posts acknowledged per phone after SIGCONT", func() bool {
			return s.acked(cont, 0, len(s.phones), 3)
		}, s.describe)
		finish()
		checkOrdering(t, s.phones)
		got := settleLedger(t, s.a.url, s.c, s.led, 10*time.Second)
		settleLedger(t, s.b.url, s.c, s.led, 10*time.Second)
		if got.unknown != 0 {
			t.Errorf("%d notes still unanswered after the phones flushed their outboxes", got.unknown)
		}
		t.Logf("SIGSTOP of the stream leader n0 (A's node) for %v: %v; %d refused as unavailable while paused, %d posts cut off; B's phones acknowledged again after %v; A's phones had %d posts acknowledged while paused (/readyz then: A %d, B %d); after SIGCONT every phone acknowledged again within %v; test %v",
			pausedFor.Round(time.Millisecond), got, refusedPaused, s.led.cut, resumedB.Round(time.Millisecond), ackedA, readyA, readyB, resumedA.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
	})
}
