package hub

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"nappe/internal/eventlog"
	"nappe/internal/workshop"
)

func openLog(t *testing.T) *eventlog.Log {
	t.Helper()
	l, err := eventlog.Open(context.Background(), eventlog.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond) // polling a condition with a deadline
	}
}

// An idle workshop leaves memory, and comes back whole on next use.
func TestIdleWorkshopUnloadsAndReloads(t *testing.T) {
	ctx := context.Background()
	h := New(openLog(t), Options{IdleUnload: 50 * time.Millisecond, PresenceEvery: 10 * time.Millisecond})
	t.Cleanup(func() { h.Close(ctx) })
	created, err := h.Create(ctx, CreateRequest{Template: "seed"})
	if err != nil {
		t.Fatal(err)
	}
	w, err := h.Get(ctx, created.Workshop.ID)
	if err != nil {
		t.Fatal(err)
	}
	fac := workshop.Actor{Role: workshop.RoleFacilitator}
	snap, _, _ := w.Snapshot(ctx, fac)
	note := uuid.NewString()
	v, err := w.Command(ctx, fac, workshop.Command{ID: uuid.NewString(), Type: "note.post",
		Data: []byte(`{"note":"` + note + `","table":"` + snap.Tables[0].ID + `","text":"avant la sieste"}`)})
	if err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the idle workshop to unload", func() bool { return h.Running() == 0 })

	again, err := h.Get(ctx, created.Workshop.ID)
	if err != nil {
		t.Fatal(err)
	}
	if again == w {
		t.Fatal("Get returned the unloaded workshop")
	}
	s, v2, err := again.Snapshot(ctx, fac)
	if err != nil || v2 != v || len(s.Notes) != 1 || s.Notes[0].Text != "avant la sieste" {
		t.Fatalf("after reload: v%d (want v%d) %+v %v", v2, v, s.Notes, err)
	}
}
