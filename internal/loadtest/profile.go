package loadtest

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"
)

// ServeProfiles serves CPU and heap profiles of this process on addr, for the bench's
// --profile: GET /cpu?seconds=N, and /heap, /goroutine or any other runtime/pprof profile by
// name, all in pprof's format. It prints
// "bench: profiling on http://HOST:PORT" first. (runtime/pprof rather than net/http/pprof, whose
// import would register its handlers on http.DefaultServeMux of every binary that links this.)
func ServeProfiles(addr string, stdout io.Writer) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/cpu", func(w http.ResponseWriter, r *http.Request) {
		secs, _ := strconv.Atoi(r.URL.Query().Get("seconds"))
		secs = min(max(secs, 1), 600)
		w.Header().Set("Content-Type", "application/octet-stream")
		if err := pprof.StartCPUProfile(w); err != nil {
			http.Error(w, err.Error(), http.StatusConflict)
			return
		}
		select {
		case <-time.After(time.Duration(secs) * time.Second):
		case <-r.Context().Done():
		}
		pprof.StopCPUProfile()
	})
	mux.HandleFunc("/runtime", func(w http.ResponseWriter, r *http.Request) {
		// Where the process's memory is, from the runtime's own accounting after a collection, and
		// how long goroutines waited to run.
		runtime.GC()
		all := metrics.All()
		var samples []metrics.Sample
		for _, d := range all {
			if strings.HasPrefix(d.Name, "/memory/classes/") || d.Name == "/sched/goroutines:goroutines" {
				samples = append(samples, metrics.Sample{Name: d.Name})
			}
		}
		samples = append(samples, metrics.Sample{Name: "/sched/latencies:seconds"})
		metrics.Read(samples)
		for _, s := range samples {
			switch s.Value.Kind() {
			case metrics.KindUint64:
				fmt.Fprintf(w, "%-50s %12d\n", s.Name, s.Value.Uint64())
			case metrics.KindFloat64Histogram:
				// How long runnable goroutines waited for a CPU, since the process started.
				h := s.Value.Float64Histogram()
				for _, q := range []float64{0.5, 0.9, 0.99, 0.999} {
					fmt.Fprintf(w, "%-50s %12.6f\n", fmt.Sprintf("%s p%g", s.Name, q*100), histQuantile(h, q))
				}
			}
		}
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { // /heap, /goroutine, /allocs, …
		p := pprof.Lookup(strings.TrimPrefix(r.URL.Path, "/"))
		if p == nil {
			http.NotFound(w, r)
			return
		}
		if p.Name() == "heap" {
			runtime.GC()
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		p.WriteTo(w, 0)
	})
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	fmt.Fprintf(stdout, "%shttp://%s\n", pprofListening, ln.Addr())
	return func() { srv.Close() }, nil
}

func histQuantile(h *metrics.Float64Histogram, q float64) float64 {
	var total uint64
	for _, c := range h.Counts {
		total += c
	}
	if total == 0 {
		return 0
	}
	rank := uint64(q * float64(total))
	var seen uint64
	for i, c := range h.Counts {
		seen += c
		if seen > rank {
			return h.Buckets[i+1]
		}
	}
	return h.Buckets[len(h.Buckets)-1]
}
