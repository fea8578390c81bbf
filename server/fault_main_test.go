package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// natsNodeEnv, when set, turns the test binary into one NATS node (its configuration is the
// variable's JSON value) instead of running tests. The fault tests re-execute themselves this way
// to get NATS nodes that are real processes, which can be killed with SIGKILL or paused with
// SIGSTOP like a node on a real machine.
const natsNodeEnv = "NAPPE_TEST_NATS_NODE"

func TestMain(m *testing.M) {
	if raw := os.Getenv(natsNodeEnv); raw != "" {
		os.Exit(runNATSNode(raw))
	}
	os.Exit(m.Run())
}

// nodeConfig is one node of a test NATS cluster, set up as production is: JetStream on file
// storage with an fsync on every write (sync_interval: always).
type nodeConfig struct {
	Name        string   `json:"name"`
	Port        int      `json:"port"`
	ClusterPort int      `json:"clusterPort,omitempty"` // 0: a lone server, no cluster
	Routes      []string `json:"routes,omitempty"`
	StoreDir    string   `json:"storeDir"`
	// MaxStore is JetStream's max_file_store in bytes (0: the default, 75% of the free disk).
	MaxStore int64 `json:"maxStore,omitempty"`
}

// nodeReadyPrefix starts the line a node prints on standard output once it takes connections.
const nodeReadyPrefix = "nats node ready: "

func runNATSNode(raw string) int {
	var cfg nodeConfig
	if err := json.Unmarshal([]byte(raw), &cfg); err != nil {
		fmt.Fprintln(os.Stderr, "nats node: bad configuration:", err)
		return 2
	}
	opts := &server.Options{
		ServerName:             cfg.Name,
		Host:                   "127.0.0.1",
		Port:                   cfg.Port,
		JetStream:              true,
		StoreDir:               cfg.StoreDir,
		SyncAlways:             true,
		NoSigs:                 true,
		MaxPayload:             4<<20 + 4<<10, // what the embedded server allows: one record and its headers
		DisableJetStreamBanner: true,
	}
	if cfg.MaxStore > 0 {
		opts.JetStreamMaxStore = cfg.MaxStore
	}
	if cfg.ClusterPort > 0 {
		opts.Cluster = server.ClusterOpts{Name: "nappe-fault", Host: "127.0.0.1", Port: cfg.ClusterPort}
		opts.Routes = server.RoutesFromStr(strings.Join(cfg.Routes, ","))
	}
	ns, err := server.NewServer(opts)
	if err != nil {
		fmt.Fprintln(os.Stderr, "nats node:", err)
		return 2
	}
	ns.SetLoggerV2(nodeLogger{cfg.Name}, false, false, false)
	ns.Start()
	if !ns.ReadyForConnections(30 * time.Second) {
		fmt.Fprintln(os.Stderr, "nats node: not ready after 30 s")
		return 2
	}
	fmt.Printf("%s%s\n", nodeReadyPrefix, ns.ClientURL())

	// The test holds our standard input open: when it ends (the test process died, however it
	// died), so does this node. SIGTERM is a graceful stop.
	stdinClosed := make(chan struct{})
	go func() {
		io.Copy(io.Discard, os.Stdin)
		close(stdinClosed)
	}()
	term := make(chan os.Signal, 1)
	signal.Notify(term, syscall.SIGTERM, syscall.SIGINT)
	select {
	case <-term:
		ns.Shutdown()
		ns.WaitForShutdown()
		return 0
	case <-stdinClosed:
		return 3
	}
}

// nodeLogger passes on a node's warnings and errors (its notices are a dozen lines per election).
type nodeLogger struct{ name string }

func (l nodeLogger) Noticef(string, ...any) {}
func (l nodeLogger) Debugf(string, ...any)  {}
func (l nodeLogger) Tracef(string, ...any)  {}
func (l nodeLogger) Warnf(format string, v ...any) {
	fmt.Fprintf(os.Stderr, "[%s] WRN %s\n", l.name, fmt.Sprintf(format, v...))
}
func (l nodeLogger) Errorf(format string, v ...any) {
	fmt.Fprintf(os.Stderr, "[%s] ERR %s\n", l.name, fmt.Sprintf(format, v...))
}
func (l nodeLogger) Fatalf(format string, v ...any) {
	fmt.Fprintf(os.Stderr, "[%s] FTL %s\n", l.name, fmt.Sprintf(format, v...))
}

// natsNode is a NATS node running as its own process (this test binary, re-executed).
type natsNode struct {
	t      *testing.T
	cfg    nodeConfig
	url    string
	cmd    *exec.Cmd
	stdin  io.Closer
	exited chan struct{}
	ready  chan bool
}

// freeLoopbackPort returns a loopback port that was free a moment ago. Cluster nodes must know each
// other's route ports before they start, and a node restarted after a crash must come back on
// the same ports, so ports are chosen here rather than by the node.
func freeLoopbackPort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// startNATSNode runs a node process and waits until it takes connections.
func startNATSNode(t *testing.T, cfg nodeConfig) *natsNode {
	t.Helper()
	n := launchNATSNode(t, cfg)
	n.waitReady()
	return n
}

func launchNATSNode(t *testing.T, cfg nodeConfig) *natsNode {
	t.Helper()
	n := &natsNode{t: t, cfg: cfg, url: fmt.Sprintf("nats://127.0.0.1:%d", cfg.Port)}
	n.launch()
	t.Cleanup(func() { n.kill() })
	return n
}

func (n *natsNode) start() {
	n.t.Helper()
	n.launch()
	n.waitReady()
}

// launch starts the process; waitReady then waits for it to take connections.
func (n *natsNode) launch() {
	n.t.Helper()
	raw, _ := json.Marshal(n.cfg)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), natsNodeEnv+"="+string(raw))
	cmd.Stderr = &testLog{t: n.t}
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		n.t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		n.t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		n.t.Fatal(err)
	}
	n.cmd, n.stdin, n.exited = cmd, stdin, make(chan struct{})
	ready := make(chan bool, 1)
	n.ready = ready
	go func() {
		lines := bufio.NewScanner(out)
		ok := false
		for lines.Scan() {
			if strings.HasPrefix(lines.Text(), nodeReadyPrefix) && !ok {
				ok = true
				ready <- true
			}
		}
		if !ok {
			ready <- false
		}
	}()
	exited := n.exited
	go func() {
		cmd.Wait()
		close(exited)
	}()
}

func (n *natsNode) waitReady() {
	n.t.Helper()
	select {
	case ok := <-n.ready:
		if !ok {
			n.t.Fatalf("NATS node %s ended before it was ready", n.cfg.Name)
		}
	case <-time.After(30 * time.Second):
		n.t.Fatalf("NATS node %s not ready within 30 s", n.cfg.Name)
	}
}

func (n *natsNode) signal(sig syscall.Signal) {
	n.t.Helper()
	if err := n.cmd.Process.Signal(sig); err != nil {
		n.t.Fatalf("signal %v to NATS node %s: %v", sig, n.cfg.Name, err)
	}
}

// kill ends the node with SIGKILL, as a crash or a power cut of its machine would (every write
// it acknowledged was fsynced), and waits until it is gone.
func (n *natsNode) kill() {
	if n.cmd == nil {
		return
	}
	n.cmd.Process.Signal(syscall.SIGKILL)
	<-n.exited
	n.stdin.Close()
	n.cmd = nil
}

// restart brings a killed node back on the same ports and the same store.
func (n *natsNode) restart() {
	n.t.Helper()
	n.kill()
	n.start()
}

// natsCluster is a three-node NATS cluster of node processes.
type natsCluster struct {
	nodes []*natsNode
}

func startNATSCluster(t *testing.T, size int) *natsCluster {
	t.Helper()
	cfgs := make([]nodeConfig, size)
	var routes []string
	for i := range cfgs {
		cfgs[i] = nodeConfig{Name: fmt.Sprintf("n%d", i), Port: freeLoopbackPort(t), ClusterPort: freeLoopbackPort(t), StoreDir: t.TempDir()}
		routes = append(routes, fmt.Sprintf("nats://127.0.0.1:%d", cfgs[i].ClusterPort))
	}
	c := &natsCluster{}
	for i := range cfgs { // all at once: each waits for the others' routes
		cfgs[i].Routes = routes
		c.nodes = append(c.nodes, launchNATSNode(t, cfgs[i]))
	}
	for _, n := range c.nodes {
		n.waitReady()
	}
	c.waitJetStream(t, 60*time.Second)
	return c
}

// urls is the comma-separated list of client URLs, as --nats-url takes it.
func (c *natsCluster) urls() string {
	var out []string
	for _, n := range c.nodes {
		out = append(out, n.url)
	}
	return strings.Join(out, ",")
}

// waitJetStream waits until the cluster's JetStream answers (it has a meta leader).
func (c *natsCluster) waitJetStream(t *testing.T, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	var last error
	for time.Now().Before(deadline) {
		if last = c.probe(); last == nil {
			return
		}
		time.Sleep(100 * time.Millisecond) // polling a condition, not synchronisation
	}
	t.Fatalf("cluster JetStream not ready within %v: %v", within, last)
}

func (c *natsCluster) probe() error {
	nc, err := nats.Connect(c.urls(), nats.Timeout(2*time.Second), nats.MaxReconnects(0))
	if err != nil {
		return err
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, err = js.AccountInfo(ctx)
	return err
}

// streamLeader names the node leading a stream's RAFT group ("" when it has none).
func (c *natsCluster) streamLeader(name string) (*natsNode, error) {
	nc, err := nats.Connect(c.urls(), nats.Timeout(2*time.Second), nats.MaxReconnects(0))
	if err != nil {
		return nil, err
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	s, err := js.Stream(ctx, name)
	if err != nil {
		return nil, err
	}
	info := s.CachedInfo()
	if info.Cluster == nil || info.Cluster.Leader == "" {
		return nil, fmt.Errorf("stream %s has no leader", name)
	}
	for _, n := range c.nodes {
		if n.cfg.Name == info.Cluster.Leader {
			return n, nil
		}
	}
	return nil, fmt.Errorf("stream %s led by unknown node %q", name, info.Cluster.Leader)
}

// moveStreamLeader makes node lead the stream's RAFT group (a step-down with a preferred
// placement), so that a test can strike the leader of its choice.
func (c *natsCluster) moveStreamLeader(t *testing.T, name string, to *natsNode) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		leader, err := c.streamLeader(name)
		if err == nil && leader == to {
			return
		}
		if time.Now().After(deadline) {
			now := "none"
			if leader != nil {
				now = leader.cfg.Name
			}
			t.Fatalf("stream %s: could not move its leader to %s (now %s, %v)", name, to.cfg.Name, now, err)
		}
		if err == nil {
			if nc, err := nats.Connect(c.urls(), nats.Timeout(2*time.Second), nats.MaxReconnects(0)); err == nil {
				body, _ := json.Marshal(map[string]any{"placement": map[string]any{"preferred": to.cfg.Name}})
				nc.Request("$JS.API.STREAM.LEADER.STEPDOWN."+name, body, 3*time.Second)
				nc.Close()
			}
		}
		time.Sleep(200 * time.Millisecond) // polling a condition, not synchronisation
	}
}
