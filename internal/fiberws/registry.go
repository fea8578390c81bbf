package fiberws

import (
	"context"
	"fmt"
	"net"
	"sync"
)

// Registry tracks the WebSocket connections of its handlers, which fasthttp
// forgets once it has hijacked them, so that shutdown can wait for them.
//
// At shutdown, call app.ShutdownWithContext first (it stops accepting and
// cancels every serve context, then returns without waiting for hijacked
// connections), then Registry.Shutdown to wait for serve functions to return
// and to force the remaining connections closed when its context expires.
type Registry struct {
	mu     sync.Mutex
	ctx    context.Context // cancelled by Shutdown
	cancel context.CancelFunc
	closed bool
	conns  map[net.Conn]struct{}
	wg     sync.WaitGroup // one per serve running

	// The current fasthttp server's shutdown, as a context derived from
	// ctx. fasthttp signals shutdown with a bare channel shared by all its
	// requests; one goroutine per server turns it into a real context,
	// which costs nothing per connection (a foreign context would cost a
	// goroutine each time coder/websocket derives one from it).
	srvDone <-chan struct{}
	srvCtx  context.Context
}

// NewRegistry returns an empty Registry.
func NewRegistry() *Registry {
	ctx, cancel := context.WithCancel(context.Background())
	return &Registry{ctx: ctx, cancel: cancel, conns: make(map[net.Conn]struct{})}
}

// context returns the context for a new connection on the fasthttp server
// whose shutdown channel is done, or false once the Registry is shut down.
func (g *Registry) context(done <-chan struct{}) (context.Context, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return nil, false
	}
	if done == nil {
		return g.ctx, true
	}
	if done != g.srvDone {
		ctx, cancel := context.WithCancel(g.ctx)
		go func() {
			defer cancel()
			select {
			case <-done:
			case <-ctx.Done():
			}
		}()
		g.srvDone, g.srvCtx = done, ctx
	}
	return g.srvCtx, true
}

func (g *Registry) track(c net.Conn) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return false
	}
	g.conns[c] = struct{}{}
	g.wg.Add(1)
	return true
}

func (g *Registry) untrack(c net.Conn) {
	g.mu.Lock()
	delete(g.conns, c)
	g.mu.Unlock()
	g.wg.Done()
}

// Len returns the number of connections being served.
func (g *Registry) Len() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.conns)
}

// Shutdown refuses new connections, cancels the context of every serve
// function and waits for them to return. When ctx expires first, it closes
// the remaining connections (their serve functions then fail on their next
// read or write) and returns ctx's error without waiting further.
func (g *Registry) Shutdown(ctx context.Context) error {
	g.mu.Lock()
	g.closed = true
	g.mu.Unlock()
	g.cancel()

	served := make(chan struct{})
	go func() {
		g.wg.Wait()
		close(served)
	}()
	select {
	case <-served:
		return nil
	case <-ctx.Done():
	}

	g.mu.Lock()
	n := len(g.conns)
	for c := range g.conns {
		_ = c.Close()
	}
	g.mu.Unlock()
	return fmt.Errorf("fiberws: closed %d connections that outlived shutdown: %w", n, ctx.Err())
}
