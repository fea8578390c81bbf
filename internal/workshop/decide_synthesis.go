package workshop

import (
	"errors"

	"nappe/internal/textsync"
)

type synthesisPushArgs struct {
	Doc     string            `json:"doc"`
	Version int               `json:"version"`
	Updates []SynthesisUpdate `json:"updates"`
}

// MaxPushUpdates bounds one push; CodeMirror sends what accumulated since the last push, a few.
const MaxPushUpdates = 100

func decideSynthesisPush(s *State, a Actor, c Command, _ int64) ([]Body, error) {
	var args synthesisPushArgs
	if err := decodeArgs(c.Data, &args); err != nil {
		return nil, err
	}
	if args.Doc != PlenaryDoc {
		if _, ok := s.Tables[args.Doc]; !ok {
			return nil, errorf(CodeNotFound, "no such synthesis")
		}
	}
	if !s.canEditSynthesis(a, args.Doc) {
		if args.Doc == PlenaryDoc {
			return nil, errorf(CodeForbidden, "the plenary synthesis is written by facilitators and table hosts")
		}
		return nil, errorf(CodeForbidden, "only the people at this table edit its synthesis")
	}
	if len(args.Updates) == 0 || len(args.Updates) > MaxPushUpdates {
		return nil, errorf(CodeInvalid, "a push holds 1 to %d updates", MaxPushUpdates)
	}
	for _, u := range args.Updates {
		if u.ClientID == "" || len(u.ClientID) > 64 {
			return nil, errorf(CodeInvalid, "each update needs a clientID of at most 64 characters")
		}
	}
	sy := s.Syntheses[args.Doc]
	current := 0
	var text textsync.Text
	if sy != nil {
		current, text = sy.Version, sy.Text
	}
	if args.Version > current || args.Version < 0 {
		return nil, errorf(CodeStale, "the synthesis is at version %d, not %d: apply the updates you missed and push again", current, args.Version)
	}
	updates, err := parseUpdates(args.Updates)
	if err != nil {
		return nil, errorf(CodeInvalid, "changes do not fit the synthesis: %v", err)
	}
	if args.Version < current {
		// Made on a version the synthesis has moved past: rebased over what was accepted since,
		// as the pusher's editor rebases its own copy when those updates reach it.
		rebased, ok, err := sy.rebasePush(args.Version, updates)
		switch {
		case !ok:
			return nil, errorf(CodeStale, "the synthesis is at version %d and %d is too old to rebase: apply the updates you missed and push again", current, args.Version)
		case err != nil:
			return nil, errorf(CodeInvalid, "changes do not fit the synthesis at version %d: %v", args.Version, err)
		case len(rebased) == 0:
			return nil, nil // every update was accepted already (a push sent twice)
		}
		updates = rebased
	}
	if _, err := applyUpdates(text, updates); err != nil {
		switch {
		case errors.Is(err, textsync.ErrTooLong):
			return nil, errorf(CodeTooLong, "a synthesis holds at most %d characters", MaxSynthesisLen)
		default:
			return nil, errorf(CodeInvalid, "changes do not fit the synthesis: %v", err)
		}
	}
	wire, err := wireUpdates(updates)
	if err != nil {
		return nil, errorf(CodeInvalid, "changes do not fit the synthesis: %v", err)
	}
	return []Body{SynthesisChanged{Doc: args.Doc, Version: current, Updates: wire, By: a.Participant}}, nil
}
