package eventlog

import (
	"bytes"
	"crypto/rand"
	"errors"
	"strings"
	"sync"
	"testing"
)

func TestSnapshots(t *testing.T) {
	l := openEmbedded(t)
	ctx := testCtx(t)
	ws := newWorkshop()

	if _, _, err := l.LoadSnapshot(ctx, ws); !errors.Is(err, ErrNotFound) {
		t.Fatalf("LoadSnapshot of a new workshop: %v, want ErrNotFound", err)
	}
	if err := l.SaveSnapshot(ctx, ws, 10, []byte("at ten")); err != nil {
		t.Fatal(err)
	}
	loadIs(t, l, ws, 10, []byte("at ten"))

	big := make([]byte, 3<<20)
	rand.Read(big) // incompressible, so the whole 3 MB really travels
	if err := l.SaveSnapshot(ctx, ws, 20, big); err != nil {
		t.Fatalf("SaveSnapshot of 3 MB: %v", err)
	}
	loadIs(t, l, ws, 20, big)

	// Never backwards, and equal is a no-op too.
	for _, seq := range []uint64{15, 20} {
		if err := l.SaveSnapshot(ctx, ws, seq, []byte("older")); err != nil {
			t.Fatalf("SaveSnapshot(%d): %v", seq, err)
		}
		loadIs(t, l, ws, 20, big)
	}
	if err := l.SaveSnapshot(ctx, ws, 30, []byte("newer")); err != nil {
		t.Fatal(err)
	}
	loadIs(t, l, ws, 30, []byte("newer"))

	// Replaced bodies are gone, tombstones included.
	if names := snapshotObjects(t, l, ws); len(names) != 1 {
		t.Fatalf("objects left for the workshop: %v, want just one", names)
	}
}

// TestSnapshotRace: two processes saving snapshots of one workshop at the
// same time end with the highest seq, whatever the interleaving.
func TestSnapshotRace(t *testing.T) {
	a := openLog(t, Config{DataDir: t.TempDir(), ListenAddr: "127.0.0.1:0"})
	b := openLog(t, Config{NATSURL: a.ClientURL()})
	ctx := testCtx(t)
	ws := newWorkshop()
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 20 {
		for _, l := range []*Log{a, b} {
			seq := uint64(1 + (i*7)%20) // a scrambled order of 1..20
			wg.Go(func() {
				errs <- l.SaveSnapshot(ctx, ws, seq, bytes.Repeat([]byte{byte(seq)}, 1000))
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	loadIs(t, b, ws, 20, bytes.Repeat([]byte{20}, 1000))
	if names := snapshotObjects(t, a, ws); len(names) != 1 {
		t.Fatalf("objects left: %v, want just one", names)
	}
}

func loadIs(t *testing.T, l *Log, ws string, seq uint64, data []byte) {
	t.Helper()
	gotSeq, got, err := l.LoadSnapshot(testCtx(t), ws)
	if err != nil {
		t.Fatalf("LoadSnapshot: %v", err)
	}
	if gotSeq != seq || !bytes.Equal(got, data) {
		t.Fatalf("LoadSnapshot: seq %d, %d bytes; want seq %d, %d bytes", gotSeq, len(got), seq, len(data))
	}
}

// snapshotObjects lists the workshop's objects in the bucket, deleted ones
// (tombstones) included.
func snapshotObjects(t *testing.T, l *Log, ws string) []string {
	t.Helper()
	infos, err := l.obs.List(testCtx(t), jetstreamShowDeleted())
	if err != nil && !isNoObjects(err) {
		t.Fatal(err)
	}
	var names []string
	for _, info := range infos {
		if strings.HasPrefix(info.Name, snapObjectPrefix(ws)) {
			names = append(names, info.Name)
		}
	}
	return names
}
