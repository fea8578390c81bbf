package eventlog

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"
)

func TestAppendReadFollow(t *testing.T) {
	l := openEmbedded(t)
	ctx := testCtx(t)
	ws, other := newWorkshop(), newWorkshop()

	// Interleave another workshop so that sequences are sparse per subject.
	var want []Record
	var last, otherLast uint64
	for i := range 3 {
		seq, err := l.Append(ctx, ws, last, fmt.Sprintf("op-%d", i), fmt.Appendf(nil, "ev-%d", i))
		if err != nil {
			t.Fatalf("Append %d: %v", i, err)
		}
		if seq <= last {
			t.Fatalf("seq %d not above %d", seq, last)
		}
		want = append(want, Record{Seq: seq, Data: fmt.Appendf(nil, "ev-%d", i)})
		last = seq
		otherLast = appendN(t, l, other, otherLast, 1, "other")[0]
	}

	// Stale and "must be empty" expectations conflict.
	if _, err := l.Append(ctx, ws, want[1].Seq, "", []byte("stale")); !errors.Is(err, ErrConflict) {
		t.Fatalf("stale expectLast: got %v, want ErrConflict", err)
	}
	if _, err := l.Append(ctx, ws, 0, "", []byte("stale")); !errors.Is(err, ErrConflict) {
		t.Fatalf("expectLast 0 on a non-empty workshop: got %v, want ErrConflict", err)
	}
	// Another workshop's sequence is no help either.
	if _, err := l.Append(ctx, ws, otherLast, "", []byte("stale")); !errors.Is(err, ErrConflict) {
		t.Fatalf("foreign expectLast: got %v, want ErrConflict", err)
	}

	got := readAll(t, l, ws, 0)
	if len(got) != len(want) {
		t.Fatalf("Read returned %d records, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].Seq != want[i].Seq || string(got[i].Data) != string(want[i].Data) {
			t.Fatalf("record %d: got %d %q, want %d %q", i, got[i].Seq, got[i].Data, want[i].Seq, want[i].Data)
		}
		if time.Since(got[i].Time) > time.Minute || got[i].Time.IsZero() {
			t.Fatalf("record %d: implausible time %v", i, got[i].Time)
		}
	}
	if tail := readAll(t, l, ws, want[0].Seq); !slices.Equal(seqsOf(tail), seqsOf(want[1:])) {
		t.Fatalf("Read after %d: got %v, want %v", want[0].Seq, seqsOf(tail), seqsOf(want[1:]))
	}
	lastSeen, err := l.Read(ctx, ws, last, func(Record) error { t.Fatal("record past the end"); return nil })
	if err != nil || lastSeen != last {
		t.Fatalf("Read at the end: %d, %v; want %d, nil", lastSeen, err, last)
	}
	if n, err := l.Read(ctx, newWorkshop(), 7, func(Record) error { return nil }); n != 7 || err != nil {
		t.Fatalf("Read of an empty workshop: %d, %v; want 7, nil", n, err)
	}
	errStop := errors.New("stop")
	if n, err := l.Read(ctx, ws, 0, func(r Record) error {
		if r.Seq == want[1].Seq {
			return errStop
		}
		return nil
	}); !errors.Is(err, errStop) || n != want[0].Seq {
		t.Fatalf("Read with failing fn: %d, %v", n, err)
	}

	// Followers from the start and from the middle see the past, then the
	// future.
	var all, tail collector
	stopAll, err := l.Follow(ctx, ws, 0, all.add)
	if err != nil {
		t.Fatal(err)
	}
	defer stopAll()
	stopTail, err := l.Follow(ctx, ws, want[2].Seq, tail.add)
	if err != nil {
		t.Fatal(err)
	}
	defer stopTail()
	more := appendN(t, l, ws, last, 2, "late")
	waitFor(t, 10*time.Second, "followers", func() bool { return all.len() >= 5 && tail.len() >= 2 })
	if got, w := seqsOf(all.records()), append(seqsOf(want), more...); !slices.Equal(got, w) {
		t.Fatalf("follower from 0: got %v, want %v", got, w)
	}
	if got := seqsOf(tail.records()); !slices.Equal(got, more) {
		t.Fatalf("follower from %d: got %v, want %v", want[2].Seq, got, more)
	}

	// After stop returns, nothing more is delivered.
	stopAll()
	appendN(t, l, ws, more[1], 1, "after-stop")
	waitFor(t, 10*time.Second, "tail follower", func() bool { return tail.len() == 3 })
	if n := all.len(); n != 5 {
		t.Fatalf("stopped follower got %d records, want 5", n)
	}
}

func TestFollowFromFuture(t *testing.T) {
	// A follower may start past the current end (a client that knows a
	// sequence from another workshop's numbering, or a resume right at the
	// end): it then waits for new records.
	l := openEmbedded(t)
	ws := newWorkshop()
	seqs := appendN(t, l, ws, 0, 2, "a")
	var c collector
	stop, err := l.Follow(testCtx(t), ws, seqs[1], c.add)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	more := appendN(t, l, ws, seqs[1], 3, "b")
	waitFor(t, 10*time.Second, "follower", func() bool { return c.len() >= 3 })
	if got := seqsOf(c.records()); !slices.Equal(got, more) {
		t.Fatalf("got %v, want %v", got, more)
	}
}

func TestInvalidIDs(t *testing.T) {
	l := openEmbedded(t)
	ctx := testCtx(t)
	ws := newWorkshop()
	bad := []string{"", "nappe", "*", ">", "a.b", "6F9619FF-8B86-D011-B42D-00C04FC964FF",
		"6f9619ff-8b86-d011-b42d-00c04fc964f", "6f9619ff-8b86-d011-b42d-00c04fc964f.", "{6f9619ff-8b86-d011-b42d-00c04fc964ff}"}
	for _, id := range bad {
		if _, err := l.Append(ctx, id, 0, "", nil); !errors.Is(err, ErrInvalidID) {
			t.Errorf("Append(%q): %v, want ErrInvalidID", id, err)
		}
		if _, err := l.Read(ctx, id, 0, nil); !errors.Is(err, ErrInvalidID) {
			t.Errorf("Read(%q): %v", id, err)
		}
		if _, err := l.Follow(ctx, id, 0, nil); !errors.Is(err, ErrInvalidID) {
			t.Errorf("Follow(%q): %v", id, err)
		}
		if err := l.SaveSnapshot(ctx, id, 1, nil); !errors.Is(err, ErrInvalidID) {
			t.Errorf("SaveSnapshot(%q): %v", id, err)
		}
		if _, _, err := l.LoadSnapshot(ctx, id); !errors.Is(err, ErrInvalidID) {
			t.Errorf("LoadSnapshot(%q): %v", id, err)
		}
		if err := l.ClaimCode(ctx, "ABCD", id); !errors.Is(err, ErrInvalidID) {
			t.Errorf("ClaimCode(ABCD, %q): %v", id, err)
		}
		if err := l.DeleteWorkshop(ctx, id); !errors.Is(err, ErrInvalidID) {
			t.Errorf("DeleteWorkshop(%q): %v", id, err)
		}
	}
	for _, code := range []string{"", "ABC", "abcd", "ABCD*", "AB.CD", "ABCDEFGHIJKLM", "ÄBCD"} {
		if err := l.ClaimCode(ctx, code, ws); !errors.Is(err, ErrInvalidID) {
			t.Errorf("ClaimCode(%q): %v", code, err)
		}
		if _, err := l.LookupCode(ctx, code); !errors.Is(err, ErrInvalidID) {
			t.Errorf("LookupCode(%q): %v", code, err)
		}
		if err := l.DeleteWorkshop(ctx, ws, code); !errors.Is(err, ErrInvalidID) {
			t.Errorf("DeleteWorkshop(ws, %q): %v", code, err)
		}
	}
}

func TestRecordSizeLimit(t *testing.T) {
	l := openEmbedded(t)
	ctx := testCtx(t)
	ws := newWorkshop()
	if l.MaxRecordSize() < 4<<20 {
		t.Fatalf("embedded MaxRecordSize %d, want at least 4 MiB", l.MaxRecordSize())
	}
	big := make([]byte, l.MaxRecordSize())
	seq, err := l.Append(ctx, ws, 0, "big", big)
	if err != nil {
		t.Fatalf("Append of MaxRecordSize bytes: %v", err)
	}
	if _, err := l.Append(ctx, ws, seq, "", make([]byte, l.MaxRecordSize()+1)); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("oversized Append: %v, want ErrTooLarge", err)
	}
	if got := readAll(t, l, ws, 0); len(got) != 1 || len(got[0].Data) != len(big) {
		t.Fatalf("read back %d records", len(got))
	}
}

func TestExternalServerWithSmallMaxPayload(t *testing.T) {
	ns := runServer(t, 1<<20) // NATS's default 1 MiB
	l := openLog(t, Config{NATSURL: ns.ClientURL()})
	if got := l.MaxRecordSize(); got >= 1<<20 || got < 1<<19 {
		t.Fatalf("MaxRecordSize %d, want a bit under 1 MiB", got)
	}
	if got := l.ClientURL(); got != ns.ClientURL() {
		t.Fatalf("ClientURL %q, want %q", got, ns.ClientURL())
	}
	ws := newWorkshop()
	_, err := l.Append(testCtx(t), ws, 0, "", make([]byte, 2<<20))
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("2 MiB Append: %v, want ErrTooLarge", err)
	}
	t.Logf("error text: %v", err)
	if _, err := l.Append(testCtx(t), ws, 0, "", make([]byte, l.MaxRecordSize())); err != nil {
		t.Fatalf("Append of MaxRecordSize: %v", err)
	}
}

func TestDuplicateMsgID(t *testing.T) {
	// The sequence check runs before de-duplication: a retry of a write
	// that landed is a conflict, not a duplicate (design notes).
	l := openEmbedded(t)
	ctx := testCtx(t)
	ws := newWorkshop()
	seq, err := l.Append(ctx, ws, 0, "op-1", []byte("x"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Append(ctx, ws, 0, "op-1", []byte("x")); !errors.Is(err, ErrConflict) {
		t.Fatalf("retried op: %v, want ErrConflict", err)
	}
	// With a fresh expectation the id is still recognised as a duplicate
	// within the window: Append names the stored record, as a conflict, so
	// that the caller reads it instead of trusting its own bytes.
	dup, err := l.Append(ctx, ws, seq, "op-1", []byte("y"))
	if !errors.Is(err, ErrConflict) || dup != seq {
		t.Fatalf("duplicate with current expectLast: %d, %v; want %d, ErrConflict", dup, err, seq)
	}
	if n := len(readAll(t, l, ws, 0)); n != 1 {
		t.Fatalf("%d records stored, want 1", n)
	}
}

func TestClosedLog(t *testing.T) {
	l := openEmbedded(t)
	if err := l.Ready(testCtx(t)); err != nil {
		t.Fatalf("Ready: %v", err)
	}
	if err := l.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := l.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if err := l.Ready(testCtx(t)); err == nil {
		t.Fatal("Ready after Close: nil")
	}
	if _, err := l.Append(testCtx(t), newWorkshop(), 0, "", nil); err == nil || errors.Is(err, ErrConflict) {
		t.Fatalf("Append after Close: %v", err)
	}
	if _, err := l.Follow(testCtx(t), newWorkshop(), 0, func(Record) {}); !errors.Is(err, ErrClosed) {
		t.Fatalf("Follow after Close: %v", err)
	}
}

// TestNoLingeringConsumers: Read and a stopped Follow delete their
// server-side consumers instead of leaving them to expire.
func TestNoLingeringConsumers(t *testing.T) {
	l := openEmbedded(t)
	ws := newWorkshop()
	appendN(t, l, ws, 0, 3, "c")
	readAll(t, l, ws, 0)
	var c collector
	stop, err := l.Follow(testCtx(t), ws, 0, c.add)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "follower", func() bool { return c.len() == 3 })
	stop()
	waitFor(t, 10*time.Second, "no consumers left", func() bool {
		info, err := l.stream.Info(testCtx(t))
		return err == nil && info.State.Consumers == 0
	})
}

func TestReadCanceled(t *testing.T) {
	l := openEmbedded(t)
	ws := newWorkshop()
	seqs := appendN(t, l, ws, 0, 50, "c")
	ctx, cancel := context.WithCancel(testCtx(t))
	n := 0
	last, err := l.Read(ctx, ws, 0, func(Record) error {
		if n++; n == 3 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) || n != 3 || last != seqs[2] {
		t.Fatalf("Read: last %d after %d records, %v; want context.Canceled after 3", last, n, err)
	}
}
