package loadtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
)

// netPlan spreads the tool's connections over several source addresses when the server is on
// loopback: Nappe limits joins per client address (a venue's NAT), and a real room arrives from
// many phones, not one. On Linux all of 127.0.0.0/8 is local, so 127.0.0.2, .3, … need no setup.
type netPlan struct {
	clients []*http.Client
}

func newNetPlan(target string, sources int) *netPlan {
	p := &netPlan{}
	u, err := url.Parse(target)
	loopback := false
	if err == nil {
		host := u.Hostname()
		ip := net.ParseIP(host)
		loopback = host == "localhost" || (ip != nil && ip.To4() != nil && ip.IsLoopback())
	}
	if !loopback || sources < 1 {
		sources = 1
	}
	for i := range sources {
		var local net.Addr
		if loopback && sources > 1 {
			local = &net.TCPAddr{IP: net.IPv4(127, 0, byte(1+(i+1)/250), byte(1+(i+1)%250))}
		}
		d := &net.Dialer{Timeout: 15 * time.Second, LocalAddr: local, KeepAlive: 30 * time.Second}
		p.clients = append(p.clients, &http.Client{Transport: &http.Transport{
			DialContext:         d.DialContext,
			MaxIdleConns:        256,
			MaxIdleConnsPerHost: 64,
			IdleConnTimeout:     30 * time.Second,
		}})
	}
	return p
}

func (p *netPlan) client(i int) *http.Client { return p.clients[i%len(p.clients)] }

func (p *netPlan) close() {
	for _, c := range p.clients {
		c.CloseIdleConnections()
	}
}

// api is the HTTP side of PROTOCOL.md §1, as the facilitator's console and the join page use it.
type api struct {
	ep  *endpoint // its address changes when the tool restarts it
	net *netPlan
}

type httpError struct {
	Status int
	Body   string
}

func (e *httpError) Error() string { return fmt.Sprintf("HTTP %d: %s", e.Status, e.Body) }

// call makes one request, retrying what the protocol says may be retried: 429 (after
// Retry-After, or a second), 503 and network errors (a few times). via picks the source address.
func (a *api) call(ctx context.Context, via int, method, path, bearer string, body, out any) error {
	var raw []byte
	if body != nil {
		raw, _ = json.Marshal(body)
	}
	transient := 0
	for {
		req, err := http.NewRequestWithContext(ctx, method, a.ep.current().http+path, bytes.NewReader(raw))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		if bearer != "" {
			req.Header.Set("Authorization", "Bearer "+bearer)
		}
		res, err := a.net.client(via).Do(req)
		var answer []byte
		if err == nil {
			answer, err = io.ReadAll(res.Body)
			res.Body.Close()
		}
		wait := time.Duration(0)
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case err != nil:
			if transient++; transient > 5 {
				return fmt.Errorf("%s %s: %w", method, path, err)
			}
			wait = 200 * time.Millisecond
		case res.StatusCode == http.StatusTooManyRequests:
			wait = time.Second
			if s, err := strconv.Atoi(res.Header.Get("Retry-After")); err == nil && s > 0 {
				wait = time.Duration(s) * time.Second
			}
		case res.StatusCode == http.StatusServiceUnavailable:
			if transient++; transient > 5 {
				return &httpError{res.StatusCode, string(answer)}
			}
			wait = 500 * time.Millisecond
		case res.StatusCode >= 300:
			return fmt.Errorf("%s %s: %w", method, path, &httpError{res.StatusCode, string(answer)})
		default:
			if out == nil {
				return nil
			}
			if raw, ok := out.(*[]byte); ok {
				*raw = answer
				return nil
			}
			return json.Unmarshal(answer, out)
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// workshopInfo is a workshop the tool made: its keys and its tables, in order.
type workshopInfo struct {
	ID, Code, FacKey, BoardKey string
	Tables                     []string
}

func (a *api) createWorkshop(ctx context.Context, title string) (*workshopInfo, error) {
	var out struct {
		Workshop struct {
			ID   string `json:"id"`
			Code string `json:"code"`
		} `json:"workshop"`
		FacilitatorKey string `json:"facilitatorKey"`
		BoardKey       string `json:"boardKey"`
	}
	body := map[string]any{"title": title, "language": "en", "allowAnonymous": false, "template": "blank"}
	if err := a.call(ctx, 0, "POST", "/api/workshops", "", body, &out); err != nil {
		return nil, fmt.Errorf("create workshop: %w", err)
	}
	return &workshopInfo{ID: out.Workshop.ID, Code: out.Workshop.Code, FacKey: out.FacilitatorKey, BoardKey: out.BoardKey}, nil
}

var palette = []string{"yellow", "orange", "red", "pink", "purple", "blue", "teal", "green"}

// command runs one command through the REST route, as the facilitator.
func (a *api) command(ctx context.Context, w *workshopInfo, typ string, data map[string]any) error {
	body := map[string]any{"id": uuid.NewString(), "type": typ, "data": data}
	return a.call(ctx, 0, "POST", "/api/workshops/"+w.ID+"/commands", w.FacKey, body, nil)
}

// addTables adds n tables, numbered in order.
func (a *api) addTables(ctx context.Context, w *workshopInfo, n int) error {
	for i := range n {
		id := uuid.NewString()
		err := a.command(ctx, w, "table.add", map[string]any{
			"id": id, "number": i + 1, "name": fmt.Sprintf("Table %d", i+1), "colour": palette[i%len(palette)],
			"question": "What would make this café work better for everyone?",
		})
		if err != nil {
			return fmt.Errorf("table.add: %w", err)
		}
		w.Tables = append(w.Tables, id)
	}
	return nil
}

type participant struct {
	ID, Token string
}

func newToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// joinAll joins n participants (not seated: each phone seats itself), concurrently.
func (a *api) joinAll(ctx context.Context, w *workshopInfo, n, concurrency int) ([]participant, error) {
	out := make([]participant, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, concurrency)
	for range concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil {
					return
				}
				p := participant{ID: uuid.NewString(), Token: newToken()}
				body := map[string]any{"id": p.ID, "token": p.Token, "name": fmt.Sprintf("Phone %d", i+1), "table": nil}
				if err := a.call(ctx, i, "POST", "/api/join/"+w.Code, "", body, nil); err != nil {
					errs <- fmt.Errorf("join %d: %w", i, err)
					return
				}
				out[i] = p
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return nil, err
	}
	return out, nil
}

// state is the workshop as its facilitator sees it (every note, hidden ones included), raw.
func (a *api) state(ctx context.Context, w *workshopInfo) ([]byte, error) {
	var raw []byte
	err := a.call(ctx, 0, "GET", "/api/workshops/"+w.ID+"/state", w.FacKey, nil, &raw)
	return raw, err
}
