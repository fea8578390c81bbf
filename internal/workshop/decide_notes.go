package workshop

func decideNotePost(s *State, a Actor, c Command, now int64) ([]Body, error) {
	var args notePostArgs
	if err := decodeArgs(c.Data, &args); err != nil {
		return nil, err
	}
	if err := requireID("note", args.Note); err != nil {
		return nil, err
	}
	if _, ok := s.Notes[args.Note]; ok {
		return nil, errorf(CodeDuplicate, "a note with this id exists")
	}
	if len(s.Notes) >= MaxNotes {
		return nil, errorf(CodeWorkshopFull, "this workshop holds the most notes it may (%d)", MaxNotes)
	}
	n := Note{ID: args.Note, Table: args.Table, Colour: args.Colour, Anonymous: args.Anonymous, CreatedAt: now,
		Round: s.Clock.Round, Voters: []string{}}
	if args.For != "" {
		// Someone without a phone speaks; the host (or a facilitator) writes it down for them.
		if a.Role == RoleParticipant && s.HostOf(a.Participant) == "" {
			return nil, errorf(CodeForbidden, "only a table host may write for someone else")
		}
		if n.Anonymous {
			return nil, errorf(CodeInvalid, "a note written for someone is not anonymous")
		}
	}
	if a.Role == RoleParticipant {
		p := s.Participants[a.Participant]
		if p.Table == "" {
			return nil, errorf(CodeInvalid, "choose a table first")
		}
		if n.Table == "" {
			n.Table = p.Table
		}
		if n.Table != p.Table {
			return nil, errorf(CodeForbidden, "you may only post at your own table")
		}
		n.Author, n.AuthorName = p.ID, p.Name
		if args.For != "" {
			n.Via = p.Name
		}
	}
	if args.For != "" {
		var err *Error
		if n.AuthorName, err = cleanText("for", args.For, MaxName, true, false); err != nil {
			return nil, err
		}
	}
	if _, ok := s.Tables[n.Table]; !ok {
		return nil, errorf(CodeNotFound, "no such table")
	}
	if n.Anonymous && !s.Workshop.AllowAnonymous {
		return nil, errorf(CodeForbidden, "this workshop does not allow anonymous notes")
	}
	if n.Colour == "" {
		n.Colour = "yellow"
	}
	if !validColour(n.Colour) {
		return nil, errorf(CodeInvalid, "colour must be one of the palette")
	}
	var err *Error
	if n.Text, err = cleanText("text", args.Text, MaxNoteText, true, true); err != nil {
		return nil, err
	}
	return []Body{NotePosted{Note: n}}, nil
}

// ownNote finds a note its sender wrote; facilitators own none, so they cannot put words in
// someone else's mouth (they hide or delete instead).
func ownNote(s *State, a Actor, id string) (*Note, *Error) {
	n, ok := s.Notes[id]
	if !ok {
		return nil, errorf(CodeNotFound, "no such note")
	}
	if a.Role != RoleParticipant || n.Author != a.Participant {
		return nil, errorf(CodeForbidden, "only the author may do this")
	}
	return n, nil
}

func decideNoteEdit(s *State, a Actor, c Command, now int64) ([]Body, error) {
	var args noteEditArgs
	if err := decodeArgs(c.Data, &args); err != nil {
		return nil, err
	}
	n, err := ownNote(s, a, args.Note)
	if err != nil {
		return nil, err
	}
	ev := NoteEdited{Note: n.ID, Text: n.Text, Colour: n.Colour, EditedAt: now}
	if args.Text != nil {
		if ev.Text, err = cleanText("text", *args.Text, MaxNoteText, true, true); err != nil {
			return nil, err
		}
	}
	if args.Colour != nil {
		if !validColour(*args.Colour) {
			return nil, errorf(CodeInvalid, "colour must be one of the palette")
		}
		ev.Colour = *args.Colour
	}
	if ev.Text == n.Text && ev.Colour == n.Colour {
		return nil, nil
	}
	return []Body{ev}, nil
}

func decideNoteDelete(s *State, a Actor, c Command, _ int64) ([]Body, error) {
	var args noteRef
	if err := decodeArgs(c.Data, &args); err != nil {
		return nil, err
	}
	if a.Role != RoleFacilitator {
		if _, err := ownNote(s, a, args.Note); err != nil {
			return nil, err
		}
	} else if _, ok := s.Notes[args.Note]; !ok {
		return nil, errorf(CodeNotFound, "no such note")
	}
	return []Body{NoteDeleted{Note: args.Note}}, nil
}

func decideNoteHide(s *State, a Actor, c Command, _ int64) ([]Body, error) {
	return decideNoteVisibility(s, a, c, true)
}

func decideNoteRestore(s *State, a Actor, c Command, _ int64) ([]Body, error) {
	return decideNoteVisibility(s, a, c, false)
}

// decideNoteVisibility hides or restores a note; asking for what already is changes nothing.
// Facilitators moderate every table, a table host only their own.
func decideNoteVisibility(s *State, a Actor, c Command, hide bool) ([]Body, error) {
	var args noteRef
	if err := decodeArgs(c.Data, &args); err != nil {
		return nil, err
	}
	n, ok := s.Notes[args.Note]
	if a.Role == RoleParticipant {
		hosts := s.HostOf(a.Participant)
		if hosts == "" {
			return nil, errorf(CodeForbidden, "only a facilitator or the table host may moderate notes")
		}
		if !ok || n.Table != hosts {
			return nil, errorf(CodeForbidden, "a table host moderates only their own table")
		}
	}
	if !ok {
		return nil, errorf(CodeNotFound, "no such note")
	}
	switch {
	case n.Hidden == hide:
		return nil, nil
	case hide:
		return []Body{NoteHidden{Note: n.ID}}, nil
	default:
		return []Body{NoteRestored{Note: n.ID}}, nil
	}
}

func decideVoteToggle(s *State, a Actor, c Command, _ int64) ([]Body, error) {
	var args noteRef
	if err := decodeArgs(c.Data, &args); err != nil {
		return nil, err
	}
	n, ok := s.Notes[args.Note]
	// A note the participant cannot see does not exist for them: same answer either way, so
	// votes cannot be used to probe other tables or hidden notes.
	if !ok || n.Hidden || n.Table != s.Participants[a.Participant].Table {
		return nil, errorf(CodeNotFound, "no such note")
	}
	on := true
	for _, v := range n.Voters {
		if v == a.Participant {
			on = false
		}
	}
	return []Body{VoteToggled{Note: n.ID, Participant: a.Participant, On: on}}, nil
}
