package httpapi

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/coder/websocket"
	"golang.org/x/time/rate"

	"nappe/internal/hub"
	"nappe/internal/live"
	"nappe/internal/metrics"
	"nappe/internal/protocol"
	"nappe/internal/workshop"
)

// helloTimeout is how long a new connection may stay silent before saying who it is.
const helloTimeout = 15 * time.Second

// serveSocket runs one WebSocket: the hello, then commands until the connection ends. Commands
// from one connection are handled in order, which is the order the phone's outbox sent them.
func (a *api) serveSocket(shutdown context.Context, ws *websocket.Conn, _ *http.Request) {
	conn := live.NewConn(ws, a.cfg.Live)
	metrics.ConnOpened()
	defer metrics.ConnClosed()
	defer conn.Close(websocket.StatusNormalClosure, "")
	// When the server shuts down, say goodbye properly: a read whose context is cancelled drops
	// the connection without a close frame, so reads and commands use a context that is not. A
	// command being handled is answered first: its sender then knows it was stored.
	s := &session{api: a, conn: conn, pace: a.hub.NewFrameLimiter(workshop.RoleParticipant)}
	defer s.recoverSession()
	stop := context.AfterFunc(shutdown, s.drain)
	defer stop()
	ctx := context.WithoutCancel(shutdown)
	if !s.hello(ctx) {
		return
	}
	s.pace = a.hub.NewFrameLimiter(s.actor.Role)
	defer s.w.Detach(conn)
	for {
		msg, ok := s.next(ctx)
		if !ok {
			return
		}
		switch msg.T {
		case "hello":
			s.fail("", protocol.CodeBadFrame, "hello was already said on this connection")
		case "cmd":
			if !s.begin() {
				return
			}
			s.command(ctx, msg)
			if !s.end() {
				return
			}
		}
	}
}

type session struct {
	api   *api
	conn  *live.Conn
	w     *hub.Workshop
	actor workshop.Actor
	pace  *rate.Limiter // frames read from this connection

	mu       sync.Mutex
	busy     bool // a command is being handled
	draining bool // the server is shutting down
	bye      sync.Once
}

// drain is called when the server shuts down: goodbye now, or once the command being handled
// has been answered.
func (s *session) drain() {
	s.mu.Lock()
	s.draining = true
	busy := s.busy
	s.mu.Unlock()
	if !busy {
		s.goodbye()
	}
}

func (s *session) goodbye() {
	s.bye.Do(func() {
		s.conn.Send(protocol.ByeShutdown)
		s.conn.CloseAsync(websocket.StatusGoingAway, "server shutting down")
	})
}

// begin and end bracket a command; false: the server is shutting down, stop reading.
func (s *session) begin() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.busy = !s.draining
	return s.busy
}

func (s *session) end() bool {
	s.mu.Lock()
	s.busy = false
	draining := s.draining
	s.mu.Unlock()
	if draining {
		s.goodbye()
	}
	return !draining
}

func (s *session) send(m any) { s.conn.Send(protocol.Encode(m)) }

func (s *session) fail(id, code, message string) {
	metrics.BadFrames.Inc()
	s.send(protocol.NewError(id, code, message))
}

// next reads frames until one is a well-formed hello or cmd, answering pings and bad frames on the
// way; false when the connection is over.
func (s *session) next(ctx context.Context) (protocol.ClientMessage, bool) {
	for {
		if s.pace.Wait(ctx) != nil {
			return protocol.ClientMessage{}, false
		}
		frame, err := s.conn.Read(ctx)
		metrics.FramesIn.Inc()
		switch {
		case errors.Is(err, live.ErrBinaryFrame):
			s.fail("", protocol.CodeBinaryFrame, "binary frames are not accepted; send JSON text")
			continue
		case errors.Is(err, live.ErrInvalidUTF8):
			s.fail("", protocol.CodeInvalidUTF8, "the frame is not valid UTF-8")
			continue
		case errors.Is(err, live.ErrFrameTooLarge):
			s.fail("", protocol.CodeFrameTooLarge, "the frame is over 64 KiB")
			continue
		case err != nil:
			return protocol.ClientMessage{}, false
		}
		msg, perr := protocol.DecodeClient(frame)
		if perr != nil {
			s.fail(msg.ID, perr.Code, perr.Message)
			continue
		}
		if msg.T == "ping" {
			s.send(protocol.Pong{T: "pong", N: msg.N, ServerTime: time.Now().UnixMilli()})
			continue
		}
		return msg, true
	}
}

func (s *session) hello(ctx context.Context) bool {
	hctx, cancel := context.WithTimeout(ctx, helloTimeout)
	defer cancel()
	for {
		msg, ok := s.next(hctx)
		if !ok {
			return false
		}
		if msg.T != "hello" {
			s.fail(msg.ID, protocol.CodeNotAuthenticated, "say hello first")
			continue
		}
		if msg.Proto != protocol.Version {
			s.fail("", protocol.CodeProtoVersion, "this server speaks protocol version 1")
			s.conn.Close(protocol.CloseProtoVersion, "protocol version")
			return false
		}
		w, err := s.api.hub.Get(ctx, msg.Workshop)
		if err == nil {
			s.actor, err = w.Attach(ctx, s.conn, msg.Token, msg.Since)
		}
		switch {
		case err == nil:
			s.w = w
			return true
		case errors.Is(err, hub.ErrNoWorkshop):
			s.fail("", protocol.CodeNotFound, "no such workshop")
			s.conn.Close(protocol.CloseNoWorkshop, "no such workshop")
		case errors.Is(err, hub.ErrUnauthorized):
			s.fail("", protocol.CodeUnauthorized, "this link or token is not valid for this workshop")
			s.conn.Close(protocol.CloseUnauthorized, "unauthorized")
		default:
			_, code, message := s.api.classify(err)
			s.fail("", code, message)
			s.conn.Close(websocket.StatusTryAgainLater, "try again")
		}
		return false
	}
}

func (s *session) command(ctx context.Context, msg protocol.ClientMessage) {
	defer s.recoverCommand(msg.ID)
	v, err := s.api.runCommand(ctx, s.w, s.actor, workshop.Command{ID: msg.ID, Type: msg.Type, Data: msg.Data})
	if err == nil {
		s.send(protocol.Ack{T: "ack", ID: msg.ID, V: v})
		return
	}
	_, code, message := s.api.classify(err)
	e := protocol.NewError(msg.ID, code, message)
	var rl *rateLimited
	if errors.As(err, &rl) {
		e.RetryAfterMs = rl.retry.Milliseconds() + 1
	}
	s.send(e)
}
