package textsync

import "fmt"

// Update is one editor's change, as @codemirror/collab's Update: its changes and who made them.
type Update struct {
	ClientID string
	Changes  ChangeSet
}

// Rebase is @codemirror/collab's rebaseUpdates: it moves updates, made on a version of the text
// the server has since moved past, over the updates accepted since that version (over, oldest
// first), so that they apply to the current text. It is what every editor's receiveUpdates does
// with its own unconfirmed updates when others' arrive, so the result is, update for update, what
// the pusher's editor already shows once it has received over.
//
// Updates at the start of over made by the pusher's clientID are taken to be the first of updates
// already accepted (a push sent twice) and are dropped from the result, as the library does.
//
// It refuses with ErrLength when updates do not follow each other or do not fit the text over
// starts from. It normalises its inputs (see Normalize); what it returns is normal.
func Rebase(updates, over []Update) ([]Update, error) {
	for i := 1; i < len(updates); i++ {
		if updates[i].Changes.before != updates[i-1].Changes.after {
			return nil, fmt.Errorf("%w: update %d is made for %d code units, update %d leaves %d", ErrLength, i, updates[i].Changes.before, i-1, updates[i-1].Changes.after)
		}
	}
	for i := 1; i < len(over); i++ {
		if over[i].Changes.before != over[i-1].Changes.after {
			return nil, fmt.Errorf("%w: the updates to rebase over do not follow each other at %d", ErrLength, i)
		}
	}
	if len(over) == 0 || len(updates) == 0 {
		return normalized(updates), nil
	}
	if updates[0].Changes.before != over[0].Changes.before {
		return nil, fmt.Errorf("%w: the updates are made for %d code units, the text had %d at their version", ErrLength, updates[0].Changes.before, over[0].Changes.before)
	}
	// changes is the description (lengths, no text) of what others did since the version.
	var changes *ChangeSet
	skip := 0
	for _, u := range over {
		if skip < len(updates) && updates[skip].ClientID == u.ClientID {
			if changes != nil {
				if changes.before != updates[skip].Changes.before {
					return nil, fmt.Errorf("%w: update %d does not fit the updates accepted since its version", ErrLength, skip)
				}
				m := mapDesc(*changes, updates[skip].Changes.Normalize(), true)
				changes = &m
			}
			skip++
			continue
		}
		c := u.Changes.Normalize()
		if changes == nil {
			changes = &c
			continue
		}
		m := composeDesc(*changes, c)
		changes = &m
	}
	updates = updates[skip:]
	if changes == nil {
		return normalized(updates), nil
	}
	out := make([]Update, len(updates))
	for i, u := range updates {
		own := u.Changes.Normalize()
		if own.before != changes.before {
			// Only when a skipped update was not in fact the pusher's first: the lengths tell.
			return nil, fmt.Errorf("%w: update %d does not fit the updates accepted since its version", ErrLength, i+skip)
		}
		mapped := own
		if !changes.Empty() {
			mapped = mapSet(own, *changes, false, true)
		}
		out[i] = Update{ClientID: u.ClientID, Changes: mapped}
		m := mapDesc(*changes, own, true)
		changes = &m
	}
	return out, nil
}

// mapDesc and composeDesc are CodeMirror's ChangeDesc methods: lengths only.
func mapDesc(c, other ChangeSet, before bool) ChangeSet {
	if other.Empty() {
		return c
	}
	return mapSet(c, other, before, false)
}

func composeDesc(c, other ChangeSet) ChangeSet {
	switch {
	case c.Empty():
		return other
	case other.Empty():
		return c
	}
	return composeSets(c, other, false)
}

func normalized(updates []Update) []Update {
	out := make([]Update, len(updates))
	for i, u := range updates {
		out[i] = Update{ClientID: u.ClientID, Changes: u.Changes.Normalize()}
	}
	return out
}
