package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"nappe/assets"
	"nappe/internal/eventlog"
	"nappe/internal/httpapi"
	"nappe/internal/hub"
	"nappe/internal/live"
	"nappe/internal/memtrim"
	"nappe/internal/metrics"
)

// shutdownGrace bounds a graceful stop: clients are told to reconnect and queued frames flushed.
const shutdownGrace = 10 * time.Second

// serve wires everything by hand, in one place: log → hub → HTTP.
func serve(ctx context.Context, cfg config, stdout, stderr io.Writer) error {
	logger := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	elog, err := eventlog.Open(ctx, eventlog.Config{NATSURL: cfg.NATSURL, DataDir: cfg.Data, ListenAddr: cfg.NATSListen, Replicas: cfg.Replicas, Logger: logger})
	if err != nil {
		return fmt.Errorf("open event log: %w", err)
	}
	defer elog.Close()
	if cfg.NATSListen != "" {
		fmt.Fprintf(stdout, "nappe: nats on %s\n", elog.ClientURL())
	}
	h := hub.New(elog, hub.Options{Logger: logger, ParticipantRate: cfg.ParticipantRate})
	metrics.Gauge("nappe_workshops_running", func() float64 { return float64(h.Running()) })
	metrics.Gauge("nappe_nats_connected", func() float64 {
		if elog.Connected() {
			return 1
		}
		return 0
	})
	if cfg.MemoryTrim {
		go memtrim.Run(ctx, memtrim.Options{OnTrim: func(freed uint64) {
			metrics.MemoryTrims.Inc()
			logger.Debug("returned free memory to the system", "bytes", freed)
		}})
	}
	if cfg.MetricsAddr != "" {
		stop, err := serveMetrics(cfg.MetricsAddr, stdout)
		if err != nil {
			return err
		}
		defer stop()
	}
	srv, err := httpapi.New(httpapi.Config{
		Hub: h, Ready: elog.Ready, Assets: assets.Dist(), PublicURL: cfg.PublicURL, Origins: cfg.Origins, Logger: logger,
		Live: live.Options{MaxQueueBytes: cfg.QueueBytes, Logger: logger},
	})
	if err != nil {
		return fmt.Errorf("http: %w", err)
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	// Tests and scripts wait for this exact line to know the server is ready and on which port.
	fmt.Fprintf(stdout, "nappe: listening on http://%s\n", displayAddr(ln.Addr()))
	logger.Info("listening", "addr", ln.Addr().String(), "nats", natsMode(cfg))

	errc := make(chan error, 1)
	go func() { errc <- srv.App.Listener(httpapi.Listener(ln)) }()
	select {
	case err := <-errc:
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	// Stop accepting first, then tell every WebSocket client to reconnect (elsewhere, or here
	// once restarted), then close the log, which flushes NATS.
	if err := srv.Shutdown(sctx, h.Close); err != nil {
		logger.Warn("shutdown", "err", err)
	}
	return nil
}

func displayAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if ok && tcp.IP.IsUnspecified() {
		return fmt.Sprintf("localhost:%d", tcp.Port)
	}
	return a.String()
}

func natsMode(cfg config) string {
	if cfg.NATSURL == "" {
		return "embedded"
	}
	return "external"
}

// serveMetrics serves /metrics on its own listener, so that Prometheus can reach it on an internal
// address while the public one carries only the app.
func serveMetrics(addr string, stdout io.Writer) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("metrics listen: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", metrics.Handler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	fmt.Fprintf(stdout, "nappe: metrics on http://%s/metrics\n", displayAddr(ln.Addr()))
	return func() { srv.Close() }, nil
}
