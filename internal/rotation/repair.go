package rotation

// repair removes avoidable revisits left by the round-by-round construction, which cannot see
// that a choice made in one round leaves someone no unvisited table with room later. For each
// traveller with a revisit it looks, in each planned round, for a cycle of moves within the
// round: p to a table that lowers p's revisits, the traveller q1 there to another table that does
// not raise q1's, and so on until someone takes p's old seat. A cycle keeps every table's size;
// each one found lowers the total, so repair ends. Breadth first over tables, it finds a cycle
// whenever one exists for that traveller and round.
func (b *builder) repair() {
	in := b.in
	if in.played >= in.rounds {
		return
	}
	rev := make([]int, in.n)
	for p := range in.n {
		rev[p] = b.revisitsOf(p, -1, 0)
	}
	for improved := true; improved; {
		improved = false
		for p := range in.n {
			for r := in.played; r < in.rounds && rev[p] > 0 && in.host[p] < 0; r++ {
				if b.cycle(r, p, rev) {
					improved = true
				}
			}
		}
	}
}

// cycle looks for a cycle of moves in round r that lowers p's revisits, and makes it.
func (b *builder) cycle(r, p int, rev []int) bool {
	in := b.in
	home := b.seat[r][p]
	for t := range b.from {
		b.from[t] = -2 // not reached
	}
	b.queue = b.queue[:0]
	for t := range in.tables {
		if t != home && b.revisitsOf(p, r, t) < rev[p] {
			b.from[t], b.via[t] = -1, p
			b.queue = append(b.queue, t)
		}
	}
	for len(b.queue) > 0 {
		u := b.queue[0]
		b.queue = b.queue[1:]
		for _, q := range b.at[r][u] {
			if in.host[q] >= 0 {
				continue
			}
			for v := range in.tables {
				if v == u || (v != home && b.from[v] != -2) || b.revisitsOf(int(q), r, v) > rev[q] {
					continue
				}
				if v == home {
					b.rotate(r, home, u, int(q), rev)
					return true
				}
				b.from[v], b.via[v] = u, int(q)
				b.queue = append(b.queue, v)
			}
		}
	}
	return false
}

// rotate makes the cycle found: q moves from u to p's old table home, whoever reached u moves
// there, and so on back to p.
func (b *builder) rotate(r, home, u, q int, rev []int) {
	type move struct{ who, to int }
	moves := []move{{q, home}}
	for t := u; t >= 0; t = b.from[t] {
		moves = append(moves, move{b.via[t], t})
	}
	for _, m := range moves {
		b.unseat(r, m.who)
	}
	for _, m := range moves {
		b.place(r, m.who, m.to)
	}
	for _, m := range moves {
		rev[m.who] = b.revisitsOf(m.who, -1, 0)
	}
}
