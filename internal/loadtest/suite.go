package loadtest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// suite is one invocation: the scenarios it runs, the servers it starts, what it found.
type suite struct {
	cfg      Config
	dir      string // data directories and logs of spawned servers
	outcomes []*Outcome
	failed   bool
}

// Run runs the configured scenarios and prints each one's report as soon as it is done.
func Run(ctx context.Context, cfg Config) ([]*Outcome, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "nappe-bench-")
	if err != nil {
		return nil, err
	}
	s := &suite{cfg: cfg, dir: dir}
	defer func() {
		if cfg.KeepData || s.failed {
			s.logf("run directory kept: %s", dir)
		} else {
			os.RemoveAll(dir)
		}
	}()
	fmt.Fprintf(cfg.Out, "nappe bench: %s, %d tables × %d phones, %d projectors, %d CPU cores, %s\n",
		target(cfg), cfg.Tables, cfg.PerTable, cfg.Projectors, numCPU(), time.Now().Format("2006-01-02 15:04"))
	for _, key := range cfg.Scenarios {
		if ctx.Err() != nil {
			return s.outcomes, ctx.Err()
		}
		o, err := s.scenario(ctx, key)
		if err != nil {
			s.failed = true
			if o == nil {
				o = &Outcome{Key: key, Title: titles[key]}
			}
			o.Err = err
		}
		s.outcomes = append(s.outcomes, o)
		o.print(cfg.Out)
	}
	printSummary(cfg.Out, s.outcomes)
	return s.outcomes, nil
}

func target(cfg Config) string {
	if cfg.Target != "" {
		return "target " + cfg.Target
	}
	return "spawned server"
}

func (s *suite) logf(format string, args ...any) {
	fmt.Fprintf(s.cfg.Log, "bench: "+format+"\n", args...)
}

func (s *suite) vlogf(format string, args ...any) {
	if s.cfg.Verbose {
		s.logf(format, args...)
	}
}

// nappe starts a Nappe server (or takes the --target one) for one scenario.
func (s *suite) nappe(name string, extra ...string) (*endpoint, error) {
	if s.cfg.Target != "" {
		e := &endpoint{name: "target"}
		e.set(s.cfg.Target, 0)
		return e, nil
	}
	data := filepath.Join(s.dir, name+"-data")
	args := []string{"--addr", "127.0.0.1:0", "--data", data, "--log-level", "warn",
		"--participant-rate", strconv.FormatFloat(s.cfg.ParticipantRate, 'f', -1, 64)}
	args = append(append(args, extra...), s.cfg.ServerArgs...)
	if s.cfg.ProfileDir != "" {
		args = append([]string{"bench-serve", "--pprof-addr", "127.0.0.1:0"}, args...)
	}
	e := &endpoint{name: name, bin: s.cfg.Bin, args: args, ready: nappeListening, logDir: s.dir}
	return e, s.start(e, 0)
}

// bare starts the baseline server.
func (s *suite) bare(name string) (*endpoint, error) {
	args := []string{"bench-bare", "--addr", "127.0.0.1:0"}
	if s.cfg.ProfileDir != "" {
		args = append(args, "--pprof-addr", "127.0.0.1:0")
	}
	e := &endpoint{name: name, bin: s.cfg.Bin, args: args, ready: bareListening, logDir: s.dir}
	return e, s.start(e, 0)
}

func (s *suite) start(e *endpoint, gen int) error {
	log := filepath.Join(e.logDir, fmt.Sprintf("%s-%d.log", e.name, gen))
	c, err := spawn(e.name, e.bin, e.args, log, e.ready, time.Minute)
	if err != nil {
		return err
	}
	e.child = c
	e.set(c.url, gen)
	s.vlogf("%s listening on %s (pid %d)", e.name, c.url, c.pid())
	return nil
}

// restart stops a spawned server gracefully and starts it again on the same data, on a new port.
func (s *suite) restart(e *endpoint) (stopped time.Duration, cpu time.Duration, err error) {
	t0 := time.Now()
	if err := e.child.stop(30 * time.Second); err != nil {
		return time.Since(t0), 0, err
	}
	stopped = time.Since(t0)
	if st := e.child.cmd.ProcessState; st != nil {
		cpu = st.UserTime() + st.SystemTime()
	}
	return stopped, cpu, s.start(e, e.current().gen+1)
}

// release stops the servers of a scenario.
func (s *suite) release(eps ...*endpoint) {
	for _, e := range eps {
		if e == nil || e.child == nil {
			continue
		}
		if err := e.child.stop(30 * time.Second); err != nil {
			s.logf("%v", err)
		}
	}
}

// profile collects a CPU profile of every spawned server for d, then heap and goroutine profiles, into
// --profile; wait blocks until they are written.
func (s *suite) profile(b *bench, key string, d time.Duration) (wait func()) {
	if s.cfg.ProfileDir == "" {
		return func() {}
	}
	os.MkdirAll(s.cfg.ProfileDir, 0o755)
	done := make(chan struct{})
	n := 0
	for _, e := range b.eps {
		if e.child == nil || e.child.pprofURL == "" {
			continue
		}
		n++
		go func() {
			defer func() { done <- struct{}{} }()
			secs := max(int(d.Seconds()+0.999), 1)
			base := fmt.Sprintf("%s/%s-%s-%s", s.cfg.ProfileDir, key, b.mode, e.name)
			if err := fetch(e.child.pprofURL+"/cpu?seconds="+strconv.Itoa(secs), base+"-cpu.pprof"); err != nil {
				s.logf("cpu profile of %s: %v", e.name, err)
			}
			for _, name := range []string{"heap.pprof", "goroutine.pprof", "runtime.txt"} {
				kind, _, _ := strings.Cut(name, ".")
				if err := fetch(e.child.pprofURL+"/"+kind, base+"-"+name); err != nil {
					s.logf("%s profile of %s: %v", kind, e.name, err)
				}
			}
		}()
	}
	return func() {
		for range n {
			<-done
		}
	}
}

func fetch(url, path string) error {
	res, err := http.Get(url)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		return fmt.Errorf("%s: %s", url, res.Status)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(f, res.Body)
	return err
}
