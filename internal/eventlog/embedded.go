package eventlog

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// startEmbedded runs a nats-server inside this process. Durability settings
// follow the design notes: with the default two-minute fsync interval an OS
// crash or power cut loses acknowledged writes, so every write is synced
// before it is acknowledged (SyncAlways), and async persistence is never
// used. A process kill alone loses nothing either way.
func startEmbedded(cfg Config, logger *slog.Logger) (*server.Server, error) {
	if cfg.DataDir == "" {
		return nil, fmt.Errorf("eventlog: embedded server needs a DataDir")
	}
	opts := &server.Options{
		ServerName:             cfg.ServerName,
		JetStream:              true,
		StoreDir:               filepath.Join(cfg.DataDir, "jetstream"),
		SyncAlways:             true,
		NoSigs:                 true, // signals belong to the host program
		MaxPayload:             int32(embeddedMaxPayload),
		DisableJetStreamBanner: true,
	}
	if cfg.ListenAddr == "" {
		opts.DontListen = true
	} else {
		host, port, err := splitListenAddr(cfg.ListenAddr)
		if err != nil {
			return nil, err
		}
		opts.Host, opts.Port = host, port
	}
	ns, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("eventlog: embedded nats-server: %w", err)
	}
	ns.SetLoggerV2(serverLogger{logger.With("component", "nats_server")}, false, false, false)
	ns.Start()
	if !ns.ReadyForConnections(30 * time.Second) {
		ns.Shutdown()
		ns.WaitForShutdown()
		return nil, fmt.Errorf("eventlog: embedded nats-server not ready (store %s, listen %q)", opts.StoreDir, cfg.ListenAddr)
	}
	return ns, nil
}

// splitListenAddr accepts "host:port". Port 0 means "any free port" as it
// does for net.Listen; nats-server would read 0 as its default 4222, so it
// becomes server.RANDOM_PORT.
func splitListenAddr(addr string) (string, int, error) {
	host, p, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, fmt.Errorf("eventlog: listen address %q: %w", addr, err)
	}
	port, err := strconv.Atoi(p)
	if err != nil || port < -1 || port > 65535 {
		return "", 0, fmt.Errorf("eventlog: listen address %q: bad port", addr)
	}
	if port == 0 {
		port = server.RANDOM_PORT
	}
	if host == "" {
		host = "0.0.0.0"
	}
	return host, port, nil
}

// serverLogger sends the embedded server's log to slog. Its notices (a
// banner of a dozen lines at start) go to debug so they do not drown the
// application's own log; warnings and errors stay visible.
type serverLogger struct{ log *slog.Logger }

func (s serverLogger) Noticef(format string, v ...any) { s.emit(slog.LevelDebug, format, v) }
func (s serverLogger) Warnf(format string, v ...any)   { s.emit(slog.LevelWarn, format, v) }
func (s serverLogger) Fatalf(format string, v ...any)  { s.emit(slog.LevelError, format, v) }
func (s serverLogger) Errorf(format string, v ...any)  { s.emit(slog.LevelError, format, v) }
func (s serverLogger) Debugf(format string, v ...any)  { s.emit(slog.LevelDebug, format, v) }
func (s serverLogger) Tracef(format string, v ...any)  { s.emit(slog.LevelDebug, format, v) }

func (s serverLogger) emit(level slog.Level, format string, v []any) {
	if s.log.Enabled(context.Background(), level) {
		s.log.Log(context.Background(), level, fmt.Sprintf(format, v...))
	}
}
