package eventlog

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Errors callers branch on. They are always returned wrapped: use errors.Is.
var (
	// ErrConflict: another writer appended to the workshop first; read what
	// is new and try again.
	ErrConflict = errors.New("eventlog: conflict, the workshop has moved on")
	// ErrNotFound: no snapshot, or no such code.
	ErrNotFound = errors.New("eventlog: not found")
	// ErrCodeTaken: the join code belongs to another workshop.
	ErrCodeTaken = errors.New("eventlog: code already taken")
	// ErrInvalidID: a workshop id that is not a canonical lowercase UUID, or
	// a code that is not [A-Z0-9]{4,12}.
	ErrInvalidID = errors.New("eventlog: invalid id")
	// ErrTooLarge: the record is bigger than the stream (or the NATS
	// server's max_payload) accepts; see Log.MaxRecordSize.
	ErrTooLarge = errors.New("eventlog: record too large")
	// ErrClosed: the Log was closed.
	ErrClosed = errors.New("eventlog: closed")
)

// Config says where the events live. The zero value runs an embedded,
// in-process-only nats-server, which needs DataDir.
type Config struct {
	NATSURL    string       // empty: start an embedded nats-server in-process
	DataDir    string       // embedded only: its JetStream store is DataDir/jetstream
	ListenAddr string       // embedded only: "" = in-process only; "127.0.0.1:0" (or :-1) = random loopback port
	Replicas   int          // stream and bucket replicas; default 1 (use 3 on an external cluster)
	Logger     *slog.Logger // nil = discard
	ServerName string       // embedded server name, default "nappe"
}

// Log is a handle on the event store. It is safe for concurrent use.
type Log struct {
	log       *slog.Logger
	srv       *server.Server // nil when connected to an external NATS
	nc        *nats.Conn
	ncClosed  chan struct{} // closed by the connection's ClosedHandler
	js        jetstream.JetStream
	stream    jetstream.Stream
	kv        jetstream.KeyValue
	obs       jetstream.ObjectStore
	obsStream jetstream.Stream // the object store's own stream, to purge tombstones
	maxData   int              // largest payload Append accepts
	clientURL string           // embedded server's listener, if any
	closeOnce sync.Once
	closeErr  error
	done      chan struct{} // closed by Close: ends followers
	followMu  sync.Mutex    // orders followers.Add before Close's Wait
	followers sync.WaitGroup
	// writes remembers whether the latest append failed for a reason other than a conflict
	// (storage full, no quorum, timeout), so that Ready can tell a load balancer.
	writes writeHealth
}

// writeHealth is the outcome of the latest appends: lastFail after lastOK means writing is
// failing now.
type writeHealth struct {
	mu               sync.Mutex
	lastOK, lastFail time.Time
	err              error
}

func (w *writeHealth) record(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err == nil {
		w.lastOK = time.Now()
		return
	}
	w.lastFail, w.err = time.Now(), err
}

// failing returns the latest append error if no append succeeded since and it is recent
// (afterwards, no news: the next append will tell).
func (w *writeHealth) failing(recent time.Duration) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.lastFail.After(w.lastOK) && time.Since(w.lastFail) < recent {
		return w.err
	}
	return nil
}

// Open starts the embedded server when cfg.NATSURL is empty, connects, and
// creates or updates the stream and buckets. It is idempotent and safe when
// several processes open the same NATS at once.
func Open(ctx context.Context, cfg Config) (*Log, error) {
	if cfg.Replicas <= 0 {
		cfg.Replicas = 1
	}
	if cfg.ServerName == "" {
		cfg.ServerName = "nappe"
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	l := &Log{
		log:      logger.With("component", "eventlog"),
		ncClosed: make(chan struct{}),
		done:     make(chan struct{}),
	}
	var err error
	if cfg.NATSURL == "" {
		if l.srv, err = startEmbedded(cfg, logger); err != nil {
			return nil, err
		}
		if cfg.ListenAddr != "" { // else in-process only: no URL to give
			l.clientURL = l.srv.ClientURL()
		}
	}
	if l.nc, err = l.connect(cfg.NATSURL); err != nil {
		l.shutdownServer()
		return nil, err
	}
	if l.js, err = jetstream.New(l.nc); err != nil {
		l.Close()
		return nil, fmt.Errorf("eventlog: jetstream: %w", err)
	}
	if err := l.setup(ctx, cfg.Replicas); err != nil {
		l.Close()
		return nil, err
	}
	l.log.Info("event log open", "embedded", l.srv != nil, "client_url", l.ClientURL(),
		"replicas", cfg.Replicas, "max_record_bytes", l.maxData)
	return l, nil
}

// ClientURL is the URL other processes can connect to: the embedded server's
// listener (empty when it does not listen), or the external server connected
// to (credentials redacted).
func (l *Log) ClientURL() string {
	if l.srv == nil {
		return l.nc.ConnectedUrlRedacted()
	}
	return l.clientURL
}

// MaxRecordSize is the largest payload Append accepts. Callers batching
// events should stay under it.
func (l *Log) MaxRecordSize() int { return l.maxData }

// Ready returns nil when the connection is up and JetStream answers for the
// event stream: what a readiness probe wants to know.
func (l *Log) Ready(ctx context.Context) error {
	if l.closing() {
		return ErrClosed
	}
	if st := l.nc.Status(); st != nats.CONNECTED {
		return fmt.Errorf("eventlog: nats connection is %s", st)
	}
	if _, err := l.stream.Info(ctx); err != nil {
		return fmt.Errorf("eventlog: stream info: %w", err)
	}
	// Reads answer while writes fail (a full disk, a lost quorum): not ready either.
	if err := l.writes.failing(writeFailureMemory); err != nil {
		return fmt.Errorf("eventlog: appends are failing: %w", err)
	}
	return nil
}

// writeFailureMemory is how long a failed append makes Ready say no, unless an append succeeds.
const writeFailureMemory = 30 * time.Second

// Close ends followers, drains the connection and shuts the embedded server
// down, waiting for it, so that its store can be reopened at once.
func (l *Log) Close() error {
	l.closeOnce.Do(func() {
		l.followMu.Lock()
		close(l.done)
		l.followMu.Unlock()
		l.waitFollowers(5 * time.Second)
		if l.nc != nil {
			if err := l.nc.Drain(); err != nil && !errors.Is(err, nats.ErrConnectionClosed) {
				l.nc.Close()
			}
			select {
			case <-l.ncClosed:
			case <-time.After(30 * time.Second):
				l.closeErr = errors.New("eventlog: timed out draining the nats connection")
				l.nc.Close()
			}
		}
		l.shutdownServer()
		l.log.Info("event log closed")
	})
	return l.closeErr
}

// closing reports whether Close has begun.
func (l *Log) closing() bool {
	select {
	case <-l.done:
		return true
	default:
		return false
	}
}

func (l *Log) shutdownServer() {
	if l.srv != nil {
		l.srv.Shutdown()
		l.srv.WaitForShutdown()
	}
}

// addFollower counts a new follower, unless the Log is closing.
func (l *Log) addFollower() bool {
	l.followMu.Lock()
	defer l.followMu.Unlock()
	if l.closing() {
		return false
	}
	l.followers.Add(1)
	return true
}

// waitFollowers gives followers a moment to stop cleanly before the
// connection goes. A follower whose consumer is being recreated can take
// longer (the client library retries with backoff); it then ends by itself
// when the connection closes.
func (l *Log) waitFollowers(d time.Duration) {
	ended := make(chan struct{})
	go func() {
		l.followers.Wait()
		close(ended)
	}()
	select {
	case <-ended:
	case <-time.After(d):
		l.log.Warn("closing with followers still stopping")
	}
}

// Connected reports whether the NATS connection is up right now. Writers check it first, so that
// while NATS is unreachable a command is refused at once instead of waiting out its deadline.
func (l *Log) Connected() bool { return l.nc.IsConnected() }
