package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestConfigFromFlagsAndEnvironment(t *testing.T) {
	env := map[string]string{"NAPPE_ADDR": ":9000", "NAPPE_NATS_URL": "nats://a:4222", "NAPPE_PARTICIPANT_RATE": "2"}
	cfg, err := parseConfig([]string{"--data", "/d"}, func(k string) string { return env[k] }, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != ":9000" || cfg.Data != "/d" || cfg.NATSURL != "nats://a:4222" || cfg.Replicas != 3 || cfg.ParticipantRate != 2 || !cfg.MemoryTrim {
		t.Fatalf("config: %+v", cfg)
	}
	cfg, err = parseConfig([]string{"--addr", ":1", "--replicas", "1"}, func(k string) string { return env[k] }, &bytes.Buffer{})
	if err != nil || cfg.Addr != ":1" || cfg.Replicas != 1 {
		t.Fatalf("flags must win over the environment: %+v %v", cfg, err)
	}
	cfg, err = parseConfig([]string{"--memory-trim=false"}, func(string) string { return "" }, &bytes.Buffer{})
	if err != nil || cfg.MemoryTrim {
		t.Fatalf("flags must win over the environment: %+v %v", cfg, err)
	}
	for _, bad := range [][]string{{"--replicas", "9"}, {"--queue-bytes", "10"}, {"--log-level", "loud"}, {"extra"}, {"--participant-rate", "0"}, {"--memory-trim", "sometimes"}} {
		if _, err := parseConfig(bad, func(string) string { return "" }, &bytes.Buffer{}); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

func TestRotationReportSubcommand(t *testing.T) {
	if testing.Short() {
		t.Skip("plans 2,000 people")
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"rotation-report"}, func(string) string { return "" }, &out, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "2000 people, 100 tables, 5 rounds") || strings.Count(out.String(), "with churn") < 4 {
		t.Fatalf("report:\n%s", out.String())
	}
}
