package eventlog

import (
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/nats-io/nats.go/jetstream"
)

func TestCodes(t *testing.T) {
	l := openEmbedded(t)
	ctx := testCtx(t)
	ws, other := newWorkshop(), newWorkshop()

	if _, err := l.LookupCode(ctx, "ABCD"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("LookupCode of an unknown code: %v, want ErrNotFound", err)
	}
	if err := l.ClaimCode(ctx, "ABCD", ws); err != nil {
		t.Fatal(err)
	}
	if got, err := l.LookupCode(ctx, "ABCD"); err != nil || got != ws {
		t.Fatalf("LookupCode: %q, %v", got, err)
	}
	if err := l.ClaimCode(ctx, "ABCD", ws); err != nil {
		t.Fatalf("re-claim by the owner: %v", err)
	}
	if err := l.ClaimCode(ctx, "ABCD", other); !errors.Is(err, ErrCodeTaken) {
		t.Fatalf("claim of a taken code: %v, want ErrCodeTaken", err)
	}
	if err := l.ClaimCode(ctx, "Z9Z9Z9Z9Z9Z9", other); err != nil {
		t.Fatal(err)
	}
}

// TestCodeClaimRace: two processes, many workshops, one code: exactly one
// claim wins.
func TestCodeClaimRace(t *testing.T) {
	a := openLog(t, Config{DataDir: t.TempDir(), ListenAddr: "127.0.0.1:-1"})
	b := openLog(t, Config{NATSURL: a.ClientURL()})
	ctx := testCtx(t)
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		winners []string
	)
	for i := range 16 {
		l := []*Log{a, b}[i%2]
		ws := newWorkshop()
		wg.Go(func() {
			err := l.ClaimCode(ctx, "RACE", ws)
			switch {
			case err == nil:
				mu.Lock()
				winners = append(winners, ws)
				mu.Unlock()
			case !errors.Is(err, ErrCodeTaken):
				t.Errorf("ClaimCode: %v", err)
			}
		})
	}
	wg.Wait()
	if len(winners) != 1 {
		t.Fatalf("%d winners, want 1", len(winners))
	}
	if got, err := b.LookupCode(ctx, "RACE"); err != nil || got != winners[0] {
		t.Fatalf("LookupCode: %q %v, want %q", got, err, winners[0])
	}
}

func TestDeleteWorkshop(t *testing.T) {
	l := openEmbedded(t)
	ctx := testCtx(t)
	ws, keep := newWorkshop(), newWorkshop()
	seqs := appendN(t, l, ws, 0, 5, "gone")
	keepSeqs := appendN(t, l, keep, 0, 3, "kept")
	for _, w := range []struct {
		ws  string
		seq uint64
	}{{ws, seqs[4]}, {keep, keepSeqs[2]}} {
		if err := l.SaveSnapshot(ctx, w.ws, w.seq, []byte("snap")); err != nil {
			t.Fatal(err)
		}
	}
	// A body left by a save that crashed before moving the pointer.
	if _, err := l.obs.PutBytes(ctx, snapObjectPrefix(ws)+"3/orphan", []byte("x")); err != nil {
		t.Fatal(err)
	}
	for code, owner := range map[string]string{"GONE1": ws, "GONE2": ws, "KEPT1": keep} {
		if err := l.ClaimCode(ctx, code, owner); err != nil {
			t.Fatal(err)
		}
	}

	// KEPT1 is passed too, but belongs to the other workshop: it stays.
	if err := l.DeleteWorkshop(ctx, ws, "GONE1", "GONE2", "KEPT1", "NEVER1"); err != nil {
		t.Fatalf("DeleteWorkshop: %v", err)
	}
	if got := readAll(t, l, ws, 0); len(got) != 0 {
		t.Fatalf("%d records left", len(got))
	}
	if _, _, err := l.LoadSnapshot(ctx, ws); !errors.Is(err, ErrNotFound) {
		t.Fatalf("LoadSnapshot after delete: %v", err)
	}
	if names := snapshotObjects(t, l, ws); len(names) != 0 {
		t.Fatalf("objects left: %v", names)
	}
	for _, code := range []string{"GONE1", "GONE2"} {
		if _, err := l.LookupCode(ctx, code); !errors.Is(err, ErrNotFound) {
			t.Fatalf("LookupCode(%s) after delete: %v", code, err)
		}
	}
	// The other workshop is untouched.
	if got := readAll(t, l, keep, 0); !slices.Equal(seqsOf(got), keepSeqs) {
		t.Fatalf("other workshop: %v, want %v", seqsOf(got), keepSeqs)
	}
	loadIs(t, l, keep, keepSeqs[2], []byte("snap"))
	if got, err := l.LookupCode(ctx, "KEPT1"); err != nil || got != keep {
		t.Fatalf("KEPT1: %q %v", got, err)
	}

	// Deleting again is fine, and a freed code can be claimed anew; the
	// workshop id can even start over from an empty subject.
	if err := l.DeleteWorkshop(ctx, ws, "GONE1"); err != nil {
		t.Fatalf("second DeleteWorkshop: %v", err)
	}
	if err := l.ClaimCode(ctx, "GONE1", keep); err != nil {
		t.Fatalf("claim of a released code: %v", err)
	}
	if _, err := l.Append(ctx, ws, 0, "", []byte("again")); err != nil {
		t.Fatalf("Append(expectLast 0) after delete: %v", err)
	}
}

func jetstreamShowDeleted() jetstream.ListObjectsOpt { return jetstream.ListObjectsShowDeleted() }

func isNoObjects(err error) bool { return errors.Is(err, jetstream.ErrNoObjectsFound) }
