package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/coder/websocket"
	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"nappe/internal/eventlog"
	"nappe/internal/hub"
	"nappe/internal/metrics"
)

// testAPI is the HTTP layer over a real hub and an embedded NATS, on a loopback port, with a
// fault hook: arm("render") makes the next report rendering panic.
type testAPI struct {
	url string
	mu  sync.Mutex
	arm string
}

func (a *testAPI) fault(where string) {
	a.mu.Lock()
	hit := a.arm == where
	if hit {
		a.arm = ""
	}
	a.mu.Unlock()
	if hit {
		panic("injected fault at " + where)
	}
}

func (a *testAPI) inject(where string) {
	a.mu.Lock()
	a.arm = where
	a.mu.Unlock()
}

func startAPI(t *testing.T) *testAPI {
	t.Helper()
	ctx := context.Background()
	elog, err := eventlog.Open(ctx, eventlog.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	ta := &testAPI{}
	h := hub.New(elog, hub.Options{Faults: ta.fault})
	srv, err := New(Config{Hub: h, Ready: elog.Ready, Assets: fstest.MapFS{"index.html": {Data: []byte("<!doctype html>")}}})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.App.Listener(Listener(ln))
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		srv.Shutdown(sctx, h.Close)
		elog.Close()
	})
	ta.url = "http://" + ln.Addr().String()
	return ta
}

type answer struct {
	status int
	header http.Header
	body   []byte
}

func (a *testAPI) do(t *testing.T, method, path, auth string, body []byte) answer {
	t.Helper()
	req, err := http.NewRequest(method, a.url+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return answer{res.StatusCode, res.Header, b}
}

type problemBody struct {
	Status int    `json:"status"`
	Code   string `json:"code"`
	Detail string `json:"detail"`
	Field  string `json:"field"`
}

func (r answer) problem(t *testing.T) problemBody {
	t.Helper()
	var p problemBody
	if err := json.Unmarshal(r.body, &p); err != nil {
		t.Fatalf("not a problem (%d): %s", r.status, r.body)
	}
	return p
}

type created struct {
	Workshop struct {
		ID string `json:"id"`
	} `json:"workshop"`
	FacilitatorKey string `json:"facilitatorKey"`
}

func (a *testAPI) create(t *testing.T) created {
	t.Helper()
	r := a.do(t, "POST", "/api/workshops", "", []byte(`{"template":"seed"}`))
	if r.status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	var c created
	if err := json.Unmarshal(r.body, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

// The document that stopped the whole process: two notes at the ends of the int64 range. It is
// refused, naming the field, and the server goes on.
func TestCraftedImportRefused(t *testing.T) {
	a := startAPI(t)
	doc := fmt.Sprintf(`{"format":"nappe.workshop","version":1,"workshop":{"title":"x"},
		"tables":[{"id":"00000000-0000-4000-8000-000000000001","number":1,"name":"T","colour":"teal"}],
		"participants":[],"rounds":[{"minutes":20}],"clock":{"status":"waiting"},"seating":"free",
		"notes":[{"id":"00000000-0000-4000-8000-000000000002","table":"00000000-0000-4000-8000-000000000001","text":"a","colour":"yellow","createdAt":%d},
		         {"id":"00000000-0000-4000-8000-000000000003","table":"00000000-0000-4000-8000-000000000001","text":"b","colour":"yellow","createdAt":%d}]}`,
		int64(math.MinInt64), int64(math.MaxInt64))
	r := a.do(t, "POST", "/api/workshops/import", "", []byte(doc))
	p := r.problem(t)
	if r.status != http.StatusBadRequest || p.Code != "invalid" || p.Field != "notes[0].createdAt" {
		t.Fatalf("got %d %+v; want 400 invalid naming notes[0].createdAt", r.status, p)
	}
	a.create(t) // still serving
}

// A panic while rendering an export costs that answer (500 `internal` with a reference); the
// next request, and other workshops, are served.
func TestPanicInHandlerCostsOneAnswer(t *testing.T) {
	a := startAPI(t)
	one, two := a.create(t), a.create(t)
	before := metrics.PanicsCounted("http")
	a.inject("render")
	r := a.do(t, "GET", "/api/workshops/"+one.Workshop.ID+"/report.md", "Bearer "+one.FacilitatorKey, nil)
	if p := r.problem(t); r.status != http.StatusInternalServerError || p.Code != "internal" || !strings.Contains(p.Detail, "ref ") {
		t.Fatalf("got %d %+v; want 500 internal with a reference", r.status, p)
	}
	if metrics.PanicsCounted("http") != before+1 {
		t.Fatal("the panic was not counted")
	}
	for _, c := range []created{one, two} {
		if r := a.do(t, "GET", "/api/workshops/"+c.Workshop.ID+"/report.md", "Bearer "+c.FacilitatorKey, nil); r.status != http.StatusOK {
			t.Fatalf("after the panic: %d %s", r.status, r.body)
		}
	}
}

// RFC 9110 makes the authentication scheme case-insensitive.
func TestBearerSchemeCaseInsensitive(t *testing.T) {
	a := startAPI(t)
	c := a.create(t)
	for _, auth := range []string{"Bearer " + c.FacilitatorKey, "bearer " + c.FacilitatorKey, "BEARER   " + c.FacilitatorKey} {
		if r := a.do(t, "GET", "/api/workshops/"+c.Workshop.ID+"/state", auth, nil); r.status != http.StatusOK {
			t.Errorf("%q: %d %s", auth[:9], r.status, r.body)
		}
	}
	for _, auth := range []string{"Basic " + c.FacilitatorKey, c.FacilitatorKey, "Bearer"} {
		if r := a.do(t, "GET", "/api/workshops/"+c.Workshop.ID+"/state", auth, nil); r.status != http.StatusUnauthorized {
			t.Errorf("%q: %d; want 401", auth, r.status)
		}
	}
}

// A command whose decision panics is answered `internal` on its connection, which goes on.
func TestPanicInCommandCostsOneAnswer(t *testing.T) {
	a := startAPI(t)
	c := a.create(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	ws, _, err := websocket.Dial(ctx, strings.Replace(a.url, "http", "ws", 1)+"/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.CloseNow()
	send := func(v any) {
		b, _ := json.Marshal(v)
		if err := ws.Write(ctx, websocket.MessageText, b); err != nil {
			t.Fatal(err)
		}
	}
	// answer reads until the answer to command id.
	answerTo := func(id string) map[string]any {
		for {
			_, frame, err := ws.Read(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, line := range bytes.Split(frame, []byte("\n")) {
				var m map[string]any
				if json.Unmarshal(line, &m) == nil && m["id"] == id {
					return m
				}
			}
		}
	}
	send(map[string]any{"t": "hello", "proto": 1, "workshop": c.Workshop.ID, "token": c.FacilitatorKey})
	edit := func(id, title string) {
		send(map[string]any{"t": "cmd", "id": id, "type": "workshop.edit", "data": map[string]any{"title": title}})
	}
	a.inject("decide")
	first := uuid.NewString()
	edit(first, "Titre A")
	if m := answerTo(first); m["t"] != "error" || m["code"] != "internal" {
		t.Fatalf("got %v; want an internal error", m)
	}
	second := uuid.NewString()
	edit(second, "Titre B")
	if m := answerTo(second); m["t"] != "ack" {
		t.Fatalf("the next command on the same connection: %v", m)
	}
}

// recoverPanics answers a panicking handler with a problem and counts it.
func TestRecoverPanicsMiddleware(t *testing.T) {
	elog, err := eventlog.Open(context.Background(), eventlog.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer elog.Close()
	a := &api{hub: hub.New(elog, hub.Options{})}
	app := fiber.New(fiber.Config{ErrorHandler: a.handleError})
	app.Use(a.recoverPanics)
	app.Get("/api/workshops/:id/boom", func(*fiber.Ctx) error {
		var m map[string]int
		m["x"] = 1 // a nil map write: a runtime panic
		return nil
	})
	before := metrics.PanicsCounted("http")
	res, err := app.Test(httptestRequest("/api/workshops/" + uuid.NewString() + "/boom"))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusInternalServerError || !bytes.Contains(body, []byte(`"code":"internal"`)) {
		t.Fatalf("got %d %s", res.StatusCode, body)
	}
	if metrics.PanicsCounted("http") != before+1 {
		t.Fatal("not counted")
	}
}

func httptestRequest(path string) *http.Request {
	req, _ := http.NewRequest("GET", "http://nappe.test"+path, nil)
	return req
}
