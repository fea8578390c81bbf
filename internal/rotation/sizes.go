package rotation

import (
	"cmp"
	"slices"
)

// levels describes the most even table sizes that capacities and hosts allow. Every table gets
// level, clamped between its hosts and its capacity (water-filling); extra of the flexible tables
// (those that could take one more) get one more, so that the sizes add up to everyone. No other
// choice of sizes has a smaller largest table or a larger smallest one.
type levels struct {
	size     []int // the sizes before the extra seats
	flexible []int // tables that can take one of the extra seats
	extra    int
}

func (in *instance) levels() levels {
	clamp := func(t, level int) int { return min(max(level, in.hosts[t]), in.capacity[t]) }
	total := func(level int) int {
		sum := 0
		for t := range in.capacity {
			sum += clamp(t, level)
		}
		return sum
	}
	// The largest level that does not seat more than everyone; total(0) is the hosts, at most n.
	lo, hi := 0, in.n
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if total(mid) <= in.n {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	lv := levels{size: make([]int, in.tables), extra: in.n - total(lo)}
	for t := range lv.size {
		lv.size[t] = clamp(t, lo)
		if in.hosts[t] <= lo && lo < in.capacity[t] {
			lv.flexible = append(lv.flexible, t)
		}
	}
	return lv
}

// schedule gives the table sizes of every round to plan (nil for the played ones). The extra
// seats go, each round, to the flexible tables that have had the fewest travellers so far, played
// rounds included; as travellers must see every table once before seeing one twice, a table with
// more hosts (fewer seats for travellers) must take the extra seat more often, or some travellers
// would find no unvisited table with room. Between equals, the extra seats turn round the tables,
// so that none is always the fuller one.
func (in *instance) schedule() [][]int {
	lv := in.levels()
	sizes := make([][]int, in.rounds)
	seen := make([]int, in.tables) // table → travellers seated there so far
	for _, seats := range in.history {
		for p, t := range seats {
			if t >= 0 && in.host[p] != t {
				seen[t]++
			}
		}
	}
	k := len(lv.flexible)
	for r := in.played; r < in.rounds; r++ {
		size := append([]int(nil), lv.size...)
		if lv.extra > 0 {
			start := r * lv.extra % k
			turn := func(j int) int { return (j - start + k) % k } // place in this round's turn
			order := make([]int, k)
			for j := range order {
				order[j] = j
			}
			travellers := func(j int) int { t := lv.flexible[j]; return seen[t] + size[t] - in.hosts[t] }
			slices.SortFunc(order, func(a, b int) int {
				return cmp.Or(cmp.Compare(travellers(a), travellers(b)), cmp.Compare(turn(a), turn(b)))
			})
			for _, j := range order[:lv.extra] {
				size[lv.flexible[j]]++
			}
		}
		for t := range seen {
			seen[t] += size[t] - in.hosts[t]
		}
		sizes[r] = size
	}
	return sizes
}

// evenness is the smallest size imbalance (largest table minus smallest, hosts included) a planned
// round can have: that of the levels, where the flexible tables are all at the level and some of
// them one above.
func (in *instance) evenness() int {
	if in.tables == 0 {
		return 0
	}
	lv := in.levels()
	smallest, largest := slices.Min(lv.size), slices.Max(lv.size)
	if lv.extra > 0 {
		largest = max(largest, lv.size[lv.flexible[0]]+1)
	}
	return largest - smallest
}
