package workshop

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"

	"nappe/internal/textsync"
)

// PlenaryDoc names the synthesis of the whole workshop (the plenary "perspectives"); every other
// synthesis is named by its table's id.
const PlenaryDoc = "plenary"

// MaxSynthesisLen is the longest a synthesis may be, in UTF-16 code units (what the editor
// counts): about ten pages.
const MaxSynthesisLen = textsync.MaxLen

// Synthesis is a text written together: a table's summary or the plenary's. Version counts the
// updates applied, as CodeMirror's collab extension counts them: an editor pushes its updates
// for the version it has seen; a push made on an older version is rebased over the pushes
// accepted since, as long as the window of recent pushes reaches back to it
// (synthesis_rebase.go).
type Synthesis struct {
	Version  int
	Text     textsync.Text
	EditedAt int64
	// Rounds is the text as it stood when each round ended, to brief newcomers.
	Rounds map[int]string

	// recent is the window of the last pushes accepted, oldest first, ending at Version; it holds
	// recentUpdates updates of recentSize. Memory only: a synthesis loaded from a snapshot starts
	// with an empty window, and rebases again once pushes have filled it.
	recent        []acceptedPush
	recentUpdates int
	recentSize    int
}

// SynthesisUpdate is one change of one editor, in CodeMirror's ChangeSet JSON form.
type SynthesisUpdate struct {
	ClientID string          `json:"clientID"`
	Changes  json.RawMessage `json:"changes"`
}

type synthesisJSON struct {
	Version  int               `json:"version"`
	Text     string            `json:"text"`
	EditedAt int64             `json:"editedAt"`
	Rounds   map[string]string `json:"rounds"`
}

// MarshalJSON writes a synthesis for snapshots and views.
func (s *Synthesis) MarshalJSON() ([]byte, error) {
	out := synthesisJSON{Version: s.Version, Text: s.Text.String(), EditedAt: s.EditedAt, Rounds: map[string]string{}}
	for r, text := range s.Rounds {
		out.Rounds[strconv.Itoa(r)] = text
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads a synthesis back from a snapshot.
func (s *Synthesis) UnmarshalJSON(b []byte) error {
	var in synthesisJSON
	if err := json.Unmarshal(b, &in); err != nil {
		return fmt.Errorf("decode synthesis: %w", err)
	}
	*s = Synthesis{Version: in.Version, Text: textsync.FromString(in.Text), EditedAt: in.EditedAt, Rounds: map[int]string{}}
	for k, text := range in.Rounds {
		r, err := strconv.Atoi(k)
		if err != nil {
			return fmt.Errorf("decode synthesis: round %q: %w", k, err)
		}
		s.Rounds[r] = text
	}
	return nil
}

// applyUpdates applies updates in order to text, refusing all of them if one does not fit.
func applyUpdates(text textsync.Text, updates []textsync.Update) (textsync.Text, error) {
	for i, u := range updates {
		var err error
		if text, err = u.Changes.Apply(text); err != nil {
			return text, fmt.Errorf("update %d: %w", i, err)
		}
	}
	return text, nil
}

// synthesis returns the synthesis of doc, creating it empty on first use.
func (s *State) synthesis(doc string) *Synthesis {
	sy, ok := s.Syntheses[doc]
	if !ok {
		sy = &Synthesis{Rounds: map[int]string{}}
		s.Syntheses[doc] = sy
	}
	return sy
}

// applySynthesis folds a synthesis change into the state. Decide checked the updates; if they
// no longer fit (which would mean a bug, not a race: versions serialise them), nothing changes.
func (s *State) applySynthesis(b SynthesisChanged, at int64) {
	sy := s.synthesis(b.Doc)
	if b.Version != sy.Version {
		return
	}
	updates, err := parseUpdates(b.Updates)
	if err != nil {
		return
	}
	text, err := applyUpdates(sy.Text, updates)
	if err != nil {
		return
	}
	sy.Text, sy.Version, sy.EditedAt = text, sy.Version+len(b.Updates), at
	sy.remember(updates)
}

// keepRoundTexts records every synthesis as it stands at the end of a round.
func (s *State) keepRoundTexts(round int) {
	if round <= 0 {
		return
	}
	for _, sy := range s.Syntheses {
		sy.Rounds[round] = sy.Text.String()
	}
}

// canEditSynthesis: facilitators edit every synthesis; the people at a table (its host among
// them) edit that table's; hosts edit the plenary's.
func (s *State) canEditSynthesis(a Actor, doc string) bool {
	switch a.Role {
	case RoleFacilitator:
		return true
	case RoleParticipant:
		if doc == PlenaryDoc {
			return s.HostOf(a.Participant) != ""
		}
		p, ok := s.Participants[a.Participant]
		return ok && p.Table == doc
	}
	return false
}

// SynthesisView is a synthesis on the wire.
type SynthesisView struct {
	Doc      string            `json:"doc"`
	Version  int               `json:"version"`
	Text     string            `json:"text"`
	EditedAt int64             `json:"editedAt"`
	Rounds   map[string]string `json:"rounds"`
}

func viewSynthesis(doc string, sy *Synthesis) SynthesisView {
	v := SynthesisView{Doc: doc, Version: sy.Version, Text: sy.Text.String(), EditedAt: sy.EditedAt, Rounds: map[string]string{}}
	for r, text := range sy.Rounds {
		v.Rounds[strconv.Itoa(r)] = text
	}
	return v
}

// synthesisViews lists the syntheses a reader sees: all of them, or, for a participant, their
// table's and the plenary's.
func (s *State) synthesisViews(me *Participant) []SynthesisView {
	out := []SynthesisView{}
	for _, doc := range sortedIDs(s.Syntheses) {
		if me != nil && doc != PlenaryDoc && doc != me.Table {
			continue
		}
		out = append(out, viewSynthesis(doc, s.Syntheses[doc]))
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Doc == PlenaryDoc && out[j].Doc != PlenaryDoc })
	return out
}
