package workshop

import (
	"encoding/json"
	"fmt"

	"nappe/internal/textsync"
)

// The server rebases a push made on a version it has moved past (see PROTOCOL.md §3,
// "Syntheses"): it keeps, in memory only, the last pushes it accepted for each synthesis, and
// moves a late push over them with textsync.Rebase, as the pusher's editor moves its own
// unconfirmed updates over each synthesis.changed it receives. The window is bounded; a push
// older than what it holds is refused as stale, and the editor rebases and pushes again.
const (
	// RebaseWindowUpdates is how many recently accepted updates a synthesis keeps for rebasing:
	// at 40 typists and 4 keystrokes a second, about a second and a half of typing.
	RebaseWindowUpdates = 256
	// RebaseWindowSize bounds their memory (textsync.ChangeSet.Size, about words): a few big
	// pastes push out the rest.
	RebaseWindowSize = 32 << 10
)

// acceptedPush is one synthesis.changed as the window keeps it: the updates of one push, parsed.
type acceptedPush struct {
	updates []textsync.Update
	size    int
}

// remember adds an accepted push at the end of the window (the synthesis is now at
// version + len(updates)) and drops the oldest pushes past the bounds.
func (sy *Synthesis) remember(updates []textsync.Update) {
	p := acceptedPush{updates: updates}
	for _, u := range updates {
		p.size += u.Changes.Size()
	}
	sy.recent = append(sy.recent, p)
	sy.recentUpdates += len(updates)
	sy.recentSize += p.size
	drop := 0
	for drop < len(sy.recent) && (sy.recentUpdates > RebaseWindowUpdates || sy.recentSize > RebaseWindowSize) {
		sy.recentUpdates -= len(sy.recent[drop].updates)
		sy.recentSize -= sy.recent[drop].size
		drop++
	}
	if drop > 0 {
		sy.recent = append(sy.recent[:0:0], sy.recent[drop:]...)
	}
}

// since returns the pushes accepted from version on, oldest first, or false when the window does
// not reach back to version (or version falls inside a push, which no editor can have seen).
func (sy *Synthesis) since(version int) ([]acceptedPush, bool) {
	v := sy.Version - sy.recentUpdates
	for i, p := range sy.recent {
		if v == version {
			return sy.recent[i:], true
		}
		v += len(p.updates)
	}
	return nil, v == version && version == sy.Version
}

// parseUpdates parses and normalises the updates of a push, in order.
func parseUpdates(updates []SynthesisUpdate) ([]textsync.Update, error) {
	out := make([]textsync.Update, len(updates))
	for i, u := range updates {
		cs, err := textsync.ParseChangeSet(u.Changes)
		if err != nil {
			return nil, fmt.Errorf("update %d: %w", i, err)
		}
		out[i] = textsync.Update{ClientID: u.ClientID, Changes: cs.Normalize()}
	}
	return out, nil
}

// rebasePush moves updates, made on version, over the pushes accepted since, one push after
// another (as the pusher's editor does, one synthesis.changed at a time: over all of them at once,
// an insertion inside a range others replaced can land elsewhere). ok is false when the window
// does not reach back to version.
func (sy *Synthesis) rebasePush(version int, updates []textsync.Update) (_ []textsync.Update, ok bool, _ error) {
	over, ok := sy.since(version)
	if !ok {
		return nil, false, nil
	}
	for _, p := range over {
		var err error
		if updates, err = textsync.Rebase(updates, p.updates); err != nil {
			return nil, true, err
		}
	}
	return updates, true, nil
}

// wireUpdates writes updates in CodeMirror's JSON form, as they go into the event.
func wireUpdates(updates []textsync.Update) ([]SynthesisUpdate, error) {
	out := make([]SynthesisUpdate, len(updates))
	for i, u := range updates {
		raw, err := u.Changes.MarshalJSON()
		if err != nil {
			return nil, fmt.Errorf("update %d: %w", i, err)
		}
		out[i] = SynthesisUpdate{ClientID: u.ClientID, Changes: json.RawMessage(raw)}
	}
	return out, nil
}
