package eventlog

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"slices"
	"sync"
	"testing"
	"time"
)

// TestTwoProcessesRace has two Logs, as two Nappe processes would: one runs
// the embedded server and listens on loopback, the other connects to it by
// URL. Both append to one workshop as fast as they can, each with
// compare-and-set from what it last knew. Every record carries the
// expectLast it was written with, so the stored chain proves that exactly
// one writer won each slot.
func TestTwoProcessesRace(t *testing.T) {
	a := openLog(t, Config{DataDir: t.TempDir(), ListenAddr: "127.0.0.1:-1"})
	if a.ClientURL() == "" {
		t.Fatal("embedded Log with ListenAddr has no ClientURL")
	}
	b := openLog(t, Config{NATSURL: a.ClientURL()})
	ws := newWorkshop()
	ctx := testCtx(t)

	var fa, fb collector
	stopA, err := a.Follow(ctx, ws, 0, fa.add)
	if err != nil {
		t.Fatal(err)
	}
	defer stopA()
	stopB, err := b.Follow(ctx, ws, 0, fb.add)
	if err != nil {
		t.Fatal(err)
	}
	defer stopB()

	const perWriter = 60
	type won struct {
		seq, expect uint64
		data        string
	}
	var (
		mu        sync.Mutex
		wins      []won
		conflicts int
	)
	write := func(l *Log, name string, errc chan<- error) {
		var last uint64
		for i := 0; i < perWriter; {
			data := make([]byte, 8, 32)
			binary.BigEndian.PutUint64(data, last)
			data = fmt.Appendf(data, "%s-%d", name, i)
			seq, err := l.Append(ctx, ws, last, fmt.Sprintf("%s-%d", name, i), data)
			if errors.Is(err, ErrConflict) {
				mu.Lock()
				conflicts++
				mu.Unlock()
				// Catch up with what the other writer did, then retry.
				if last, err = l.Read(ctx, ws, last, func(Record) error { return nil }); err != nil {
					errc <- err
					return
				}
				continue
			}
			if err != nil {
				errc <- err
				return
			}
			mu.Lock()
			wins = append(wins, won{seq, last, string(data[8:])})
			mu.Unlock()
			last = seq
			i++
		}
		errc <- nil
	}
	errc := make(chan error, 2)
	go write(a, "a", errc)
	go write(b, "b", errc)
	for range 2 {
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d appends, %d conflicts", len(wins), conflicts)

	stored := readAll(t, a, ws, 0)
	if len(stored) != 2*perWriter {
		t.Fatalf("%d records stored, want %d", len(stored), 2*perWriter)
	}
	var prev uint64
	bySeq := map[uint64]string{}
	for i, r := range stored {
		if expect := binary.BigEndian.Uint64(r.Data); expect != prev {
			t.Fatalf("record %d (seq %d) was written expecting %d, but the previous record is %d", i, r.Seq, expect, prev)
		}
		bySeq[r.Seq] = string(r.Data[8:])
		prev = r.Seq
	}
	for _, w := range wins {
		if bySeq[w.seq] != w.data {
			t.Fatalf("Append returned seq %d for %q, but the stream holds %q there", w.seq, w.data, bySeq[w.seq])
		}
	}

	want := seqsOf(stored)
	waitFor(t, 10*time.Second, "both followers", func() bool { return fa.len() >= len(want) && fb.len() >= len(want) })
	for name, c := range map[string]*collector{"a": &fa, "b": &fb} {
		got := c.records()
		if !slices.Equal(seqsOf(got), want) {
			t.Fatalf("follower %s saw %v, want %v", name, seqsOf(got), want)
		}
		for i := range got {
			if !bytes.Equal(got[i].Data, stored[i].Data) {
				t.Fatalf("follower %s record %d differs", name, i)
			}
		}
	}
}

func TestRestartKeepsRecords(t *testing.T) {
	dir := t.TempDir()
	ws := newWorkshop()
	const n = 200
	l := openLog(t, Config{DataDir: dir})
	seqs := appendN(t, l, ws, 0, n, "r")
	if err := l.SaveSnapshot(testCtx(t), ws, seqs[n/2], []byte("half")); err != nil {
		t.Fatal(err)
	}
	if err := l.ClaimCode(testCtx(t), "KEEP42", ws); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}

	l2 := openLog(t, Config{DataDir: dir})
	got := readAll(t, l2, ws, 0)
	if !slices.Equal(seqsOf(got), seqs) {
		t.Fatalf("after restart: %d records, want %d", len(got), n)
	}
	for i, r := range got {
		if string(r.Data) != fmt.Sprintf("r-%d", i) {
			t.Fatalf("record %d: %q", i, r.Data)
		}
	}
	if seq, data, err := l2.LoadSnapshot(testCtx(t), ws); err != nil || seq != seqs[n/2] || string(data) != "half" {
		t.Fatalf("snapshot after restart: %d %q %v", seq, data, err)
	}
	if got, err := l2.LookupCode(testCtx(t), "KEEP42"); err != nil || got != ws {
		t.Fatalf("code after restart: %q %v", got, err)
	}
	// And appending goes on from where it was.
	if _, err := l2.Append(testCtx(t), ws, seqs[n-1], "", []byte("next")); err != nil {
		t.Fatalf("Append after restart: %v", err)
	}
}

// TestFollowSurvivesServerRestart: a follower on another connection keeps
// running while the embedded server is shut down and started again on the
// same store and port. It must see every record exactly once, in order.
func TestFollowSurvivesServerRestart(t *testing.T) {
	dir := t.TempDir()
	a := openLog(t, Config{DataDir: dir, ListenAddr: "127.0.0.1:-1"})
	_, port, err := net.SplitHostPort(a.ClientURL()[len("nats://"):])
	if err != nil {
		t.Fatal(err)
	}
	b := openLog(t, Config{NATSURL: a.ClientURL()})
	ws := newWorkshop()

	var c collector
	stop, err := b.Follow(testCtx(t), ws, 0, c.add)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()

	first := appendN(t, a, ws, 0, 30, "before")
	waitFor(t, 10*time.Second, "records before the restart", func() bool { return c.len() >= len(first) })

	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "b to notice", func() bool { return ready(b) != nil })
	a2 := openLog(t, Config{DataDir: dir, ListenAddr: "127.0.0.1:" + port})
	// Appends resume at once on the restarted server, while b is still
	// reconnecting.
	second := appendN(t, a2, ws, first[len(first)-1], 30, "after")
	waitFor(t, 30*time.Second, "b to reconnect", func() bool { return ready(b) == nil })
	third := appendN(t, b, ws, second[len(second)-1], 10, "via-b")

	want := slices.Concat(first, second, third)
	waitFor(t, 30*time.Second, "all records after the restart", func() bool { return c.len() >= len(want) })
	if got := seqsOf(c.records()); !slices.Equal(got, want) {
		t.Fatalf("follower saw %v\nwant %v", got, want)
	}
	// No late duplicate either.
	appendN(t, a2, ws, want[len(want)-1], 1, "marker")
	waitFor(t, 10*time.Second, "marker", func() bool { return c.len() >= len(want)+1 })
	if n := c.len(); n != len(want)+1 {
		t.Fatalf("follower has %d records, want %d", n, len(want)+1)
	}
}

// TestFollowResume: a client that lost its follower resumes from the last
// sequence it saw, with nothing missed and nothing repeated.
func TestFollowResume(t *testing.T) {
	l := openEmbedded(t)
	ws := newWorkshop()
	var c1 collector
	stop, err := l.Follow(testCtx(t), ws, 0, c1.add)
	if err != nil {
		t.Fatal(err)
	}
	first := appendN(t, l, ws, 0, 10, "one")
	waitFor(t, 10*time.Second, "first follower", func() bool { return c1.len() >= 10 })
	stop()
	lastSeen := c1.records()[9].Seq
	second := appendN(t, l, ws, first[9], 10, "two")

	var c2 collector
	stop2, err := l.Follow(testCtx(t), ws, lastSeen, c2.add)
	if err != nil {
		t.Fatal(err)
	}
	defer stop2()
	third := appendN(t, l, ws, second[9], 5, "three")
	want := slices.Concat(second, third)
	waitFor(t, 10*time.Second, "resumed follower", func() bool { return c2.len() >= len(want) })
	if got := seqsOf(c2.records()); !slices.Equal(got, want) {
		t.Fatalf("resumed follower saw %v, want %v", got, want)
	}
}

// TestOpenRace: several processes starting at once against a fresh NATS
// all get a working Log.
func TestOpenRace(t *testing.T) {
	ns := runServer(t, 0)
	logs := make([]*Log, 4)
	var wg sync.WaitGroup
	errs := make([]error, len(logs))
	for i := range logs {
		wg.Go(func() {
			logs[i], errs[i] = Open(testCtx(t), Config{NATSURL: ns.ClientURL(), Logger: testLogger(t)})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("Open %d: %v", i, err)
		}
		t.Cleanup(func() { logs[i].Close() })
	}
	ws := newWorkshop()
	seq := appendN(t, logs[0], ws, 0, 1, "x")[0]
	if got := readAll(t, logs[3], ws, 0); len(got) != 1 || got[0].Seq != seq {
		t.Fatalf("read through another Log: %v", got)
	}
}

func TestReadMany(t *testing.T) {
	l := openEmbedded(t)
	ws := newWorkshop()
	const n = 3000
	payload := bytes.Repeat([]byte("x"), 256)
	var last uint64
	var err error
	for range n {
		if last, err = l.Append(testCtx(t), ws, last, "", payload); err != nil {
			t.Fatal(err)
		}
	}
	start := time.Now()
	count := 0
	got, err := l.Read(testCtx(t), ws, 0, func(Record) error { count++; return nil })
	if err != nil || got != last || count != n {
		t.Fatalf("Read: last %d (want %d), %d records, %v", got, last, count, err)
	}
	t.Logf("read %d records in %v", n, time.Since(start))
}

// ready asks l.Ready with a short deadline: a request sent just as the
// connection drops is not failed by nats.go, it waits for its deadline.
func ready(l *Log) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	return l.Ready(ctx)
}
