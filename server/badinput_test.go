package main

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/coder/websocket"
	"github.com/google/uuid"
)

func errorCode(code string) func(map[string]any) bool {
	return func(m map[string]any) bool { return m["t"] == "error" && m["code"] == code }
}

// Every kind of bad frame gets a typed error, and the connection and the room carry on.
func TestBadFramesGetTypedErrorsAndChangeNothing(t *testing.T) {
	s := startServer(t, "--data", t.TempDir())
	c := newCafé(t, s)
	ada := joinCafé(t, s, c, "Ada", c.tables[0])
	bob := joinCafé(t, s, c, "Bob", c.tables[0])
	pb := online(t, s, c.Workshop.ID, bob.token)
	bobNote := uuid.NewString()
	pb.waitFor("ack", answer(pb.cmd("note.post", map[string]any{"note": bobNote, "text": "de Bob"})))
	before := string(mustJSON(state(t, s, c)))

	pa := online(t, s, c.Workshop.ID, ada.token)
	frames := []struct {
		typ  websocket.MessageType
		raw  string
		code string
	}{
		{websocket.MessageText, `{"t":"cmd","id":"1","type":`, "bad_frame"},
		{websocket.MessageText, `[1,2]`, "bad_frame"},
		{websocket.MessageText, `{"t":"dance"}`, "unknown_type"},
		{websocket.MessageText, "{\"t\":\"ping\",\"x\":\"\xff\xfe\"}", "invalid_utf8"},
		{websocket.MessageBinary, `{"t":"ping"}`, "binary_frame"},
		{websocket.MessageText, `{"t":"cmd","id":"x","type":"x","pad":"` + strings.Repeat("a", 100<<10) + `"}`, "frame_too_large"},
		{websocket.MessageText, `{"t":"hello","proto":1,"workshop":"` + c.Workshop.ID + `","token":"` + ada.token + `"}`, "bad_frame"},
	}
	for _, f := range frames {
		pa.sendRaw(f.typ, []byte(f.raw))
		pa.waitFor(f.code, errorCode(f.code))
	}
	cmds := []struct {
		typ  string
		data map[string]any
		code string
	}{
		{"note.burn", map[string]any{}, "unknown_type"},
		{"note.post", map[string]any{"note": uuid.NewString(), "text": strings.Repeat("x", 501)}, "too_long"},
		{"note.post", map[string]any{"note": uuid.NewString(), "text": "   "}, "invalid"},
		{"note.post", map[string]any{"note": "not-a-uuid", "text": "x"}, "invalid"},
		{"note.post", map[string]any{"note": uuid.NewString(), "text": 12}, "invalid"},
		{"note.post", map[string]any{"note": uuid.NewString(), "text": "x", "table": c.tables[1]}, "forbidden"},
		{"note.edit", map[string]any{"note": bobNote, "text": "volé"}, "forbidden"},
		{"note.delete", map[string]any{"note": bobNote}, "forbidden"},
		{"note.hide", map[string]any{"note": bobNote}, "forbidden"},
		{"note.edit", map[string]any{"note": uuid.NewString(), "text": "x"}, "not_found"},
		{"participant.remove", map[string]any{"participant": bob.id}, "forbidden"},
		{"participant.move", map[string]any{"participant": bob.id, "table": c.tables[1]}, "forbidden"},
		{"workshop.edit", map[string]any{"title": "à moi"}, "forbidden"},
	}
	for _, cmd := range cmds {
		id := pa.cmd(cmd.typ, cmd.data)
		m := pa.waitFor(cmd.typ, answer(id))
		if m["t"] != "error" || m["code"] != cmd.code {
			t.Errorf("%s %v: got %v, want %s", cmd.typ, cmd.data, m, cmd.code)
		}
	}
	if after := string(mustJSON(state(t, s, c))); after != before {
		t.Fatalf("refused input changed the workshop:\n%s\n%s", before, after)
	}
	// The connection still works, and so does Bob's.
	pa.send(map[string]any{"t": "ping", "n": 42})
	pa.waitFor("pong", func(m map[string]any) bool { return m["t"] == "pong" && m["n"] == float64(42) })
	pa.waitFor("ack", answer(pa.cmd("note.post", map[string]any{"note": uuid.NewString(), "text": "ça marche encore"})))
	pb.waitFor("Bob still live", isEvent("note.posted", noteText("ça marche encore")))
}

func TestHelloRules(t *testing.T) {
	s := startServer(t, "--data", t.TempDir())
	c := newCafé(t, s)
	// A command before hello.
	cl := dial(t, s, c.Workshop.ID, "", 0) // sends a hello without token: bad_frame, not a session
	cl.waitFor("bad hello", errorCode("bad_frame"))
	cl.send(map[string]any{"t": "cmd", "id": "1", "type": "note.post", "data": map[string]any{}})
	cl.waitFor("not authenticated", errorCode("not_authenticated"))
	// A wrong token is refused and the connection closed with 4001.
	bad := dial(t, s, c.Workshop.ID, newToken(), 0)
	bad.waitFor("unauthorized", errorCode("unauthorized"))
	if code := bad.closeCode(); code != 4001 {
		t.Fatalf("closed with %v, want 4001", code)
	}
	// An unknown workshop: not_found.
	none := dial(t, s, uuid.NewString(), newToken(), 0)
	none.waitFor("not found", errorCode("not_found"))
	if code := none.closeCode(); code != 4004 {
		t.Fatalf("closed with %v, want 4004", code)
	}
}

func TestOriginIsChecked(t *testing.T) {
	s := startServer(t, "--data", t.TempDir())
	_, res, err := websocket.Dial(context.Background(), strings.Replace(s.url, "http", "ws", 1)+"/ws",
		&websocket.DialOptions{HTTPHeader: http.Header{"Origin": {"https://evil.example"}}})
	if err == nil || res == nil || res.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-origin handshake: %v %v", res, err)
	}
}

func TestHTTPProblems(t *testing.T) {
	s := startServer(t, "--data", t.TempDir())
	c := newCafé(t, s)
	cases := []struct {
		method, path, bearer string
		body                 any
		status               int
		code                 string
	}{
		{"POST", "/api/workshops", "", "not an object", 400, "invalid"},
		{"POST", "/api/workshops", "", map[string]any{"title": ""}, 400, "invalid"},
		{"POST", "/api/workshops", "", map[string]any{"title": "x", "template": "nope"}, 400, "invalid"},
		{"GET", "/api/join/NOPE99", "", nil, 404, "not_found"},
		{"POST", "/api/join/" + c.Workshop.Code, "", map[string]any{"id": uuid.NewString(), "token": newToken(), "name": " "}, 400, "invalid"},
		{"POST", "/api/join/" + c.Workshop.Code, "", map[string]any{"id": uuid.NewString(), "token": "short", "name": "X"}, 400, "invalid"},
		{"GET", "/api/workshops/" + c.Workshop.ID + "/state", "", nil, 401, "unauthorized"},
		{"GET", "/api/workshops/" + c.Workshop.ID + "/state", newToken(), nil, 401, "unauthorized"},
		{"GET", "/api/workshops/" + uuid.NewString() + "/state", newToken(), nil, 404, "not_found"},
		{"POST", "/api/workshops/" + c.Workshop.ID + "/commands", c.BoardKey, map[string]any{"id": "1", "type": "note.post", "data": map[string]any{}}, 403, "forbidden"},
		{"GET", "/api/nothing", "", nil, 404, "not_found"},
	}
	for _, tc := range cases {
		var out map[string]any
		st := call(t, tc.method, s.url+tc.path, tc.bearer, tc.body, &out)
		if st != tc.status || out["code"] != tc.code || out["status"] != float64(tc.status) {
			t.Errorf("%s %s: %d %v, want %d %s", tc.method, tc.path, st, out, tc.status, tc.code)
		}
	}
	// A facilitator gets the links back (the projector's key is derived from theirs); nobody else.
	var got map[string]any
	if st := call(t, "GET", s.url+"/api/workshops/"+c.Workshop.ID+"/links", c.FacilitatorKey, nil, &got); st != 200 ||
		got["board"] != "/board/"+c.Workshop.ID+"#k="+c.BoardKey || got["join"] != "/j/"+c.Workshop.Code {
		t.Errorf("links: %d %v", st, got)
	}
	if st := call(t, "GET", s.url+"/api/workshops/"+c.Workshop.ID+"/links", c.BoardKey, nil, &got); st != 403 {
		t.Errorf("links for the board key: %d", st)
	}
	// The QR code is an SVG of the join link.
	res, err := http.Get(s.url + "/api/workshops/" + c.Workshop.ID + "/qr.svg")
	if err != nil || res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/svg+xml" {
		t.Fatalf("qr: %v %v", res, err)
	}
	var buf bytes.Buffer
	buf.ReadFrom(res.Body)
	if !strings.HasPrefix(buf.String(), "<svg") {
		t.Fatalf("qr body: %.80s", buf.String())
	}
	for _, path := range []string{"/healthz", "/readyz", "/", "/j/" + c.Workshop.Code, "/board/" + c.Workshop.ID} {
		if res, err := http.Get(s.url + path); err != nil || res.StatusCode != 200 {
			t.Errorf("GET %s: %v %v", path, res, err)
		}
	}
}

// One participant flooding is throttled; another on the same address is not.
func TestFloodIsThrottledPerParticipant(t *testing.T) {
	s := startServer(t, "--data", t.TempDir())
	c := newCafé(t, s)
	flood := joinCafé(t, s, c, "Flood", c.tables[0])
	calm := joinCafé(t, s, c, "Calm", c.tables[0])
	pf := online(t, s, c.Workshop.ID, flood.token)
	pc := online(t, s, c.Workshop.ID, calm.token)
	ids := make([]string, 120)
	for i := range ids {
		ids[i] = pf.cmd("vote.toggle", map[string]any{"note": uuid.NewString()})
	}
	limited := 0
	for _, id := range ids {
		m := pf.waitFor("answer", answer(id))
		if m["code"] == "rate_limited" {
			limited++
			if m["retryAfterMs"] == nil {
				t.Fatal("rate_limited without retryAfterMs")
			}
		}
	}
	if limited < 50 {
		t.Fatalf("only %d of 120 flooding commands were throttled", limited)
	}
	m := pc.waitFor("calm ack", answer(pc.cmd("note.post", map[string]any{"note": uuid.NewString(), "text": "calme"})))
	if m["t"] != "ack" {
		t.Fatalf("the calm participant was throttled too: %v", m)
	}
}
