package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"
)

// mountTmpfs mounts a tmpfs of size bytes on a new directory, or skips the test when this
// process may not mount (not root, or no CAP_SYS_ADMIN in its container).
func mountTmpfs(t *testing.T, size int) string {
	t.Helper()
	dir := t.TempDir()
	out, err := exec.Command("mount", "-t", "tmpfs", "-o", fmt.Sprintf("size=%d", size), "tmpfs", dir).CombinedOutput()
	if err != nil {
		t.Skipf("cannot mount a small tmpfs to fill (needs root): %v %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v %s", dir, err, out)
		}
	})
	return dir
}

// fillDisk writes a file until the filesystem is full, as a runaway log or another program on the
// same disk would, and returns its path.
func fillDisk(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "filler")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 4096)
	for {
		if _, err := f.Write(chunk); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("filling the disk: %v", err)
			}
			return path
		}
	}
}

// onePost sends one note, once (no retry), and returns the answer: its kind, its code ("" for an
// ack) and how long it took. A retryable refusal is recorded as given up.
func onePost(c *fconn, led *ledger, text string) (answerKind, string, time.Duration) {
	p := pendingPost{cmdID: uuid.NewString(), noteID: uuid.NewString(), text: text, sentAt: time.Now()}
	m, kind := c.request(p.cmdID, "note.post", map[string]any{"note": p.noteID, "text": p.text}, 20*time.Second)
	took := time.Since(p.sentAt)
	led.record(p, m, kind, c.syncedV)
	if kind != answered {
		return kind, "", took
	}
	if m["t"] == "ack" {
		return answered, "", took
	}
	code, _ := m["code"].(string)
	if code == "unavailable" || code == "rate_limited" {
		led.giveUp(text, code)
	}
	return answered, code, took
}

// The embedded store's disk fills up: the data directory is a small tmpfs, filled by another
// file (a runaway log, another program), so that JetStream's own writes fail with ENOSPC, as on a
// real full disk. Posts to any workshop are then refused with a typed error, never acknowledged;
// the process stays up and reads keep working (state, join info, a projector connecting); after
// space is freed and the process restarted, everything acknowledged is stored exactly once, the
// refused posts are not, and posts are acknowledged again. Whether posts are acknowledged again
// once space is freed, without a restart, is reported (NAPPE_FAULT_STRICT=1 requires it).
// Skipped when this process cannot mount a tmpfs (not root).
func TestFaultDiskFullEmbeddedStore(t *testing.T) {
	repeatFault(t, func(t *testing.T) {
		start := time.Now()
		data := mountTmpfs(t, 32<<20)
		p := startNappe(t, 30*time.Second, "--data", data)
		cafés := []café{newCafé(t, p.server()), newCafé(t, p.server())}
		leds := []*ledger{newLedger(), newLedger()}
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		phones := make([]*fconn, len(cafés))
		for i, c := range cafés {
			who := joinCafé(t, p.server(), c, fmt.Sprint("Ada", i), c.tables[0])
			var err error
			if phones[i], err = fonline(ctx, p.url, c.Workshop.ID, who.token, 0); err != nil {
				t.Fatal(err)
			}
			defer phones[i].ws.CloseNow()
			for n := range 10 {
				if kind, code, _ := onePost(phones[i], leds[i], fmt.Sprintf("before-w%d-%d", i, n)); kind != answered || code != "" {
					t.Fatalf("post before the disk filled: %v %q", kind, code)
				}
			}
		}

		filler := fillDisk(t, data)
		// Each phone posts (to its own workshop, at the same time) until refused: the store's
		// last page may still take a few records.
		type outcome struct {
			kind  answerKind
			code  string
			took  time.Duration
			acked int
		}
		full := make([]outcome, len(phones))
		done := make(chan int)
		for i, ph := range phones {
			go func() {
				defer func() { done <- i }()
				for n := 0; n < 500; n++ {
					k, code, took := onePost(ph, leds[i], fmt.Sprintf("full-w%d-%d", i, n))
					full[i] = outcome{k, code, took, full[i].acked}
					if k != answered || code != "" {
						return
					}
					full[i].acked++
				}
			}()
		}
		for range phones {
			<-done
		}
		for i, o := range full {
			if o.kind != answered || o.code == "" {
				t.Errorf("workshop %d, post on a full disk: answer kind %v, code %q after %d acknowledged (want a typed refusal)", i, o.kind, o.code, o.acked)
			}
		}
		// Still up, still reading.
		if st := call(t, "GET", p.url+"/healthz", "", nil, nil); st != 200 {
			t.Errorf("/healthz %d on a full disk", st)
		}
		// A load balancer stops sending people here: reads work, writes do not.
		ready := readyzStatus(p.url)
		if ready != 503 {
			t.Errorf("/readyz %d on a full disk, want 503", ready)
		}
		for i, c := range cafés {
			if _, err := storedTexts(p.url, c); err != nil {
				t.Errorf("workshop %d: state on a full disk: %v", i, err)
			}
			if st := call(t, "GET", p.url+"/api/join/"+c.Workshop.Code, "", nil, nil); st != 200 {
				t.Errorf("workshop %d: join info on a full disk: %d", i, st)
			}
			if b, err := fonline(ctx, p.url, c.Workshop.ID, c.BoardKey, 0); err != nil {
				t.Errorf("workshop %d: a projector connecting on a full disk: %v", i, err)
			} else {
				b.ws.CloseNow()
			}
		}

		// Space is freed (the operator deletes the runaway file). JetStream's file store keeps
		// its first write error and refuses every later write until the server restarts, so the
		// embedded store stays read-only until Nappe restarts; NAPPE_FAULT_STRICT=1 requires
		// recovery without a restart (it costs one more append timeout otherwise).
		if err := os.Remove(filler); err != nil {
			t.Fatal(err)
		}
		afterFree, tookFree := "not tried", time.Duration(0)
		if os.Getenv("NAPPE_FAULT_STRICT") != "" {
			_, afterFree, tookFree = onePost(phones[0], leds[0], "freed")
			if afterFree != "" {
				t.Errorf("post once space is freed, without a restart: %q after %v, want an ack", afterFree, tookFree)
			}
		}

		p.signal(syscall.SIGTERM)
		exit := p.waitExit(shutdownGrace + 5*time.Second)
		if exit != 0 {
			t.Errorf("exit status %d after SIGTERM", exit)
		}
		p2 := startNappe(t, 30*time.Second, "--data", data)
		var got []faultCounts
		for i, c := range cafés {
			got = append(got, settleLedger(t, p2.url, c, leds[i], 5*time.Second))
			who := joinCafé(t, p2.server(), c, fmt.Sprint("Bea", i), c.tables[0])
			ph, err := fonline(ctx, p2.url, c.Workshop.ID, who.token, 0)
			if err != nil {
				t.Fatal(err)
			}
			if kind, code, _ := onePost(ph, leds[i], fmt.Sprintf("restarted-w%d", i)); kind != answered || code != "" {
				t.Errorf("workshop %d: post after the restart: %v %q", i, kind, code)
			}
			ph.ws.CloseNow()
		}
		t.Logf("full disk under the embedded store: workshop 1 %v, workshop 2 %v; on the full disk: %d and %d more acknowledged, then refused with %q after %v and %q after %v; /readyz %d; space freed, no restart: %q after %v; SIGTERM exit %d; test %v",
			got[0], got[1], full[0].acked, full[1].acked, full[0].code, full[0].took.Round(time.Millisecond), full[1].code, full[1].took.Round(time.Millisecond), ready,
			cmp.Or(afterFree, "ack"), tookFree.Round(time.Millisecond), exit, time.Since(start).Round(time.Millisecond))
	})
}

// The store limit of an external NATS node is reached: the node's max_file_store (JetStream's own
// limit, which it also derives from the free disk when none is set) is a few hundred KiB, and
// Nappe posts until JetStream refuses with "insufficient resources". Runs without root, unlike
// TestFaultDiskFullEmbeddedStore, and checks the same: a typed refusal, never an ack; the process
// stays up and reads keep working; nothing acknowledged is missing, as a process started
// afterwards shows.
func TestFaultJetStreamStoreLimitExternalNode(t *testing.T) {
	repeatFault(t, func(t *testing.T) {
		start := time.Now()
		node := startNATSNode(t, nodeConfig{Name: "small", Port: freeLoopbackPort(t), StoreDir: t.TempDir(), MaxStore: 256 << 10})
		p := startNappe(t, 30*time.Second, "--nats-url", node.url, "--replicas", "1", "--participant-rate", "1000")
		c := newCafé(t, p.server())
		other := newCafé(t, p.server())
		led := newLedger()
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		who := joinCafé(t, p.server(), c, "Ada", c.tables[0])
		ph, err := fonline(ctx, p.url, c.Workshop.ID, who.token, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer ph.ws.CloseNow()
		text := func(n int) string { return fmt.Sprintf("%04d %s", n, strings.Repeat(" plein", 80)) } // ~500 bytes
		var kind answerKind
		var code string
		var took time.Duration
		acked := 0
		for n := 0; n < 2000; n++ {
			if kind, code, took = onePost(ph, led, text(n)); kind != answered || code != "" {
				break
			}
			acked++
		}
		if kind != answered || code == "" {
			t.Fatalf("post beyond the store limit: answer kind %v, code %q after %d acknowledged (want a typed refusal)", kind, code, acked)
		}
		// Refused again, not acknowledged, on a retry; the process stays up and reads work.
		if k, c2, _ := onePost(ph, led, text(9999)); k != answered || c2 == "" {
			t.Errorf("second post beyond the store limit: %v %q", k, c2)
		}
		if st := call(t, "GET", p.url+"/healthz", "", nil, nil); st != 200 {
			t.Errorf("/healthz %d", st)
		}
		for _, w := range []café{c, other} {
			if _, err := storedTexts(p.url, w); err != nil {
				t.Errorf("state with the store full: %v", err)
			}
			if b, err := fonline(ctx, p.url, w.Workshop.ID, w.BoardKey, 0); err != nil {
				t.Errorf("a projector connecting with the store full: %v", err)
			} else {
				b.ws.CloseNow()
			}
		}
		fresh := startNappe(t, 30*time.Second, "--nats-url", node.url, "--replicas", "1")
		got := settleLedger(t, fresh.url, c, led, 5*time.Second)
		t.Logf("store limit of an external node reached: %v; %d posts acknowledged, then refused with %q after %v; /readyz %d; test %v",
			got, acked, code, took.Round(time.Millisecond), readyzStatus(p.url), time.Since(start).Round(time.Millisecond))
	})
}
