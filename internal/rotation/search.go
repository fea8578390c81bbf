package rotation

import (
	"math"
	"math/rand/v2"
	"sync/atomic"
	"time"
)

// search improves a complete plan by simulated annealing. A move (two travellers of one round
// swap tables; or one moves, taking an extra seat with them; or a cycle, see tryCycle) is made
// when it lowers the cost, or raises it by a little with a probability that falls as the search
// goes on, to leave local minima. The cost is repeated pairs, plus weighted colleagues, plus
// revisitWeight per avoidable revisit; the plan returned is the best seen with revisits first, so
// revisits can only go down, but allowing some on the way lets the search through: without
// revisits a traveller can often go to one table only.
//
// Only people in a conflict (a repeated pair, a colleague or a revisit in that round) are worth
// moving; they are kept in a list, checked again when drawn, so that at 2,000 people with a few
// conflicts left the search does not spend its time on people who are fine.
type search struct {
	*state
	rng        *rand.Rand
	first      int     // first planned round
	travellers []int32 // everyone but the hosts
	revisits   []int   // person → avoidable revisits
	repeats    int     // repeated pairs: Σ max(0, times together − 1)
	colleagues int     // pairs of colleagues at one table, summed over rounds
	revisited  int     // Σ revisits
	bounds     [2]int  // lower bounds on repeats and colleagues; reaching them ends the search
	stop       *atomic.Bool

	cycles           bool   // whether to try cycles: when travellers visit most tables
	from, via, queue []int  // breadth-first search of a cycle (tryCycle)
	base             []int  // table → size without an extra seat (levels)
	flexible         []bool // table → may take an extra seat

	todo   []int32 // (round − first)·n + person, suspected of a conflict
	listed []bool
	// the best plan, copied only when the search is about to leave it
	best    [][]int
	bestKey [2]float64
	atBest  bool
}

// Annealing settings, measured on the default cases and random problems: with revisits forbidden
// outright (an infinite weight) the 34-people case ends at 53 repeated pairs on average over 20
// seeds, with 4 it reaches the bound, 48, every time; 8 or 16 average 50. Temperatures are in repeated pairs: a swap that adds one is taken
// one time in five at first, almost never at the end.
//
// When travellers visit all tables but one or none, one move in four is a cycle (tryCycle), the
// others swaps: there cycles matter (24 people at 4 tables for 4 rounds: 26 repeated pairs with
// them, 43 without); elsewhere they change nothing measurable and cost time (at 2,000 people with
// organisations, two thirds of it).
const (
	revisitWeight = 4
	hot, cold     = 0.6, 0.02
	cycleShare    = 0.25
)

func newSearch(s *state, rng *rand.Rand, bounds [2]int, stop *atomic.Bool) *search {
	in := s.in
	x := &search{state: s, rng: rng, first: in.played, bounds: bounds, stop: stop, revisits: make([]int, in.n)}
	for p := range in.n {
		if in.host[p] < 0 {
			x.travellers = append(x.travellers, int32(p))
		}
		x.revisits[p] = s.revisitsOf(p, -1, 0)
		x.revisited += x.revisits[p]
	}
	x.repeats = s.repeatedPairs()
	for r := range in.rounds {
		for _, people := range s.at[r] {
			for a, p := range people {
				for _, q := range people[a+1:] {
					if in.org[p] >= 0 && in.org[p] == in.org[q] {
						x.colleagues++
					}
				}
			}
		}
	}
	x.listed = make([]bool, (in.rounds-x.first)*in.n)
	x.cycles = in.opens-in.rounds <= 1
	x.from, x.via = make([]int, in.tables), make([]int, in.tables)
	lv := in.levels()
	x.base, x.flexible = lv.size, make([]bool, in.tables)
	for _, t := range lv.flexible {
		x.flexible[t] = true
	}
	x.bestKey, x.atBest = x.key(), true
	return x
}

func (x *search) key() [2]float64 {
	return [2]float64{float64(x.revisited), float64(x.repeats) + x.in.weight*float64(x.colleagues)}
}

func less(a, b [2]float64) bool { return a[0] < b[0] || a[0] == b[0] && a[1] < b[1] }

// done: nothing can be better.
func (x *search) done() bool {
	return x.revisited == 0 && x.repeats <= x.bounds[0] && (x.in.weight == 0 || x.colleagues <= x.bounds[1])
}

// conflicted tells whether p has something to fix in round r.
func (x *search) conflicted(r, p int) bool {
	if x.revisits[p] > 0 {
		return true
	}
	_, again, colleagues := x.met(r, x.seat[r][p], p, -1)
	return again > 0 || x.in.weight > 0 && colleagues > 0
}

func (x *search) note(r, p int) {
	k := (r-x.first)*x.in.n + p
	if !x.listed[k] && x.conflicted(r, p) {
		x.listed[k] = true
		x.todo = append(x.todo, int32(k))
	}
}

// refill lists every conflict afresh.
func (x *search) refill() {
	for _, k := range x.todo {
		x.listed[k] = false
	}
	x.todo = x.todo[:0]
	for r := x.first; r < x.in.rounds; r++ {
		for _, p := range x.travellers {
			x.note(r, int(p))
		}
	}
}

// run makes up to work attempts, or stops at the deadline or when told to, and returns the best
// plan it saw and its key.
func (x *search) run(work int, deadline time.Time) (Plan, [2]float64) {
	if len(x.travellers) < 2 || x.first >= x.in.rounds {
		return x.plan(), x.key()
	}
	x.refill()
	temp := hot
	sinceRefill := 0
	for it := range work {
		if it%1024 == 0 {
			if x.stop.Load() || time.Now().After(deadline) {
				break
			}
			temp = hot * math.Pow(cold/hot, float64(it)/float64(work))
		}
		if x.done() {
			break
		}
		if sinceRefill++; len(x.todo) == 0 || sinceRefill > 20*len(x.travellers) {
			x.refill()
			sinceRefill = 0
			if len(x.todo) == 0 {
				break
			}
		}
		k := x.rng.IntN(len(x.todo))
		code := int(x.todo[k])
		r, p := x.first+code/x.in.n, code%x.in.n
		if !x.conflicted(r, p) {
			x.listed[code] = false
			x.todo[k] = x.todo[len(x.todo)-1]
			x.todo = x.todo[:len(x.todo)-1]
			continue
		}
		if !x.cycles || x.rng.Float64() >= cycleShare {
			x.trySwap(r, p, temp)
		} else {
			x.tryCycle(r, p, temp)
		}
	}
	if x.atBest {
		return x.plan(), x.key()
	}
	return Plan{Rounds: x.best}, x.bestKey
}

// trySwap swaps p with a random traveller at another table of round r if the annealing rule says
// so.
func (x *search) trySwap(r, p int, temp float64) {
	t1 := x.seat[r][p]
	q := -1
	for range 8 {
		c := int(x.travellers[x.rng.IntN(len(x.travellers))])
		if x.seat[r][c] != t1 {
			q = c
			break
		}
	}
	if q < 0 {
		return
	}
	t2 := x.seat[r][q]
	if x.flexible[t1] && x.flexible[t2] && len(x.at[r][t1]) > x.base[t1] && len(x.at[r][t2]) == x.base[t2] && x.rng.IntN(2) == 0 {
		x.tryMove(r, p, t2, temp)
		return
	}
	revP, revQ := x.revisitsOf(p, r, t2), x.revisitsOf(q, r, t1)
	dRev := revP + revQ - x.revisits[p] - x.revisits[q]
	// p leaves t1 for t2 and q the other way; p and q never sit together, before or after.
	_, pAgain, pOld := x.met(r, t1, p, -1)
	pBefore, _, pNew := x.met(r, t2, p, q)
	_, qAgain, qOld := x.met(r, t2, q, -1)
	qBefore, _, qNew := x.met(r, t1, q, p)
	dRep := pBefore + qBefore - pAgain - qAgain
	dCol := pNew + qNew - pOld - qOld
	if !x.accept(dRev, dRep, dCol, temp) {
		return
	}
	x.unseat(r, p)
	x.unseat(r, q)
	x.place(r, p, t2)
	x.place(r, q, t1)
	x.revisits[p], x.revisits[q] = revP, revQ
	x.moved(dRev, dRep, dCol)
	x.note(r, p)
	x.note(r, q)
}

// tryMove moves p alone from a table with an extra seat to one without: the extra seat moves, and
// the tables stay as balanced as before.
func (x *search) tryMove(r, p, t int, temp float64) {
	rev := x.revisitsOf(p, r, t)
	dRev := rev - x.revisits[p]
	_, again, was := x.met(r, x.seat[r][p], p, -1)
	before, _, now := x.met(r, t, p, -1)
	if !x.accept(dRev, before-again, now-was, temp) {
		return
	}
	x.unseat(r, p)
	x.place(r, p, t)
	x.revisits[p] = rev
	x.moved(dRev, before-again, now-was)
	x.note(r, p)
}

// accept is the annealing rule. Before a move that leaves the best plan seen, it keeps a copy.
func (x *search) accept(dRev, dRep, dCol int, temp float64) bool {
	if !x.worth(dRev, dRep, dCol, temp) {
		return false
	}
	if x.leavesBest(dRev, dRep, dCol) {
		x.best, x.atBest = x.plan().Rounds, false
	}
	return true
}

// worth: a move that lowers the cost always is, one that raises it by delta with probability
// e^(−delta/temp).
func (x *search) worth(dRev, dRep, dCol int, temp float64) bool {
	delta := revisitWeight*float64(dRev) + float64(dRep) + x.in.weight*float64(dCol)
	return delta <= 0 || x.rng.Float64() < math.Exp(-delta/temp)
}

func (x *search) leavesBest(dRev, dRep, dCol int) bool {
	after := [2]float64{float64(x.revisited + dRev), float64(x.repeats+dRep) + x.in.weight*float64(x.colleagues+dCol)}
	return x.atBest && less(x.bestKey, after)
}

// moved counts a move made.
func (x *search) moved(dRev, dRep, dCol int) {
	x.revisited += dRev
	x.repeats += dRep
	x.colleagues += dCol
	if k := x.key(); less(k, x.bestKey) {
		x.bestKey, x.atBest = k, true
	}
}
