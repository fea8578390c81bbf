package rotation

import "math/rand/v2"

// tableChoices is how many tables the greedy seating weighs for each traveller, at most.
const tableChoices = 64

// builder seats one round after another, greedily: travellers in a random order, each at the
// table that costs least now among those they have visited least.
type builder struct {
	*state
	visits []uint8 // person·tables + table → times seated there in the rounds built so far
	least  []uint8 // person → visits of their least visited open table, this round
	target []int
	order  []int // tables in this round's order of preference, to break ties
	// breadth-first search of a chain of moves that makes room (augment)
	from, via []int
	queue     []int
}

func newBuilder(s *state) *builder {
	b := &builder{
		state:  s,
		visits: make([]uint8, s.in.n*s.in.tables),
		least:  make([]uint8, s.in.n),
		from:   make([]int, s.in.tables),
		via:    make([]int, s.in.tables),
	}
	for r := range s.in.played {
		b.count(r)
	}
	return b
}

// count adds round r to the visits.
func (b *builder) count(r int) {
	for p, t := range b.seat[r] {
		if t >= 0 && b.visits[p*b.in.tables+t] < 255 {
			b.visits[p*b.in.tables+t]++
		}
	}
}

// build seats everyone in round r, hosts at their tables, in sizes target.
func (b *builder) build(r int, target []int, rng *rand.Rand) {
	in := b.in
	b.target = target
	b.order = rng.Perm(in.tables)
	var travellers []int
	for p := range in.n {
		if in.host[p] >= 0 {
			b.place(r, p, in.host[p])
			continue
		}
		travellers = append(travellers, p)
		least := uint8(255)
		for t, v := range b.visits[p*in.tables : (p+1)*in.tables] {
			if in.open[t] {
				least = min(least, v)
			}
		}
		b.least[p] = least
	}
	rng.Shuffle(len(travellers), func(i, j int) { travellers[i], travellers[j] = travellers[j], travellers[i] })
	for _, p := range travellers {
		if t := b.best(r, p); t >= 0 {
			b.place(r, p, t)
			continue
		}
		// Every table p may go to is full: move people along a chain to make room, allowing p
		// (and only p) tables visited once more each time no chain exists.
		// Some open table has room (the targets add up to everyone), so this ends.
		for slack := 0; !b.augment(r, p, slack); slack++ {
		}
	}
	b.count(r)
}

// allowed tells whether p may sit at t without an avoidable revisit, give or take slack visits.
func (b *builder) allowed(p, t, slack int) bool {
	return b.in.open[t] && int(b.visits[p*b.in.tables+t]) <= int(b.least[p])+slack
}

// best is the allowed table with room where p adds the fewest repeated meetings and colleagues;
// ties go to the emptier table, which keeps choices open for the people still to seat.
//
// With more than tableChoices tables, it looks at tableChoices of them only (those with room,
// from a place in this round's order that depends on p), which keeps the seating of 10,000
// people at 500 tables to a fraction of a second; at that size most tables are as good as any.
func (b *builder) best(r, p int) int {
	best, bestCost := -1, 0.0
	start, looked := 0, 0
	if len(b.order) > tableChoices {
		start = p * 7919 % len(b.order)
	}
	for j := range b.order {
		t := b.order[(start+j)%len(b.order)]
		n := len(b.at[r][t])
		if n >= b.target[t] || !b.allowed(p, t, 0) {
			continue
		}
		if looked++; looked > tableChoices {
			break
		}
		before, _, colleagues := b.met(r, t, p, -1)
		cost := float64(before) + b.in.weight*float64(colleagues)
		if best < 0 || cost < bestCost || cost == bestCost && n*b.target[best] < len(b.at[r][best])*b.target[t] {
			best, bestCost = t, cost
		}
	}
	return best
}

// augment seats p by a chain of moves: p takes a seat at an allowed table u1 whose traveller q1
// moves to a table u2 allowed for q1, and so on until a table with room. The search is breadth
// first over tables, so the chain is among the shortest; it finds one whenever one exists, which
// makes the greedy seating a maximum matching of people to allowed seats.
func (b *builder) augment(r, p, slack int) bool {
	in := b.in
	for t := range b.from {
		b.from[t] = -2 // not reached
	}
	b.queue = b.queue[:0]
	for t := range in.tables {
		if b.allowed(p, t, slack) && b.target[t] > 0 {
			b.from[t], b.via[t] = -1, p
			if len(b.at[r][t]) < b.target[t] {
				b.shift(r, t)
				return true
			}
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
				if b.from[v] != -2 || !b.allowed(int(q), v, 0) {
					continue
				}
				b.from[v], b.via[v] = u, int(q)
				if len(b.at[r][v]) < b.target[v] {
					b.shift(r, v)
					return true
				}
				b.queue = append(b.queue, v)
			}
		}
	}
	return false
}

// shift carries out the chain of moves that ends at table t, which has room.
func (b *builder) shift(r, t int) {
	for {
		q, u := b.via[t], b.from[t]
		if u >= 0 {
			b.unseat(r, q)
		}
		b.place(r, q, t)
		if u < 0 {
			return
		}
		t = u
	}
}
