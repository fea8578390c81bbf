package hub

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"nappe/internal/eventlog"
	"nappe/internal/workshop"

	"nappe/internal/metrics"
)

// CreateRequest is what a facilitator fills in. Template names a ready-made workshop
// (workshop.Templates); the request's own fields override the template's when set.
type CreateRequest struct {
	Title, Subtitle, Date, Venue, Language string
	AllowAnonymous                         bool
	Template                               string
	// Import, when set, recreates an exported workshop (with a new id, code and keys) instead.
	Import *workshop.Export
}

// Created is a new workshop with its two secrets, which are shown once and never stored.
type Created struct {
	Workshop       workshop.Workshop
	FacilitatorKey string
	BoardKey       string
}

// ErrUnknownTemplate is a template name that does not exist.
var ErrUnknownTemplate = errors.New("unknown template")

// Create opens a new workshop: claims a join code, then appends its first record.
func (h *Hub) Create(ctx context.Context, r CreateRequest) (Created, error) {
	args := workshop.CreateArgs{
		ID: uuid.NewString(), Title: r.Title, Subtitle: r.Subtitle, Date: r.Date, Venue: r.Venue,
		Language: r.Language, AllowAnonymous: r.AllowAnonymous,
	}
	if r.Template != "" && r.Template != "blank" {
		t, ok := workshop.Templates[r.Template]
		if !ok {
			return Created{}, fmt.Errorf("%w %q", ErrUnknownTemplate, r.Template)
		}
		fill := func(dst *string, v string) {
			if *dst == "" {
				*dst = v
			}
		}
		fill(&args.Title, t.Title)
		fill(&args.Subtitle, t.Subtitle)
		fill(&args.Date, t.Date)
		fill(&args.Venue, t.Venue)
		fill(&args.Language, t.Language)
		for _, tb := range t.Tables {
			tb.ID = uuid.NewString()
			args.Tables = append(args.Tables, tb)
		}
	}
	if r.Import != nil {
		if err := r.Import.CheckHeader(); err != nil {
			return Created{}, err
		}
		args = workshop.CreateArgsFromExport(*r.Import)
		args.ID = uuid.NewString()
	}
	fk := newSecret()
	bk := workshop.DeriveBoardKey(fk)
	args.FacilitatorKeyHash, args.BoardKeyHash = workshop.HashToken(fk), workshop.HashToken(bk)
	now := h.now().UnixMilli()
	// Check the request before claiming a code, so a refused request leaves nothing behind.
	args.Code = "CHECK0"
	if _, err := h.create(args, r.Import, fk, now); err != nil {
		return Created{}, err
	}
	code, err := h.claimCode(ctx, args.ID)
	if err != nil {
		return Created{}, err
	}
	args.Code = code
	bodies, err := h.create(args, r.Import, fk, now)
	if err != nil {
		_ = h.elog.DeleteWorkshop(context.WithoutCancel(ctx), args.ID, code)
		return Created{}, err
	}
	events := make([]workshop.Event, len(bodies))
	for i, b := range bodies {
		events[i] = workshop.Event{V: uint64(i + 1), At: now, Cmd: args.ID, Body: b}
	}
	data, err := encodeRecord(events)
	if err != nil {
		return Created{}, err
	}
	actx, cancel := context.WithTimeout(ctx, h.opts.AppendTimeout)
	defer cancel()
	if _, err := h.elog.Append(actx, args.ID, 0, args.ID, data); err != nil {
		_ = h.elog.DeleteWorkshop(context.WithoutCancel(ctx), args.ID, code)
		return Created{}, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return Created{Workshop: bodies[0].(workshop.WorkshopCreated).Workshop, FacilitatorKey: fk, BoardKey: bk}, nil
}

// create returns the first events of a new workshop: created and its tables, then, for an
// import, everything else the export holds. Imported participants get tokens derived from the
// new facilitator key, so the facilitator can hand out personal links again.
func (h *Hub) create(args workshop.CreateArgs, x *workshop.Export, facilitatorKey string, now int64) (bodies []workshop.Body, err error) {
	defer func() {
		if r := recover(); r != nil {
			bodies, err = nil, h.recovered("import", args.ID, r)
		}
	}()
	h.Inject("import")
	if x == nil {
		return workshop.DecideCreate(workshop.New(), args, now)
	}
	return workshop.DecideCreateImported(args, *x, func(p string) string {
		return workshop.HashToken(workshop.DeriveParticipantToken(facilitatorKey, p))
	}, now)
}

func (h *Hub) claimCode(ctx context.Context, id string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, h.opts.AppendTimeout)
	defer cancel()
	for range 20 {
		code := newCode()
		err := h.elog.ClaimCode(ctx, code, id)
		if err == nil {
			return code, nil
		}
		if !errors.Is(err, eventlog.ErrCodeTaken) {
			return "", fmt.Errorf("%w: %w", ErrUnavailable, err)
		}
	}
	return "", fmt.Errorf("%w: no free join code", ErrUnavailable)
}

// Join seats a new participant (or finds the one this same request already made).
func (w *Workshop) Join(ctx context.Context, a workshop.JoinArgs) (workshop.ParticipantView, error) {
	now := w.hub.now().UnixMilli()
	if _, err := w.Submit(ctx, a.ID, func(s *workshop.State) ([]workshop.Body, error) {
		return workshop.DecideJoin(s, a, now)
	}); err != nil {
		return workshop.ParticipantView{}, err
	}
	var view workshop.ParticipantView
	var err error
	if derr := w.do(ctx, func() {
		p, ok := w.state.Participants[a.ID]
		// The request id was answered before: make sure it was this same joiner, not someone
		// replaying another person's request id.
		if !ok || p.TokenHash != a.TokenHash {
			err = &workshop.Error{Code: workshop.CodeDuplicate, Message: "this join request id was used by someone else"}
			return
		}
		view = workshop.ViewParticipant(p, false)
	}); derr != nil {
		return view, derr
	}
	return view, err
}

// JoinInfo is what the join page shows before anyone is identified: public facts only.
type JoinInfo struct {
	Workshop workshop.Workshop `json:"workshop"`
	Tables   []TableInfo       `json:"tables"`
}

// TableInfo is a table with how many people sit at it, so a joiner can pick one with room.
type TableInfo struct {
	workshop.Table
	Count int `json:"count"`
}

func (w *Workshop) JoinInfo(ctx context.Context) (JoinInfo, error) {
	var info JoinInfo
	err := w.do(ctx, func() {
		info.Workshop = w.state.Workshop
		counts := map[string]int{}
		for _, p := range w.state.Participants {
			counts[p.Table]++
		}
		for _, t := range w.state.SortedTables() {
			info.Tables = append(info.Tables, TableInfo{Table: t, Count: counts[t.ID]})
		}
	})
	return info, err
}

// Authenticate tells who holds token here.
func (w *Workshop) Authenticate(ctx context.Context, token string) (workshop.Actor, error) {
	var a workshop.Actor
	var ok bool
	if err := w.do(ctx, func() { a, ok = w.state.Authenticate(token) }); err != nil {
		return a, err
	}
	if !ok {
		return a, ErrUnauthorized
	}
	return a, nil
}

// Snapshot returns the state as actor sees it, with its version.
func (w *Workshop) Snapshot(ctx context.Context, a workshop.Actor) (workshop.Snapshot, uint64, error) {
	var s workshop.Snapshot
	var v uint64
	err := w.do(ctx, func() { s, v = w.state.Snapshot(a), w.state.Version })
	return s, v, err
}

// ID is the workshop's id.
func (w *Workshop) ID() string { return w.id }

// Allow applies a participant's rate limit; a whole venue may share one IP address, so limits
// are per participant, never per address. retry says when to try again.
func (w *Workshop) Allow(a workshop.Actor) (ok bool, retry time.Duration) {
	key := a.Participant
	if a.Role == workshop.RoleFacilitator {
		key = "facilitator"
	}
	w.limitMu.Lock()
	l, found := w.limiters[key]
	if !found {
		l = w.hub.newLimiter(a.Role)
		w.limiters[key] = l
	}
	w.limitMu.Unlock()
	r := l.Reserve()
	if d := r.Delay(); d > 0 {
		r.Cancel()
		metrics.RateLimited.Inc()
		return false, d
	}
	return true, 0
}

// Read runs fn on the state inside the workshop's loop, for readers that need the whole state
// (exports). fn must not keep the state or anything in it after it returns.
func (w *Workshop) Read(ctx context.Context, fn func(*workshop.State)) error {
	return w.do(ctx, func() { fn(w.state) })
}

// Delete deletes the workshop for a facilitator: a last event tells every process to drop it and
// its clients, then everything stored about it is purged (events, snapshots, join code). Calling
// it again after a failure finishes the purge.
func (h *Hub) Delete(ctx context.Context, id string, actor workshop.Actor) error {
	if actor.Role != workshop.RoleFacilitator {
		return &workshop.Error{Code: workshop.CodeForbidden, Message: "only a facilitator may delete a workshop"}
	}
	w, err := h.Get(ctx, id)
	code := ""
	switch {
	case err == nil:
		err = w.do(ctx, func() { code = w.state.Workshop.Code })
		if err == nil {
			_, err = w.Command(ctx, actor, workshop.Command{ID: "delete-" + id, Type: "workshop.delete"})
		}
		if err != nil && !errors.Is(err, ErrClosed) {
			return err
		}
	case !errors.Is(err, ErrNoWorkshop):
		return err
	}
	if err := h.elog.DeleteWorkshop(ctx, id, codesOf(code)...); err != nil {
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return nil
}

func codesOf(code string) []string {
	if code == "" {
		return nil
	}
	return []string{code}
}

// Register adds the people of an imported list, as one command: importID makes a retry of the
// same import do nothing twice. It returns, index by index, the participant each person is now
// ("" where the import made them; the existing participant where it skipped a duplicate).
func (w *Workshop) Register(ctx context.Context, importID string, people []workshop.Registration) ([]string, error) {
	now := w.hub.now().UnixMilli()
	var skipped []string
	_, err := w.Submit(ctx, importID, func(s *workshop.State) ([]workshop.Body, error) {
		bodies, sk, err := workshop.DecideRegister(s, people, now)
		skipped = sk
		return bodies, err
	})
	if err != nil {
		return nil, err
	}
	if skipped == nil { // a retry answered from memory: tell apart who is there by id
		err = w.do(ctx, func() {
			skipped = make([]string, len(people))
			index := w.state.People()
			for i, r := range people {
				if _, ok := w.state.Participants[r.ID]; !ok {
					skipped[i] = index.Same(r.Name, r.Organisation, r.Email)
				}
			}
		})
	}
	return skipped, err
}
