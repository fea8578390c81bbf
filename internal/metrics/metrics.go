// Package metrics holds Nappe's Prometheus metrics: one set for the process, written in the
// Prometheus text format by Handler. The packages that do the work count into the variables
// here; nothing else in them depends on how the numbers are exposed.
package metrics

import (
	"net/http"
	"sync"
	"sync/atomic"

	vm "github.com/VictoriaMetrics/metrics"
)

var set = vm.NewSet()

// Connections.
var (
	// wsOpen is the number of WebSocket connections open now.
	wsOpen atomic.Int64
	// WSOpened counts connections accepted since start.
	WSOpened = set.NewCounter(`nappe_ws_connections_opened_total`)
	// WSTooSlow counts connections closed because their send queue overflowed (close 4008).
	WSTooSlow = set.NewCounter(`nappe_ws_closed_too_slow_total`)
	// WSFrames, WSMessages and WSBytes count what was written to clients: frames (several
	// messages go in one frame when a client is behind), messages and bytes.
	WSFrames   = set.NewCounter(`nappe_ws_frames_sent_total`)
	WSMessages = set.NewCounter(`nappe_ws_messages_sent_total`)
	WSBytes    = set.NewCounter(`nappe_ws_bytes_sent_total`)
	// FramesIn counts frames received from clients, BadFrames those refused with an error.
	FramesIn  = set.NewCounter(`nappe_ws_frames_received_total`)
	BadFrames = set.NewCounter(`nappe_ws_bad_frames_total`)
)

// Rooms counts the live rooms (one per table in use, the projectors', the facilitators').
var rooms atomic.Int64

// Commands and events.
var (
	CommandsOK          = set.NewCounter(`nappe_commands_total{result="ok"}`)
	CommandsRefused     = set.NewCounter(`nappe_commands_total{result="refused"}`)
	CommandsUnavailable = set.NewCounter(`nappe_commands_total{result="unavailable"}`)
	RateLimited         = set.NewCounter(`nappe_commands_rate_limited_total`)
	// CommandSeconds is the time from a command reaching the workshop to its answer: decide,
	// the fsynced append, apply and fan-out.
	CommandSeconds = set.NewHistogram(`nappe_command_duration_seconds`)
	// AppendSeconds is the JetStream append alone.
	AppendSeconds = set.NewHistogram(`nappe_append_duration_seconds`)
	// AppendConflicts counts appends that lost a race with another process.
	AppendConflicts = set.NewCounter(`nappe_append_conflicts_total`)
	// EventsApplied counts events applied to workshops in memory (this process's and others').
	EventsApplied = set.NewCounter(`nappe_events_applied_total`)
	// Deliveries counts messages queued to connections by room broadcasts.
	Deliveries = set.NewCounter(`nappe_deliveries_total`)
)

// Panics counts panics recovered, by where they happened (the workshop loop, a read run on it,
// a decision, loading, an HTTP handler, a WebSocket session…): each cost one answer, not the
// process.
func Panics(where string) {
	set.GetOrCreateCounter(`nappe_panics_total{where="` + where + `"}`).Inc()
}

// PanicsCounted reads the panics counted at where, for tests.
func PanicsCounted(where string) uint64 {
	return set.GetOrCreateCounter(`nappe_panics_total{where="` + where + `"}`).Get()
}

// MemoryTrims counts the times free heap was returned to the system after a burst.
var MemoryTrims = set.NewCounter(`nappe_memory_trims_total`)

// NATS.
var (
	NATSReconnects  = set.NewCounter(`nappe_nats_reconnects_total`)
	NATSDisconnects = set.NewCounter(`nappe_nats_disconnects_total`)
)

// ConnOpened and ConnClosed keep the open-connection gauge.
func ConnOpened() { wsOpen.Add(1); WSOpened.Inc() }
func ConnClosed() { wsOpen.Add(-1) }

// RoomOpened and RoomClosed keep the room gauge.
func RoomOpened() { rooms.Add(1) }
func RoomClosed() { rooms.Add(-1) }

// RoomsOpen is the room gauge's value.
func RoomsOpen() int64 { return rooms.Load() }

// Gauges whose value is read when scraped.
func init() {
	set.NewGauge(`nappe_ws_connections`, func() float64 { return float64(wsOpen.Load()) })
	set.NewGauge(`nappe_rooms`, func() float64 { return float64(rooms.Load()) })
}

// Gauge registers a value read when scraped (the number of workshops in memory, whether NATS is
// connected). Registering a name again replaces its source: in tests several servers share the
// process, and the latest one counts.
func Gauge(name string, f func() float64) {
	sources.Lock()
	defer sources.Unlock()
	if _, ok := sources.m[name]; !ok {
		set.NewGauge(name, func() float64 {
			sources.Lock()
			g := sources.m[name]
			sources.Unlock()
			return g()
		})
	}
	sources.m[name] = f
}

var sources = struct {
	sync.Mutex
	m map[string]func() float64
}{m: map[string]func() float64{}}

// Handler serves the metrics, with Go runtime and process metrics, in the Prometheus format.
func Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		set.WritePrometheus(w)
		vm.WriteProcessMetrics(w)
	})
}
