package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/google/uuid"
)

// testServer is a whole Nappe, run in-process through run() on a random loopback port.
type testServer struct {
	url        string
	natsURL    string
	metricsURL string
	cancel     context.CancelFunc
	done       chan error
}

func startServer(t testing.TB, args ...string) *testServer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	s := &testServer{cancel: cancel, done: make(chan error, 1)}
	logs := &testLog{t: t}
	go func() {
		err := run(ctx, append([]string{"--addr", "127.0.0.1:0"}, args...), func(string) string { return "" }, pw, logs)
		pw.Close()
		s.done <- err
	}()
	lines := bufio.NewScanner(pr)
	for lines.Scan() {
		line := lines.Text()
		if u, ok := strings.CutPrefix(line, "nappe: nats on "); ok {
			s.natsURL = u
		}
		if u, ok := strings.CutPrefix(line, "nappe: metrics on "); ok {
			s.metricsURL = u
		}
		if u, ok := strings.CutPrefix(line, "nappe: listening on "); ok {
			s.url = u
			break
		}
	}
	if s.url == "" {
		t.Fatalf("server did not start: %v", <-s.done)
	}
	go io.Copy(io.Discard, pr)
	t.Cleanup(func() { s.stop(t) })
	return s
}

func (s *testServer) stop(t testing.TB) {
	t.Helper()
	if s.cancel == nil {
		return
	}
	s.cancel()
	s.cancel = nil
	select {
	case err := <-s.done:
		if err != nil {
			t.Errorf("server stopped with %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("server did not stop within 30 s")
	}
}

// testLog sends the server's logs to the test's output, shown only when a test fails.
type testLog struct {
	t  testing.TB
	mu sync.Mutex
}

func (l *testLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func newToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// call makes a JSON request and decodes the answer into out (if not nil); it returns the status.
func call(t testing.TB, method, url, bearer string, body, out any) int {
	t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case []byte: // sent as it is: an uploaded file
		r = bytes.NewReader(b)
	default:
		raw, _ := json.Marshal(body)
		r = bytes.NewReader(raw)
	}
	req, _ := http.NewRequest(method, url, r)
	req.Header.Set("Content-Type", "application/json")
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: %d %s: %v", method, url, res.StatusCode, raw, err)
		}
	}
	return res.StatusCode
}

type created struct {
	Workshop struct {
		ID   string `json:"id"`
		Code string `json:"code"`
	} `json:"workshop"`
	FacilitatorKey string `json:"facilitatorKey"`
	BoardKey       string `json:"boardKey"`
}

// café is a workshop with two tables, made through the HTTP API as the console would.
type café struct {
	created
	tables []string
}

func newCafé(t testing.TB, s *testServer) café {
	t.Helper()
	var c café
	if st := call(t, "POST", s.url+"/api/workshops", "", map[string]any{"title": "Café test", "allowAnonymous": true}, &c.created); st != 201 {
		t.Fatalf("create: %d", st)
	}
	for i := 1; i <= 2; i++ {
		id := uuid.NewString()
		facCommand(t, s, c, "table.add", map[string]any{"id": id, "name": fmt.Sprint("Table ", i), "question": "?"})
		c.tables = append(c.tables, id)
	}
	return c
}

// facCommand sends a facilitator command through the REST API and fails the test if refused.
func facCommand(t testing.TB, s *testServer, c café, typ string, data map[string]any) {
	t.Helper()
	var out map[string]any
	if st := call(t, "POST", s.url+"/api/workshops/"+c.Workshop.ID+"/commands", c.FacilitatorKey,
		map[string]any{"id": uuid.NewString(), "type": typ, "data": data}, &out); st != 200 {
		t.Fatalf("%s: %d %v", typ, st, out)
	}
}

type phone struct {
	id, token string
}

func joinCafé(t testing.TB, s *testServer, c café, name, table string) phone {
	t.Helper()
	p := phone{id: uuid.NewString(), token: newToken()}
	var out map[string]any
	if st := call(t, "POST", s.url+"/api/join/"+c.Workshop.Code, "", map[string]any{"id": p.id, "token": p.token, "name": name, "email": strings.ToLower(name) + "@example.org", "table": table}, &out); st != 201 {
		t.Fatalf("join: %d %v", st, out)
	}
	return p
}

// wsClient is a minimal client of the protocol, as the phone and the board speak it.
type wsClient struct {
	t    *testing.T
	conn *websocket.Conn
	msgs chan map[string]any
	mu   sync.Mutex
	seen []map[string]any
	v    uint64
	err  error // why the connection ended, once msgs is closed
}

func dial(t *testing.T, s *testServer, workshopID, token string, since uint64) *wsClient {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, strings.Replace(s.url, "http", "ws", 1)+"/ws", &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {s.url}}})
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	conn.SetReadLimit(64 << 20)
	c := &wsClient{t: t, conn: conn, msgs: make(chan map[string]any, 100000)}
	go c.readLoop()
	t.Cleanup(func() { conn.Close(websocket.StatusNormalClosure, "") })
	c.send(map[string]any{"t": "hello", "proto": 1, "workshop": workshopID, "token": token, "since": since})
	return c
}

// online connects and waits until the client is caught up, as a phone does before it is usable.
func online(t *testing.T, s *testServer, workshopID, token string) *wsClient {
	t.Helper()
	c := dial(t, s, workshopID, token, 0)
	c.waitFor("synced", is("synced"))
	return c
}

func (c *wsClient) readLoop() {
	defer close(c.msgs)
	for {
		_, frame, err := c.conn.Read(context.Background())
		if err != nil {
			c.err = err
			return
		}
		for _, line := range bytes.Split(frame, []byte("\n")) {
			var m map[string]any
			if err := json.Unmarshal(line, &m); err != nil {
				c.t.Errorf("server sent bad JSON %q: %v", line, err)
				return
			}
			c.msgs <- m
		}
	}
}

func (c *wsClient) send(m any) {
	c.t.Helper()
	raw, _ := json.Marshal(m)
	if err := c.conn.Write(context.Background(), websocket.MessageText, raw); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

func (c *wsClient) sendRaw(typ websocket.MessageType, raw []byte) {
	c.t.Helper()
	if err := c.conn.Write(context.Background(), typ, raw); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

// cmd sends a command and returns its id.
func (c *wsClient) cmd(typ string, data map[string]any) string {
	id := uuid.NewString()
	c.send(map[string]any{"t": "cmd", "id": id, "type": typ, "data": data})
	return id
}

// waitFor reads messages until one matches, failing after the deadline. Every message read is
// kept, and checked for ordering: event versions on one connection only go up.
func (c *wsClient) waitFor(what string, match func(map[string]any) bool) map[string]any {
	c.t.Helper()
	deadline := time.After(15 * time.Second)
	for {
		select {
		case m, ok := <-c.msgs:
			if !ok {
				c.t.Fatalf("connection closed while waiting for %s", what)
			}
			c.record(m)
			if match(m) {
				return m
			}
		case <-deadline:
			c.t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// closeCode waits for the server to close the connection and returns the close status.
func (c *wsClient) closeCode() websocket.StatusCode {
	c.t.Helper()
	deadline := time.After(15 * time.Second)
	for {
		select {
		case m, ok := <-c.msgs:
			if !ok {
				return websocket.CloseStatus(c.err)
			}
			c.record(m)
		case <-deadline:
			c.t.Fatal("the server did not close the connection")
		}
	}
}

func (c *wsClient) record(m map[string]any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seen = append(c.seen, m)
	switch m["t"] {
	case "ev":
		v := uint64(m["v"].(float64))
		if v <= c.v {
			c.t.Errorf("event v%d after v%d: duplicate or out of order", v, c.v)
		}
		c.v = v
	case "snapshot", "synced":
		c.v = max(c.v, uint64(m["v"].(float64)))
	}
}

func is(t string) func(map[string]any) bool {
	return func(m map[string]any) bool { return m["t"] == t }
}

func isEvent(typ string, pred func(data map[string]any) bool) func(map[string]any) bool {
	return func(m map[string]any) bool {
		if m["t"] != "ev" || m["type"] != typ {
			return false
		}
		return pred == nil || pred(m["data"].(map[string]any))
	}
}

func noteText(text string) func(map[string]any) bool {
	return func(d map[string]any) bool {
		n, _ := d["note"].(map[string]any)
		return n != nil && n["text"] == text
	}
}

func answer(id string) func(map[string]any) bool {
	return func(m map[string]any) bool { return (m["t"] == "ack" || m["t"] == "error") && m["id"] == id }
}

// state fetches the workshop as the facilitator sees it, through the REST API.
func state(t testing.TB, s *testServer, c café) map[string]any {
	t.Helper()
	var out map[string]any
	if st := call(t, "GET", s.url+"/api/workshops/"+c.Workshop.ID+"/state", c.FacilitatorKey, nil, &out); st != 200 {
		t.Fatalf("state: %d %v", st, out)
	}
	return out["state"].(map[string]any)
}

func noteTexts(st map[string]any) map[string]int {
	out := map[string]int{}
	for _, n := range st["notes"].([]any) {
		out[n.(map[string]any)["text"].(string)]++
	}
	return out
}
