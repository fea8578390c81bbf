package eventlog

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go/jetstream"
)

func TestAppendErrorMapping(t *testing.T) {
	for _, code := range []jetstream.ErrorCode{
		jetstream.JSErrCodeStreamWrongLastSequence,         // 10071, one replica
		jetstream.JSErrCodeStreamWrongLastSequenceConstant, // 10164, replicated
	} {
		err := appendError(&jetstream.APIError{Code: 400, ErrorCode: code})
		if !errors.Is(err, ErrConflict) {
			t.Errorf("code %d: %v is not ErrConflict", code, err)
		}
		var apiErr *jetstream.APIError
		if !errors.As(err, &apiErr) || apiErr.ErrorCode != code {
			t.Errorf("code %d: original API error lost", code)
		}
	}
	for _, err := range []error{
		context.DeadlineExceeded,
		&jetstream.APIError{Code: 503, ErrorCode: 10008},
	} {
		if errors.Is(appendError(err), ErrConflict) {
			t.Errorf("%v mapped to ErrConflict", err)
		}
	}
}

// TestReplicatedCluster runs three nats-server nodes in this process, routed
// on loopback, and two Logs with Replicas 3 on different nodes racing on one
// workshop: conflicts on a replicated stream (code 10164 or 10071) must still
// be ErrConflict, and the stored chain must show one winner per slot.
func TestReplicatedCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("forms a three-node cluster")
	}
	urls := startCluster(t, 3)
	a := openReplicated(t, urls[0])
	b := openReplicated(t, urls[1])
	ctx := testCtx(t)
	ws := newWorkshop()

	const perWriter = 25
	var mu sync.Mutex
	conflicts := map[jetstream.ErrorCode]int{}
	write := func(l *Log, name string) error {
		var last uint64
		for i := 0; i < perWriter; {
			data := binary.BigEndian.AppendUint64(nil, last)
			seq, err := l.Append(ctx, ws, last, fmt.Sprintf("%s-%d", name, i), data)
			if errors.Is(err, ErrConflict) {
				var apiErr *jetstream.APIError
				errors.As(err, &apiErr)
				mu.Lock()
				conflicts[apiErr.ErrorCode]++
				mu.Unlock()
				// A read served by a replica can stall while the cluster is busy (under -race
				// with every package's tests at once); a writer then gives up on that read and
				// tries again, as the hub does when a command's deadline passes.
				rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
				next, err := l.Read(rctx, ws, last, func(Record) error { return nil })
				cancel()
				if err != nil && (ctx.Err() != nil || rctx.Err() == nil) {
					return err
				}
				if err != nil {
					t.Logf("%s: a read stalled for 10 s; reading again", name)
				}
				last = next
				continue
			}
			if err != nil {
				return err
			}
			last = seq
			i++
		}
		return nil
	}
	errc := make(chan error, 2)
	go func() { errc <- write(a, "a") }()
	go func() { errc <- write(b, "b") }()
	for range 2 {
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("conflicts by API error code: %v", conflicts)
	// A read may be served by a replica that has not applied the latest
	// acknowledged record yet (acknowledged means stored on a quorum, not on
	// every node): wait for this reader to converge rather than read once.
	var stored []Record
	deadline := time.Now().Add(10 * time.Second)
	for {
		stored = readAll(t, b, ws, 0)
		if len(stored) >= 2*perWriter || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond) // polling a condition, not synchronisation
	}
	if len(stored) != 2*perWriter {
		t.Fatalf("%d records, want %d", len(stored), 2*perWriter)
	}
	var prev uint64
	for i, r := range stored {
		if expect := binary.BigEndian.Uint64(r.Data); expect != prev {
			t.Fatalf("record %d expected %d, previous is %d", i, expect, prev)
		}
		prev = r.Seq
	}
	info, err := a.stream.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.Config.Replicas != 3 {
		t.Fatalf("stream has %d replicas", info.Config.Replicas)
	}
}

// openReplicated opens a Log with three replicas, retrying while the
// cluster's JetStream is still electing its meta leader.
func openReplicated(t *testing.T, url string) *Log {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		l, err := Open(ctx, Config{NATSURL: url, Replicas: 3, Logger: testLogger(t)})
		cancel()
		if err == nil {
			t.Cleanup(func() { l.Close() })
			return l
		}
		if time.Now().After(deadline) {
			t.Fatalf("Open on the cluster: %v", err)
		}
		time.Sleep(100 * time.Millisecond) // polling a condition, not synchronisation
	}
}

// startCluster starts n routed JetStream nodes and returns their client URLs.
func startCluster(t *testing.T, n int) []string {
	t.Helper()
	// Route ports must be known before the nodes start, so each is taken
	// from a listener closed just before use.
	ports := make([]int, n)
	routes := make([]string, n)
	for i := range ports {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ports[i] = ln.Addr().(*net.TCPAddr).Port
		ln.Close()
		routes[i] = fmt.Sprintf("nats://127.0.0.1:%d", ports[i])
	}
	urls := make([]string, n)
	for i := range n {
		ns, err := server.NewServer(&server.Options{
			ServerName: fmt.Sprintf("n%d", i),
			Host:       "127.0.0.1", Port: server.RANDOM_PORT,
			JetStream: true, StoreDir: t.TempDir(),
			Cluster: server.ClusterOpts{Name: "nappe-test", Host: "127.0.0.1", Port: ports[i]},
			Routes:  server.RoutesFromStr(strings.Join(routes, ",")),
			NoSigs:  true, NoLog: true,
			MaxPayload: embeddedMaxPayload,
		})
		if err != nil {
			t.Fatal(err)
		}
		ns.Start()
		t.Cleanup(func() { ns.Shutdown(); ns.WaitForShutdown() })
		if !ns.ReadyForConnections(10 * time.Second) {
			t.Fatalf("node %d not ready", i)
		}
		urls[i] = ns.ClientURL()
	}
	return urls
}
