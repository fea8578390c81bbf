package hub

// delivered is one event as encoded for the wire, kept so that a client resuming after a short
// drop gets exactly what it missed without re-encoding anything.
type delivered struct {
	v      uint64
	fac    []byte // nil: not for facilitators
	pub    []byte // nil: only for facilitators (and projectors, when board is set)
	board  []byte // nil: projectors get pub
	tables []string
	all    bool
	reseat []string
}

// forTable reports whether a participant seated at table receives e.
func (e *delivered) forTable(table string) bool {
	if e.pub == nil {
		return false
	}
	if e.all {
		return true
	}
	for _, t := range e.tables {
		if t == table {
			return true
		}
	}
	return false
}

// ring keeps the most recent events. Older gaps are served with a snapshot instead, which is
// always correct, just larger.
type ring struct {
	buf   []delivered
	start int // index of the oldest entry
	n     int
}

func newRing(size int) *ring { return &ring{buf: make([]delivered, size)} }

func (r *ring) push(e delivered) {
	if r.n < len(r.buf) {
		r.buf[(r.start+r.n)%len(r.buf)] = e
		r.n++
		return
	}
	r.buf[r.start] = e
	r.start = (r.start + 1) % len(r.buf)
}

// since returns the entries after version v, oldest first, and false when the ring no longer
// holds all of them.
func (r *ring) since(v uint64) ([]*delivered, bool) {
	if r.n == 0 {
		return nil, false
	}
	oldest := r.buf[r.start].v
	if v+1 < oldest {
		return nil, false
	}
	out := make([]*delivered, 0, 16)
	for i := 0; i < r.n; i++ {
		e := &r.buf[(r.start+i)%len(r.buf)]
		if e.v > v {
			out = append(out, e)
		}
	}
	return out, true
}

func (r *ring) reset() { r.start, r.n = 0, 0 }
