package main

import (
	"io"
	"net/http"
	"regexp"
	"strconv"
	"testing"

	"github.com/google/uuid"
)

// The metrics listener serves Prometheus text with what operations need: connections, rooms,
// commands by result, latency histograms, NATS state, workshops in memory.
func TestMetrics(t *testing.T) {
	s := startServer(t, "--metrics-addr", "127.0.0.1:0")
	if s.metricsURL == "" {
		t.Fatal("the server did not print its metrics address")
	}
	c := newCafé(t, s)
	ada := joinCafé(t, s, c, "Ada", c.tables[0])
	pa := online(t, s, c.Workshop.ID, ada.token)
	online(t, s, c.Workshop.ID, c.BoardKey)
	pa.waitFor("ack", answer(pa.cmd("note.post", map[string]any{"note": uuid.NewString(), "text": "mesurée"})))
	pa.waitFor("error", answer(pa.cmd("note.post", map[string]any{"note": uuid.NewString(), "text": ""})))

	res, err := http.Get(s.metricsURL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("metrics: %d", res.StatusCode)
	}
	value := func(name string) float64 {
		t.Helper()
		m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + ` ([0-9.e+-]+)$`).FindSubmatch(body)
		if m == nil {
			t.Fatalf("no %s in\n%s", name, body)
		}
		v, _ := strconv.ParseFloat(string(m[1]), 64)
		return v
	}
	for name, min := range map[string]float64{
		"nappe_ws_connections":                   2,
		"nappe_rooms":                            3,
		`nappe_commands_total{result="ok"}`:      1,
		`nappe_commands_total{result="refused"}`: 1,
		"nappe_nats_connected":                   1,
		"nappe_workshops_running":                1,
		"nappe_events_applied_total":             1,
		"nappe_deliveries_total":                 1,
		"nappe_ws_frames_sent_total":             1,
		"nappe_command_duration_seconds_count":   2,
		"nappe_append_duration_seconds_count":    1,
	} {
		if v := value(name); v < min {
			t.Errorf("%s = %v, want at least %v", name, v, min)
		}
	}
	if !regexp.MustCompile(`(?m)^go_goroutines `).Match(body) {
		t.Error("no Go runtime metrics")
	}
	if st := call(t, "GET", s.url+"/metrics", "", nil, nil); st == 200 {
		t.Error("metrics are served on the public listener")
	}
}
