package hub

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"nappe/internal/metrics"
	"nappe/internal/workshop"
)

// faults makes one place panic, once: arm("decide") and the next decision panics.
type faults struct {
	mu    sync.Mutex
	armed string
	// block, when set, is waited for at "load" (to hold a load while callers come and go).
	block chan struct{}
}

func (f *faults) arm(where string) {
	f.mu.Lock()
	f.armed = where
	f.mu.Unlock()
}

func (f *faults) hit(where string) {
	f.mu.Lock()
	armed, block := f.armed == where, f.block
	if armed {
		f.armed = ""
	}
	f.mu.Unlock()
	if where == "load" && block != nil {
		<-block
	}
	if armed {
		panic("injected fault at " + where)
	}
}

func (f *faults) fired() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.armed == ""
}

func newFaultyHub(t *testing.T, opts Options) (*Hub, *faults) {
	t.Helper()
	f := &faults{}
	opts.Faults = f.hit
	h := New(openLog(t), opts)
	t.Cleanup(func() { h.Close(context.Background()) })
	return h, f
}

var fac = workshop.Actor{Role: workshop.RoleFacilitator}

func post(ctx context.Context, t *testing.T, w *Workshop, text string) (uint64, error) {
	t.Helper()
	snap, _, err := w.Snapshot(ctx, fac)
	if err != nil {
		t.Fatal(err)
	}
	return w.Command(ctx, fac, workshop.Command{ID: uuid.NewString(), Type: "note.post",
		Data: []byte(`{"note":"` + uuid.NewString() + `","table":"` + snap.Tables[0].ID + `","text":"` + text + `"}`)})
}

func wantPanicError(t *testing.T, what string, err error) {
	t.Helper()
	var pe *PanicError
	if !errors.As(err, &pe) || pe.Ref == "" {
		t.Fatalf("%s: got %v; want a PanicError with a reference", what, err)
	}
}

func notes(ctx context.Context, t *testing.T, h *Hub, id string) int {
	t.Helper()
	w, err := h.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	s, _, err := w.Snapshot(ctx, fac)
	if err != nil {
		t.Fatal(err)
	}
	return len(s.Notes)
}

// A panic at each place that runs workshop code costs one answer: the process, the workshop
// (reloaded when its state may have been touched) and every other workshop go on.
func TestPanicsCostOneAnswer(t *testing.T) {
	ctx := context.Background()
	h, f := newFaultyHub(t, Options{SnapshotEvery: 2})
	a, err := h.Create(ctx, CreateRequest{Template: "seed"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := h.Create(ctx, CreateRequest{Template: "seed"})
	if err != nil {
		t.Fatal(err)
	}
	wa, err := h.Get(ctx, a.Workshop.ID)
	if err != nil {
		t.Fatal(err)
	}
	wb, err := h.Get(ctx, b.Workshop.ID)
	if err != nil {
		t.Fatal(err)
	}
	counted := func(where string) uint64 { return metrics.PanicsCounted(where) }

	t.Run("decide", func(t *testing.T) {
		before := counted("decide")
		f.arm("decide")
		_, err := post(ctx, t, wa, "refusée")
		wantPanicError(t, "a command whose decision panics", err)
		if _, err := post(ctx, t, wa, "acceptée"); err != nil {
			t.Fatalf("the next command: %v", err)
		}
		if w, _ := h.Get(ctx, a.Workshop.ID); w != wa {
			t.Fatal("a decision changes nothing: the workshop should have stayed loaded")
		}
		if counted("decide") != before+1 {
			t.Fatal("the panic was not counted")
		}
	})

	t.Run("read", func(t *testing.T) {
		f.arm("read")
		_, _, err := wa.Snapshot(ctx, fac)
		wantPanicError(t, "a read that panics", err)
		if err := wa.Read(ctx, func(*workshop.State) {}); err != nil {
			t.Fatalf("the next read: %v", err)
		}
		if w, _ := h.Get(ctx, a.Workshop.ID); w != wa {
			t.Fatal("a read changes nothing: the workshop should have stayed loaded")
		}
	})

	t.Run("apply", func(t *testing.T) {
		before := notes(ctx, t, h, a.Workshop.ID)
		f.arm("apply")
		_, err := post(ctx, t, wa, "stockée puis perdue en mémoire")
		wantPanicError(t, "a command whose event panics when applied", err)
		waitUntil(t, "the workshop to unload", func() bool {
			select {
			case <-wa.done:
				return true
			default:
				return false
			}
		})
		again, err := h.Get(ctx, a.Workshop.ID)
		if err != nil || again == wa {
			t.Fatalf("the workshop must load again: %v", err)
		}
		// The event was stored before it was applied: the reload has it.
		if got := notes(ctx, t, h, a.Workshop.ID); got != before+1 {
			t.Fatalf("%d notes after the reload; want %d", got, before+1)
		}
		wa = again
	})

	t.Run("load", func(t *testing.T) {
		f.arm("apply") // unload a first
		_, err := post(ctx, t, wa, "encore")
		wantPanicError(t, "apply", err)
		waitUntil(t, "the workshop to unload", func() bool { return h.Running() == 1 })
		f.arm("load")
		_, err = h.Get(ctx, a.Workshop.ID)
		wantPanicError(t, "a load that panics", err)
		if wa, err = h.Get(ctx, a.Workshop.ID); err != nil {
			t.Fatalf("the next load: %v", err)
		}
	})

	t.Run("snapshot", func(t *testing.T) {
		before := counted("snapshot")
		f.arm("snapshot")
		for i := 0; !f.fired(); i++ {
			if _, err := post(ctx, t, wa, "vers un instantané"); err != nil {
				t.Fatal(err)
			}
			if i > 10 {
				t.Fatal("no snapshot was written")
			}
		}
		waitUntil(t, "the snapshot's panic to be counted", func() bool { return counted("snapshot") == before+1 })
		if _, err := post(ctx, t, wa, "après"); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("import", func(t *testing.T) {
		var x workshop.Export
		if err := wb.Read(ctx, func(s *workshop.State) { x = s.Export(s.Workshop.CreatedAt) }); err != nil {
			t.Fatal(err)
		}
		f.arm("import")
		_, err := h.Create(ctx, CreateRequest{Import: &x})
		wantPanicError(t, "an import that panics", err)
		if _, err := h.Create(ctx, CreateRequest{Import: &x}); err != nil {
			t.Fatalf("the next import: %v", err)
		}
	})

	// The other workshop never noticed.
	if w, _ := h.Get(ctx, b.Workshop.ID); w != wb {
		t.Fatal("the other workshop was unloaded")
	}
	if _, err := post(ctx, t, wb, "tout va bien"); err != nil {
		t.Fatal(err)
	}
}

// A load is shared by everyone waiting for it: the first caller giving up does not cancel it for
// the others.
func TestLoadOutlivesAnImpatientCaller(t *testing.T) {
	ctx := context.Background()
	h, f := newFaultyHub(t, Options{})
	created, err := h.Create(ctx, CreateRequest{Template: "seed"})
	if err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	f.block = make(chan struct{})
	f.mu.Unlock()
	impatient, cancel := context.WithCancel(ctx)
	first := make(chan error, 1)
	go func() { _, err := h.Get(impatient, created.Workshop.ID); first <- err }()
	second := make(chan error, 1)
	go func() { _, err := h.Get(ctx, created.Workshop.ID); second <- err }()
	cancel()
	select {
	case err := <-first:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("the impatient caller got %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the impatient caller is still waiting for a load it gave up on")
	}
	f.mu.Lock()
	close(f.block)
	f.block = nil
	f.mu.Unlock()
	if err := <-second; err != nil {
		t.Fatalf("the patient caller got %v: the first caller's cancellation stopped the load", err)
	}
}

// Deleting a workshop gives its rooms back: the nappe_rooms gauge returns to where it was.
func TestDeleteReleasesRooms(t *testing.T) {
	ctx := context.Background()
	h, _ := newFaultyHub(t, Options{})
	before := metrics.RoomsOpen()
	created, err := h.Create(ctx, CreateRequest{Template: "seed"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.Get(ctx, created.Workshop.ID); err != nil {
		t.Fatal(err)
	}
	if metrics.RoomsOpen() <= before {
		t.Fatal("a running workshop has rooms")
	}
	if err := h.Delete(ctx, created.Workshop.ID, fac); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the rooms to be released", func() bool { return h.Running() == 0 })
	if got := metrics.RoomsOpen(); got != before {
		t.Fatalf("nappe_rooms is %d after the delete; want %d", got, before)
	}
}
