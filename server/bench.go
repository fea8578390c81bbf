package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"nappe/internal/loadtest"
)

// benchCommands are the load tool and the helper servers it starts by re-executing this binary.
// Only "bench" is meant for people; the other two are hidden.
var benchCommands = map[string]func(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error{
	"bench":       runBench,
	"bench-bare":  runBenchBare,
	"bench-serve": runBenchServe,
}

// runBench is `nappe bench`: simulated phones and projectors against a Nappe it spawns (this same
// binary) or --target; see internal/loadtest.
func runBench(ctx context.Context, args []string, _ func(string) string, stdout, stderr io.Writer) error {
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("bench: cannot find this program to re-execute it: %w", err)
	}
	return loadtest.Main(ctx, args, exe, stdout, stderr)
}

// runBenchBare is `nappe bench-bare --addr HOST:PORT [--pprof-addr HOST:PORT]`: the bare
// coder/websocket broadcast server that bench --baseline compares Nappe with.
func runBenchBare(ctx context.Context, args []string, _ func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench-bare", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "address to listen on")
	pprofAddr := fs.String("pprof-addr", "", "also serve profiles here, for bench --profile")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *pprofAddr != "" {
		stop, err := loadtest.ServeProfiles(*pprofAddr, stdout)
		if err != nil {
			return err
		}
		defer stop()
	}
	return loadtest.ServeBare(ctx, *addr, stdout)
}

// runBenchServe is `nappe bench-serve --pprof-addr HOST:PORT [nappe flags]`: Nappe exactly as
// usual, plus CPU and heap profiles on a private port, for bench --profile.
func runBenchServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	pprofAddr := "127.0.0.1:0"
	var rest []string
	for i := 0; i < len(args); i++ {
		switch {
		case args[i] == "--pprof-addr" && i+1 < len(args):
			pprofAddr = args[i+1]
			i++
		default:
			rest = append(rest, args[i])
		}
	}
	stop, err := loadtest.ServeProfiles(pprofAddr, stdout)
	if err != nil {
		return err
	}
	defer stop()
	cfg, err := parseConfig(rest, getenv, stderr)
	if err != nil {
		return err
	}
	return serve(ctx, cfg, stdout, stderr)
}
