package workshop

func decideParticipantEdit(s *State, a Actor, c Command, _ int64) ([]Body, error) {
	var args participantEditArgs
	if err := decodeArgs(c.Data, &args); err != nil {
		return nil, err
	}
	if a.Role == RoleParticipant && args.Participant != a.Participant {
		return nil, errorf(CodeForbidden, "you may only edit yourself")
	}
	old, ok := s.Participants[args.Participant]
	if !ok {
		return nil, errorf(CodeNotFound, "no such participant")
	}
	p := *old
	var err *Error
	if args.Name != nil {
		if p.Name, err = cleanText("name", *args.Name, MaxName, true, false); err != nil {
			return nil, err
		}
	}
	if args.Organisation != nil {
		if p.Organisation, err = cleanText("organisation", *args.Organisation, MaxOrganisation, false, false); err != nil {
			return nil, err
		}
	}
	if args.Email != nil {
		if a.Role != RoleFacilitator {
			return nil, errorf(CodeForbidden, "only a facilitator may change an e-mail address")
		}
		if p.Email, err = cleanText("email", *args.Email, MaxEmail, false, false); err != nil {
			return nil, err
		}
		if !validEmail(p.Email) {
			return nil, errorf(CodeInvalid, "email is not an e-mail address")
		}
	}
	if p == *old {
		return nil, nil
	}
	return []Body{ParticipantEdited{Participant: p}}, nil
}

func decideParticipantMove(s *State, a Actor, c Command, _ int64) ([]Body, error) {
	var args participantMoveArgs
	if err := decodeArgs(c.Data, &args); err != nil {
		return nil, err
	}
	if a.Role == RoleParticipant && args.Participant != a.Participant {
		return nil, errorf(CodeForbidden, "you may only move yourself")
	}
	if a.Role == RoleParticipant && s.HostOf(a.Participant) != "" {
		return nil, errorf(CodeForbidden, "you host table %d: a host stays at their table", s.Tables[s.HostOf(a.Participant)].Number)
	}
	p, ok := s.Participants[args.Participant]
	if !ok {
		return nil, errorf(CodeNotFound, "no such participant")
	}
	to := ""
	if args.Table != nil {
		to = *args.Table
	}
	if to == p.Table {
		return nil, nil
	}
	if to != "" {
		t, ok := s.Tables[to]
		if !ok {
			return nil, errorf(CodeNotFound, "no such table")
		}
		// Facilitators may overfill a table on purpose; participants may not.
		if a.Role == RoleParticipant && t.Capacity > 0 && s.seated(to) >= t.Capacity {
			return nil, errorf(CodeTableFull, "table %d is full", t.Number)
		}
	}
	return []Body{ParticipantMoved{Participant: p.ID, Table: to, From: p.Table}}, nil
}

func decideParticipantRemove(s *State, _ Actor, c Command, _ int64) ([]Body, error) {
	var args participantRef
	if err := decodeArgs(c.Data, &args); err != nil {
		return nil, err
	}
	if _, ok := s.Participants[args.Participant]; !ok {
		return nil, errorf(CodeNotFound, "no such participant")
	}
	return []Body{ParticipantRemoved{Participant: args.Participant}}, nil
}
