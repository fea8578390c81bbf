// Command nappe serves Nappe: the live, shared paper tablecloth of a World Café. By default one
// process does everything, with NATS JetStream embedded and storing under --data; with --nats-url,
// several processes share an external NATS cluster and the same workshops.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"nappe/internal/rotation"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "nappe:", err)
		os.Exit(1)
	}
}

// run is the whole program, with its outside world passed in so tests can run it in-process.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "rotation-report" {
		// Compares the seating planner with random seating and the hand method (README).
		return rotation.Report(stdout, rotation.DefaultCases())
	}
	if len(args) > 0 && benchCommands[args[0]] != nil {
		// The load tool and the servers it measures (server/bench.go).
		return benchCommands[args[0]](ctx, args[1:], getenv, stdout, stderr)
	}
	cfg, err := parseConfig(args, getenv, stderr)
	if err != nil {
		return err
	}
	return serve(ctx, cfg, stdout, stderr)
}
