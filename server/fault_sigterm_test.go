package main

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// SIGTERM in the middle of a burst is a graceful stop: every connected client (phones posting,
// a projector, a console) gets {"t":"bye","reason":"shutdown"} then close 1001; the process exits
// with status 0 within its shutdown grace (shutdownGrace); after a restart on the same data
// directory the phones resume and resend, and every acknowledged note is stored exactly once.
func TestFaultSIGTERMMidBurstDrains(t *testing.T) {
	repeatFault(t, func(t *testing.T) {
		start := time.Now()
		data := t.TempDir()
		p := startNappe(t, 30*time.Second, "--data", data)
		var url atomic.Value
		url.Store(p.url)
		c := newCafé(t, p.server())
		led := newLedger()
		phones := newPhones(t, p.server(), c, 6, led, func() []string { return []string{url.Load().(string)} })
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		var watchers []*fconn
		for _, key := range []string{c.BoardKey, c.FacilitatorKey} {
			w, err := fonline(ctx, p.url, c.Workshop.ID, key, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer w.ws.CloseNow()
			watchers = append(watchers, w)
		}
		stop := make(chan struct{})
		wait := runPhones(ctx, phones, "term", stop)
		var once sync.Once
		finish := func() { once.Do(func() { close(stop); wait() }) }
		defer func() { cancel(); finish() }()

		awaitCond(t, 30*time.Second, "10 posts acknowledged per phone", func() bool {
			return allPhones(phones, func(p *postPhone) bool { return p.acks.Load() >= 10 })
		}, func() string { return describePhones(phones) })
		before := make([]int64, len(phones))
		for i, ph := range phones {
			before[i] = ph.acks.Load()
		}
		p.signal(syscall.SIGTERM)
		termed := time.Now()
		if code := p.waitExit(shutdownGrace + 5*time.Second); code != 0 {
			t.Errorf("exit status %d after SIGTERM, want 0", code)
		}
		exitedIn := time.Since(termed)
		if exitedIn > shutdownGrace {
			t.Errorf("exited %v after SIGTERM, beyond its %v grace", exitedIn, shutdownGrace)
		}
		for i, w := range watchers {
			select {
			case <-w.closed:
			case <-time.After(5 * time.Second):
				t.Fatalf("watcher %d: connection still open after the process exited", i)
			}
			if e := w.end(); !slices.Contains(e.byes, "shutdown") || e.status != websocket.StatusGoingAway {
				t.Errorf("watcher %d ended with goodbyes %v and close %d, want bye shutdown and 1001", i, e.byes, e.status)
			}
		}

		p2 := startNappe(t, 30*time.Second, "--data", data)
		url.Store(p2.url)
		awaitCond(t, 30*time.Second, "every phone back, with 5 more posts acknowledged", func() bool {
			for i, ph := range phones {
				if ph.reconnects.Load() == 0 || ph.acks.Load() < before[i]+5 {
					return false
				}
			}
			return true
		}, func() string { return describePhones(phones) })
		finish()
		checkOrdering(t, phones)
		for _, ph := range phones {
			// The connection open at SIGTERM is the first one that ended.
			if len(ph.ends) == 0 {
				t.Errorf("%s: no connection ended", ph.name)
				continue
			}
			if e := ph.ends[0]; !slices.Contains(e.byes, "shutdown") || e.status != websocket.StatusGoingAway {
				t.Errorf("%s: connection ended with goodbyes %v and close %d, want bye shutdown and 1001", ph.name, e.byes, e.status)
			}
		}
		got := settleLedger(t, p2.url, c, led, 5*time.Second)
		if got.unknown != 0 {
			t.Errorf("%d notes still unanswered after the phones flushed their outboxes", got.unknown)
		}
		t.Logf("SIGTERM mid-burst: %v; %d posts cut off by the stop (sent, unanswered before the close), of which %d had been stored; exit 0 after %v; test %v",
			got, led.cut, led.cutLanded, exitedIn.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
	})
}
