package main

import (
	"net/url"
	"testing"
	"time"

	"github.com/google/uuid"
)

// While NATS is unreachable, posts are refused (never acknowledged and then lost), quickly; when
// it is back, the same Nappe process recovers by itself and the retried post lands once.
func TestNATSOutageRefusesThenRecovers(t *testing.T) {
	data := t.TempDir()
	a := startServer(t, "--data", data, "--nats-listen", "127.0.0.1:-1")
	natsAddr := a.natsURL
	b := startServer(t, "--nats-url", natsAddr, "--replicas", "1")
	c := newCafé(t, b)
	ada := joinCafé(t, b, c, "Ada", c.tables[0])
	pa := online(t, b, c.Workshop.ID, ada.token)

	a.stop(t) // B's NATS is gone
	post := map[string]any{"t": "cmd", "id": uuid.NewString(), "type": "note.post", "data": map[string]any{"note": uuid.NewString(), "text": "pendant la panne"}}
	start := time.Now()
	pa.send(post)
	if m := pa.waitFor("answer", answer(post["id"].(string))); m["t"] != "error" || m["code"] != "unavailable" {
		t.Fatalf("post during the outage: %v", m)
	}
	if d := time.Since(start); d > 6*time.Second {
		t.Errorf("refusal took %v", d)
	}

	// NATS comes back on the same address and store.
	u, _ := url.Parse(natsAddr)
	startServer(t, "--data", data, "--nats-listen", u.Host)
	deadline := time.Now().Add(20 * time.Second)
	for {
		pa.send(post) // the outbox's retry: same id
		m := pa.waitFor("answer", answer(post["id"].(string)))
		if m["t"] == "ack" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no recovery within 20 s: %v", m)
		}
		time.Sleep(200 * time.Millisecond) // the client's retry backoff, not synchronisation
	}
	if n := noteTexts(state(t, b, c))["pendant la panne"]; n != 1 {
		t.Fatalf("the retried note is there %d times", n)
	}
}
