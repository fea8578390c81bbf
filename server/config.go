package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
)

// config is every setting, each a flag with an environment variable of the same name
// (NAPPE_ + upper case, dashes as underscores). A flag wins over the environment.
type config struct {
	Addr      string
	Data      string
	NATSURL   string
	PublicURL string
	Origins   []string
	Replicas  int
	LogLevel  slog.Level
	// NATSListen makes the embedded NATS accept connections, so that more Nappe processes can
	// share it with --nats-url (for a small setup; a real cluster is better).
	NATSListen string
	QueueBytes int
	// ParticipantRate is how many commands a second one participant may send (bursts of six
	// times that); facilitators get ten times more.
	ParticipantRate float64
	// MetricsAddr serves Prometheus metrics on their own listener, kept off the public one.
	MetricsAddr string
	// MemoryTrim returns the free heap to the operating system when the process goes quiet
	// after a burst (internal/memtrim).
	MemoryTrim bool
}

func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("nappe", flag.ContinueOnError)
	fs.SetOutput(stderr)
	env := func(name, def string) string {
		if v := getenv("NAPPE_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))); v != "" {
			return v
		}
		return def
	}
	var c config
	var origins, level, replicas string
	fs.StringVar(&c.Addr, "addr", env("addr", ":8080"), "address to listen on (NAPPE_ADDR)")
	fs.StringVar(&c.Data, "data", env("data", "./nappe-data"), "data directory of the embedded NATS store (NAPPE_DATA)")
	fs.StringVar(&c.NATSURL, "nats-url", env("nats-url", ""), "external NATS server or cluster, comma-separated URLs; empty: embedded (NAPPE_NATS_URL)")
	fs.StringVar(&c.PublicURL, "public-url", env("public-url", ""), "address people reach Nappe at, for QR codes; empty: from each request (NAPPE_PUBLIC_URL)")
	fs.StringVar(&origins, "origins", env("origins", ""), "extra allowed WebSocket origins (host patterns), comma-separated (NAPPE_ORIGINS)")
	fs.StringVar(&replicas, "replicas", env("replicas", ""), "JetStream replicas; default 1 embedded, 3 with --nats-url (NAPPE_REPLICAS)")
	fs.StringVar(&c.NATSListen, "nats-listen", env("nats-listen", ""), "address for the embedded NATS to listen on, e.g. 127.0.0.1:4222; empty: in-process only (NAPPE_NATS_LISTEN)")
	var queue string
	fs.StringVar(&queue, "queue-bytes", env("queue-bytes", "1048576"), "per-connection send queue bound; a client further behind is disconnected and resumes (NAPPE_QUEUE_BYTES)")
	fs.Float64Var(&c.ParticipantRate, "participant-rate", envFloat(env("participant-rate", "5")), "commands per second per participant, bursts of 6× (NAPPE_PARTICIPANT_RATE)")
	fs.StringVar(&c.MetricsAddr, "metrics-addr", env("metrics-addr", ""), "address for Prometheus metrics at /metrics, e.g. 127.0.0.1:9100; empty: off (NAPPE_METRICS_ADDR)")
	var trim string
	fs.StringVar(&trim, "memory-trim", env("memory-trim", "true"), "return free memory to the system when quiet after a burst (NAPPE_MEMORY_TRIM)")
	fs.StringVar(&level, "log-level", env("log-level", "info"), "debug, info, warn or error (NAPPE_LOG_LEVEL)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	for _, o := range strings.Split(origins, ",") {
		if o = strings.TrimSpace(o); o != "" {
			c.Origins = append(c.Origins, o)
		}
	}
	c.Replicas = 1
	if c.NATSURL != "" {
		c.Replicas = 3
	}
	if replicas != "" {
		n, err := strconv.Atoi(replicas)
		if err != nil || n < 1 || n > 5 {
			return c, fmt.Errorf("replicas must be 1 to 5, not %q", replicas)
		}
		c.Replicas = n
	}
	n, err := strconv.Atoi(queue)
	if err != nil || n < 64<<10 {
		return c, fmt.Errorf("queue-bytes must be a number of bytes, at least 65536, not %q", queue)
	}
	c.QueueBytes = n
	if c.NATSListen != "" && c.NATSURL != "" {
		return c, fmt.Errorf("--nats-listen is for the embedded NATS; it cannot go with --nats-url")
	}
	if c.ParticipantRate <= 0 {
		return c, fmt.Errorf("participant-rate must be positive")
	}
	if c.MemoryTrim, err = strconv.ParseBool(trim); err != nil {
		return c, fmt.Errorf("memory-trim must be true or false, not %q", trim)
	}
	if err := c.LogLevel.UnmarshalText([]byte(level)); err != nil {
		return c, fmt.Errorf("log-level: %w", err)
	}
	return c, nil
}

// envFloat reads a number from the environment; junk becomes 0, which validation then refuses.
func envFloat(s string) float64 {
	f, _ := strconv.ParseFloat(s, 64)
	return f
}
