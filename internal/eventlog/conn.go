package eventlog

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/nats-io/nats.go"

	"nappe/internal/metrics"
)

// Reconnect backoff: quick first retries (a restarting local server is back
// within a second), then no more than one attempt every few seconds so that a
// fleet of Nappe processes does not hammer a recovering cluster.
const (
	reconnectFirst = 100 * time.Millisecond
	reconnectMax   = 3 * time.Second
)

// A node that stops answering without closing its sockets (frozen, partitioned) is noticed after
// pingInterval × (maxPingsOut + 1) at most, then the client moves to another node of the
// cluster. nats.go's defaults (two minutes, twice) would leave phones refused for minutes while
// the rest of the cluster is fine.
const (
	pingInterval = 2 * time.Second
	maxPingsOut  = 2
)

// connect opens the connection that everything else uses: in-process to the
// embedded server, or to url. It reconnects forever: a Nappe process without
// NATS is useless, and giving up would need a restart to recover.
func (l *Log) connect(url string) (*nats.Conn, error) {
	opts := []nats.Option{
		nats.Name("nappe"),
		nats.MaxReconnects(-1),
		nats.PingInterval(pingInterval),
		nats.MaxPingsOutstanding(maxPingsOut),
		nats.CustomReconnectDelay(reconnectDelay),
		// Writes made while disconnected fail at once instead of being
		// replayed minutes later, when the caller has long given up on them.
		nats.ReconnectBufSize(-1),
		nats.DisconnectErrHandler(func(nc *nats.Conn, err error) {
			if l.closing() {
				return // our own Close: nothing to warn about
			}
			metrics.NATSDisconnects.Inc()
			l.log.Warn("nats disconnected", "error", err)
		}),
		nats.ReconnectHandler(func(nc *nats.Conn) {
			metrics.NATSReconnects.Inc()
			l.log.Info("nats reconnected", "server_url", nc.ConnectedUrlRedacted())
		}),
		nats.ReconnectErrHandler(func(nc *nats.Conn, err error) {
			l.log.Debug("nats reconnect attempt failed", "error", err)
		}),
		nats.ErrorHandler(func(nc *nats.Conn, sub *nats.Subscription, err error) {
			subj := ""
			if sub != nil {
				subj = sub.Subject
			}
			l.log.Warn("nats async error", "subject", subj, "error", err)
		}),
		nats.ClosedHandler(func(nc *nats.Conn) {
			l.log.Debug("nats connection closed")
			close(l.ncClosed)
		}),
	}
	if l.srv != nil {
		opts = append(opts, nats.InProcessServer(l.srv))
	}
	nc, err := nats.Connect(url, opts...)
	if err != nil {
		where := url
		if l.srv != nil {
			where = "embedded server"
		}
		return nil, fmt.Errorf("eventlog: connect to %s: %w", where, err)
	}
	where := nc.ConnectedUrlRedacted()
	if l.srv != nil {
		where = "in-process"
	}
	l.log.Info("nats connected", "server_url", where, "max_payload", nc.MaxPayload())
	return nc, nil
}

// reconnectDelay doubles from reconnectFirst up to reconnectMax, with jitter
// so that processes cut off together do not come back in lockstep.
func reconnectDelay(attempts int) time.Duration {
	d := reconnectFirst
	for i := 1; i < attempts && d < reconnectMax; i++ {
		d *= 2
	}
	d = min(d, reconnectMax)
	return d/2 + rand.N(d/2+1)
}
