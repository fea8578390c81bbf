package workshop

func (s *State) nextTableNumber() int {
	n := 0
	for _, t := range s.Tables {
		if t.Number > n {
			n = t.Number
		}
	}
	return n + 1
}

func (s *State) numberTaken(number int, except string) bool {
	for id, t := range s.Tables {
		if t.Number == number && id != except {
			return true
		}
	}
	return false
}

// checkTable validates a whole table as it would be stored.
func checkTable(s *State, t *Table) *Error {
	var err *Error
	if t.Name, err = cleanText("name", t.Name, MaxTableName, true, false); err != nil {
		return named("name", err)
	}
	if t.Question, err = cleanText("question", t.Question, MaxQuestion, false, true); err != nil {
		return named("question", err)
	}
	if t.Colour == "" {
		t.Colour = Palette[(t.Number-1+len(Palette))%len(Palette)]
	}
	if !validColour(t.Colour) {
		return named("colour", errorf(CodeInvalid, "colour must be one of the palette"))
	}
	if t.Capacity < 0 || t.Capacity > MaxCapacity {
		return named("capacity", errorf(CodeInvalid, "capacity must be between 0 (no limit) and %d", MaxCapacity))
	}
	if t.Number < 1 || t.Number > 9999 {
		return named("number", errorf(CodeInvalid, "number must be between 1 and 9999"))
	}
	if s.numberTaken(t.Number, t.ID) {
		return named("number", errorf(CodeDuplicate, "table number %d is taken", t.Number))
	}
	return nil
}

func decideTableAdd(s *State, _ Actor, c Command, _ int64) ([]Body, error) {
	var a tableAddArgs
	if err := decodeArgs(c.Data, &a); err != nil {
		return nil, err
	}
	if err := requireID("id", a.ID); err != nil {
		return nil, err
	}
	if _, ok := s.Tables[a.ID]; ok {
		return nil, errorf(CodeDuplicate, "a table with this id exists")
	}
	if len(s.Tables) >= MaxTables {
		return nil, errorf(CodeInvalid, "a workshop has at most %d tables", MaxTables)
	}
	t := Table{ID: a.ID, Name: a.Name, Question: a.Question, Colour: a.Colour, Capacity: a.Capacity}
	t.Number = s.nextTableNumber()
	if a.Number != nil {
		t.Number = *a.Number
	}
	if err := checkTable(s, &t); err != nil {
		return nil, err
	}
	return []Body{TableAdded{Table: t}}, nil
}

func decideTableEdit(s *State, _ Actor, c Command, _ int64) ([]Body, error) {
	var a tableEditArgs
	if err := decodeArgs(c.Data, &a); err != nil {
		return nil, err
	}
	old, ok := s.Tables[a.Table]
	if !ok {
		return nil, errorf(CodeNotFound, "no such table")
	}
	t := *old
	if a.Number != nil {
		t.Number = *a.Number
	}
	if a.Name != nil {
		t.Name = *a.Name
	}
	if a.Question != nil {
		t.Question = *a.Question
	}
	if a.Colour != nil {
		t.Colour = *a.Colour
	}
	if a.Capacity != nil {
		t.Capacity = *a.Capacity
	}
	if err := checkTable(s, &t); err != nil {
		return nil, err
	}
	if t == *old {
		return nil, nil
	}
	return []Body{TableEdited{Table: t}}, nil
}

func decideTableRemove(s *State, _ Actor, c Command, _ int64) ([]Body, error) {
	var a tableRef
	if err := decodeArgs(c.Data, &a); err != nil {
		return nil, err
	}
	if _, ok := s.Tables[a.Table]; !ok {
		return nil, errorf(CodeNotFound, "no such table")
	}
	// A table's notes are the café's memory; removing the table would orphan them silently.
	for _, n := range s.Notes {
		if n.Table == a.Table {
			return nil, errorf(CodeNotEmpty, "the table still has notes")
		}
	}
	if s.seated(a.Table) > 0 {
		return nil, errorf(CodeNotEmpty, "people are still seated at the table")
	}
	return []Body{TableRemoved{Table: a.Table}}, nil
}

// seated counts the participants at a table.
func (s *State) seated(table string) int {
	n := 0
	for _, p := range s.Participants {
		if p.Table == table {
			n++
		}
	}
	return n
}
