package loadtest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// Lines a server prints on standard output, which the tool reads to learn its addresses.
const (
	nappeListening = "nappe: listening on "
	nappeNATS      = "nappe: nats on "
	bareListening  = "bare: listening on "
	pprofListening = "bench: profiling on "
)

// child is a server process the tool started: Nappe (the same binary, re-executed) or the bare
// baseline. Its JSON logs go to a file in the run's directory, kept when something fails.
type child struct {
	name     string
	cmd      *exec.Cmd
	url      string // http://host:port
	natsURL  string // set when it was started with --nats-listen
	pprofURL string // set when it runs under the profiling wrapper
	logPath  string
	done     chan struct{} // closed when the process has exited
	waitErr  error
}

// spawn starts bin with args and waits for the line starting with ready, which carries the URL.
func spawn(name, bin string, args []string, logPath, ready string, timeout time.Duration) (*child, error) {
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	c := &child{name: name, cmd: exec.Command(bin, args...), logPath: logPath, done: make(chan struct{})}
	c.cmd.Stderr = logf
	out, err := c.cmd.StdoutPipe()
	if err != nil {
		logf.Close()
		return nil, err
	}
	if err := c.cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	go func() {
		c.waitErr = c.cmd.Wait()
		logf.Close()
		close(c.done)
	}()
	type line struct {
		text string
		ok   bool
	}
	lines := make(chan line, 16)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- line{sc.Text(), true}
		}
		close(lines)
		io.Copy(io.Discard, out)
	}()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				<-c.done
				return nil, fmt.Errorf("%s exited before listening (%v)%s", name, c.waitErr, logTail(logPath))
			}
			if u, ok := strings.CutPrefix(l.text, nappeNATS); ok {
				c.natsURL = u
			}
			if u, ok := strings.CutPrefix(l.text, pprofListening); ok {
				c.pprofURL = u
			}
			if u, ok := strings.CutPrefix(l.text, ready); ok {
				c.url = strings.TrimSpace(u)
				go func() { // keep the pipe drained
					for range lines {
					}
				}()
				return c, nil
			}
		case <-deadline.C:
			c.kill()
			return nil, fmt.Errorf("%s did not print %q within %v%s", name, ready, timeout, logTail(logPath))
		}
	}
}

func (c *child) pid() int { return c.cmd.Process.Pid }

// stop asks the process to stop (SIGTERM: Nappe then says goodbye to its clients, writes its
// snapshots and flushes NATS) and waits for it, killing it after timeout.
func (c *child) stop(timeout time.Duration) error {
	select {
	case <-c.done:
		return nil
	default:
	}
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	select {
	case <-c.done:
		return nil
	case <-time.After(timeout):
		c.kill()
		return fmt.Errorf("%s did not stop within %v after SIGTERM; killed", c.name, timeout)
	}
}

func (c *child) kill() {
	c.cmd.Process.Kill()
	<-c.done
}

// logTail is the end of a log file, to explain a failure.
func logTail(path string) string {
	raw, err := os.ReadFile(path)
	if err != nil || len(raw) == 0 {
		return ""
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) > 2000 {
		raw = raw[len(raw)-2000:]
	}
	return "\n--- " + path + " (end) ---\n" + string(raw)
}
