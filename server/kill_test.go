package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds the real nappe binary once per test run, for tests that kill a process.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "nappe-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "nappe")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// startProcess runs the binary and returns its URL once it is listening.
func startProcess(t *testing.T, args ...string) (*exec.Cmd, *testServer) {
	t.Helper()
	cmd := exec.Command(binary(t), append([]string{"--addr", "127.0.0.1:0", "--log-level", "warn"}, args...)...)
	cmd.Stderr = &testLog{t: t}
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	lines := bufio.NewScanner(out)
	for lines.Scan() {
		if u, ok := strings.CutPrefix(lines.Text(), "nappe: listening on "); ok {
			return cmd, &testServer{url: u}
		}
	}
	t.Fatal("process did not start")
	return nil, nil
}

// kill -9 in the middle of a burst of posts loses nothing that was acknowledged.
func TestKill9MidBurstLosesNoAcknowledgedNote(t *testing.T) {
	data := t.TempDir()
	proc, s := startProcess(t, "--data", data)
	c := newCafé(t, s)
	const phones = 6
	type outcome struct {
		acked, unknown []string
	}
	results := make([]outcome, phones)
	clients := make([]*wsClient, phones)
	for i := range clients {
		p := joinCafé(t, s, c, fmt.Sprint("P", i), c.tables[i%2])
		clients[i] = dial(t, s, c.Workshop.ID, p.token, 0)
		clients[i].waitFor("synced", is("synced"))
	}
	var acked sync.WaitGroup
	acked.Add(phones)
	var wg sync.WaitGroup
	for i, cl := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			count := 0
			for n := 0; ; n++ {
				text := fmt.Sprintf("p%d-n%d", i, n)
				id := cl.cmd("note.post", map[string]any{"note": uuid.NewString(), "text": text})
				select {
				case m, ok := <-cl.msgs:
					for ok && !answer(id)(m) {
						m, ok = <-cl.msgs
					}
					if !ok {
						results[i].unknown = append(results[i].unknown, text)
						return
					}
					if m["t"] == "ack" {
						results[i].acked = append(results[i].acked, text)
						if count++; count == 20 {
							acked.Done()
						}
					}
				case <-time.After(10 * time.Second):
					results[i].unknown = append(results[i].unknown, text)
					return
				}
			}
		}()
	}
	acked.Wait() // every phone has had 20 posts acknowledged; the burst goes on
	if err := proc.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	proc.Wait()
	for _, cl := range clients {
		cl.conn.CloseNow()
	}
	wg.Wait()

	_, s2 := startProcess(t, "--data", data)
	texts := noteTexts(state(t, s2, c))
	ok, lost, unknownLanded := 0, 0, 0
	for _, r := range results {
		for _, text := range r.acked {
			switch texts[text] {
			case 1:
				ok++
			case 0:
				lost++
				t.Errorf("acknowledged note %q lost", text)
			default:
				t.Errorf("acknowledged note %q is there %d times", text, texts[text])
			}
		}
		for _, text := range r.unknown {
			unknownLanded += texts[text]
		}
	}
	t.Logf("kill -9 mid-burst: %d acknowledged and present, %d lost, %d unanswered of which %d landed", ok, lost, phones, unknownLanded)
	if ok < phones*20 {
		t.Fatalf("only %d acknowledged notes checked", ok)
	}
}
