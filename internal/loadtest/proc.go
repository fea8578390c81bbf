package loadtest

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"syscall"
	"time"
)

// clockTick is the unit of utime and stime in /proc/<pid>/stat. It is USER_HZ, 100 on every
// Linux architecture Go supports.
const clockTick = 10 * time.Millisecond

// procStat is what /proc says about one process.
type procStat struct {
	CPU time.Duration // user + system time since it started
	RSS int64         // resident set size, bytes
	HWM int64         // peak resident set size, bytes
}

// readProc reads a process's CPU time and memory from /proc/<pid>/stat and /proc/<pid>/status.
func readProc(pid int) (procStat, error) {
	var s procStat
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return s, err
	}
	// The command name (field 2) is in parentheses and may hold spaces: split after the last ')'.
	i := bytes.LastIndexByte(raw, ')')
	if i < 0 {
		return s, fmt.Errorf("/proc/%d/stat: unexpected format", pid)
	}
	f := bytes.Fields(raw[i+1:]) // f[0] is field 3 (state)
	if len(f) < 13 {
		return s, fmt.Errorf("/proc/%d/stat: too few fields", pid)
	}
	utime, _ := strconv.ParseInt(string(f[11]), 10, 64) // field 14
	stime, _ := strconv.ParseInt(string(f[12]), 10, 64) // field 15
	s.CPU = time.Duration(utime+stime) * clockTick
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return s, err
	}
	s.RSS = statusKB(status, "VmRSS:") << 10
	s.HWM = statusKB(status, "VmHWM:") << 10
	return s, nil
}

func statusKB(status []byte, key string) int64 {
	i := bytes.Index(status, []byte(key))
	if i < 0 {
		return 0
	}
	line := status[i+len(key):]
	if j := bytes.IndexByte(line, '\n'); j >= 0 {
		line = line[:j]
	}
	f := bytes.Fields(line)
	if len(f) == 0 {
		return 0
	}
	n, _ := strconv.ParseInt(string(f[0]), 10, 64)
	return n
}

// selfCPU is this process's user + system CPU time.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// machineCPU is the machine's CPU time from the first line of /proc/stat, in ticks.
type machineCPU struct{ busy, total uint64 }

func readMachine() machineCPU {
	raw, err := os.ReadFile("/proc/stat")
	if err != nil {
		return machineCPU{}
	}
	line, _, _ := bytes.Cut(raw, []byte("\n"))
	f := bytes.Fields(line)
	if len(f) < 5 || string(f[0]) != "cpu" {
		return machineCPU{}
	}
	var m machineCPU
	for i, x := range f[1:] {
		n, _ := strconv.ParseUint(string(x), 10, 64)
		if i >= 8 { // guest and guest_nice are already counted in user and nice
			break
		}
		m.total += n
		if i != 3 && i != 4 { // idle, iowait
			m.busy += n
		}
	}
	return m
}

// usage is the CPU spent over a measured interval: by this tool, by the servers, and by the whole
// machine, so that a report can say when the machine itself was the limit.
type usage struct {
	Wall        time.Duration
	Tool        time.Duration
	Server      time.Duration
	MachineBusy float64 // cores busy on average (0 when /proc/stat is unreadable)
	Cores       int
}

type usageMeter struct {
	start   time.Time
	tool    time.Duration
	server  time.Duration
	machine machineCPU
	pids    []int
}

func startUsage(pids []int) *usageMeter {
	return &usageMeter{start: time.Now(), tool: selfCPU(), server: serversCPU(pids), machine: readMachine(), pids: pids}
}

func (m *usageMeter) stop() usage {
	u := usage{Wall: time.Since(m.start), Tool: selfCPU() - m.tool, Server: serversCPU(m.pids) - m.server, Cores: runtime.NumCPU()}
	end := readMachine()
	if dt := end.total - m.machine.total; dt > 0 {
		u.MachineBusy = float64(end.busy-m.machine.busy) / float64(dt) * float64(u.Cores)
	}
	return u
}

func serversCPU(pids []int) time.Duration {
	var total time.Duration
	for _, pid := range pids {
		if s, err := readProc(pid); err == nil {
			total += s.CPU
		}
	}
	return total
}

// saturated reports whether the machine was busy enough that latencies measure it, not the server.
func (u usage) saturated() bool {
	return u.MachineBusy > 0.9*float64(u.Cores)
}

// others is the CPU used by programs other than this tool and its servers, in cores.
func (u usage) others() float64 {
	if u.Wall <= 0 {
		return 0
	}
	return max(u.MachineBusy-(u.Tool+u.Server).Seconds()/u.Wall.Seconds(), 0)
}
