package rotation

// state is a plan being built or improved, with what its cost needs at hand: who sits at each
// table, and how many times each pair has sat together.
type state struct {
	in   *instance
	seat [][]int     // round → person → table, -1 when absent or not yet seated
	at   [][][]int32 // round → table → people there
	slot [][]int32   // round → person → position in at[round][table]
	meet *meets      // rounds together, per pair; at most MaxRounds
	rev  *revisits
	seq  []int // scratch: one person's tables
}

func newState(in *instance) *state {
	s := &state{
		in:   in,
		seat: make([][]int, in.rounds),
		at:   make([][][]int32, in.rounds),
		slot: make([][]int32, in.rounds),
		meet: newMeets(in.n, in.rounds),
		rev:  newRevisits(in),
		seq:  make([]int, in.rounds),
	}
	for r := range in.rounds {
		s.seat[r] = make([]int, in.n)
		for i := range s.seat[r] {
			s.seat[r][i] = -1
		}
		s.at[r] = make([][]int32, in.tables)
		s.slot[r] = make([]int32, in.n)
	}
	for r, seats := range in.history {
		for i, t := range seats {
			if t >= 0 {
				s.place(r, i, t)
			}
		}
	}
	return s
}

// place seats p at table t in round r.
func (s *state) place(r, p, t int) {
	for _, m := range s.at[r][t] {
		s.meet.add(p, int(m), 1)
	}
	s.slot[r][p] = int32(len(s.at[r][t]))
	s.at[r][t] = append(s.at[r][t], int32(p))
	s.seat[r][p] = t
}

// unseat takes p from their table in round r.
func (s *state) unseat(r, p int) {
	t := s.seat[r][p]
	people := s.at[r][t]
	last := people[len(people)-1]
	people[s.slot[r][p]] = last
	s.slot[r][last] = s.slot[r][p]
	people = people[:len(people)-1]
	s.at[r][t] = people
	s.seat[r][p] = -1
	for _, m := range people {
		s.meet.add(p, int(m), -1)
	}
}

// met counts, among the people at table t in round r other than p and but (who sits there, or
// is -1), those p has met already (before), those p has met more than once (again) and, when
// organisations count, p's colleagues.
func (s *state) met(r, t, p, but int) (before, again, colleagues int) {
	people := s.at[r][t]
	// p never meets p, so p counts for nothing; but is taken off after the loop.
	if d := s.meet.dense; d != nil {
		n := s.in.n
		row := d[p*n : (p+1)*n]
		for _, m := range people {
			c := int(row[m])
			before += min(c, 1)
			again += min(c>>1, 1)
		}
	} else {
		h := &s.meet.sparse[p]
		for _, m := range people {
			c := h.get(int(m))
			before += min(c, 1)
			again += min(c>>1, 1)
		}
	}
	if but >= 0 {
		c := s.meet.get(p, but)
		before -= min(c, 1)
		again -= min(c>>1, 1)
	}
	if org := s.in.org[p]; org >= 0 && s.in.weight > 0 {
		for _, m := range people {
			if s.in.org[m] == org && int(m) != p && int(m) != but {
				colleagues++
			}
		}
	}
	return before, again, colleagues
}

// revisitsOf counts p's avoidable revisits, as if p sat at table t in round r.
func (s *state) revisitsOf(p, r, t int) int {
	for k := range s.seq {
		s.seq[k] = s.seat[k][p]
	}
	if r >= 0 {
		s.seq[r] = t
	}
	return s.rev.of(s.seq, s.in.host[p])
}

// plan copies the seats out.
func (s *state) plan() Plan {
	rounds := make([][]int, len(s.seat))
	for r := range rounds {
		rounds[r] = append([]int(nil), s.seat[r]...)
	}
	return Plan{Rounds: rounds}
}

// repeatedPairs sums max(0, rounds together − 1) over pairs, going through the tables rather
// than all pairs: each pair is counted once, the first time it is met, from the person with the
// smaller index.
func (s *state) repeatedPairs() int {
	n := s.in.n
	seen := make([]int32, n) // q → 1 + the person whose meetings with q were last counted
	total := 0
	for p := range n {
		for r := range s.in.rounds {
			t := s.seat[r][p]
			if t < 0 {
				continue
			}
			for _, q := range s.at[r][t] {
				if int(q) > p && seen[q] != int32(p+1) {
					seen[q] = int32(p + 1)
					total += max(0, s.meet.get(p, int(q))-1)
				}
			}
		}
	}
	return total
}
