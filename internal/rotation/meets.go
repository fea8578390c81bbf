package rotation

// denseMeets is the largest roster whose meetings are counted in a byte per pair (16 MB at 4,000
// people); above it each person keeps a small hash table of the people they have met, which
// holds at most rounds × (table size − 1) of them: 10,000 people in 6 rounds of 20 take about
// 10 MB instead of 100.
const denseMeets = 4000

// meets counts how many rounds each pair of people has sat together.
type meets struct {
	n      int
	dense  []uint8   // p·n + q → rounds together, up to denseMeets people
	sparse []pairMap // p → the people p has met, above
}

func newMeets(n, rounds int) *meets {
	m := &meets{n: n}
	if n <= denseMeets {
		m.dense = make([]uint8, n*n)
		return m
	}
	m.sparse = make([]pairMap, n)
	return m
}

// get is how many rounds p and q have sat together.
func (m *meets) get(p, q int) int {
	if m.dense != nil {
		return int(m.dense[p*m.n+q])
	}
	return m.sparse[p].get(q)
}

// add counts d more rounds (±1) together for p and q, both ways.
func (m *meets) add(p, q, d int) {
	if m.dense != nil {
		m.dense[p*m.n+q] += uint8(d)
		m.dense[q*m.n+p] += uint8(d)
		return
	}
	m.sparse[p].add(q, d)
	m.sparse[q].add(p, d)
}

// pairMap is an open-addressing hash table from a person to a count. A count back to 0 keeps its
// slot (the pair often meets again as the search moves people back and forth) until the table
// grows, which drops them.
type pairMap struct {
	keys   []int32 // -1: empty
	counts []uint8
	used   int
}

func (h *pairMap) slot(q int) int {
	mask := len(h.keys) - 1
	i := int(uint32(q)*2654435761) & mask
	for h.keys[i] != int32(q) && h.keys[i] >= 0 {
		i = (i + 1) & mask
	}
	return i
}

func (h *pairMap) get(q int) int {
	if h.keys == nil {
		return 0
	}
	i := h.slot(q)
	if h.keys[i] < 0 {
		return 0
	}
	return int(h.counts[i])
}

func (h *pairMap) add(q, d int) {
	if h.keys == nil || 2*(h.used+1) > len(h.keys) {
		h.grow()
	}
	i := h.slot(q)
	if h.keys[i] < 0 {
		h.keys[i] = int32(q)
		h.used++
	}
	h.counts[i] += uint8(d)
}

// grow rehashes into a table twice as large as the pairs with a count need, at least 64 slots.
func (h *pairMap) grow() {
	live := 0
	for i, k := range h.keys {
		if k >= 0 && h.counts[i] > 0 {
			live++
		}
	}
	size := 64
	for size < 4*(live+1) {
		size *= 2
	}
	keys, counts := h.keys, h.counts
	h.keys, h.counts, h.used = make([]int32, size), make([]uint8, size), 0
	for i := range h.keys {
		h.keys[i] = -1
	}
	for i, k := range keys {
		if k >= 0 && counts[i] > 0 {
			j := h.slot(int(k))
			h.keys[j], h.counts[j] = k, counts[i]
			h.used++
		}
	}
}
