package rotation

// revisits counts avoidable revisits in one person's sequence of tables: a round where they sit at
// a table they have sat at more often than at some open table. While open tables remain unvisited
// that is any return; once all are visited, the second tour must again go round before a third
// visit anywhere. A host at their own table is where they belong, never a revisit.
//
// It keeps its scratch space between calls, so one counter serves one goroutine.
type revisits struct {
	open  []bool
	opens int
	count []int // table → visits so far; zero between calls
	level []int // k → open tables visited k times; zero between calls
}

func newRevisits(in *instance) *revisits {
	return &revisits{open: in.open, opens: in.opens, count: make([]int, in.tables)}
}

// of counts the avoidable revisits in seq (table per round, -1 when absent) of someone hosting
// table host (-1 for a traveller).
func (c *revisits) of(seq []int, host int) int {
	if cap(c.level) < len(seq)+2 {
		c.level = make([]int, len(seq)+2)
	}
	level := c.level[:len(seq)+2]
	level[0] = c.opens
	least, n := 0, 0 // least: visits of the least visited open table
	for _, t := range seq {
		if t < 0 {
			continue
		}
		k := c.count[t]
		if t != host && k > least {
			n++
		}
		c.count[t] = k + 1
		if c.open[t] {
			level[k]--
			level[k+1]++
			for level[least] == 0 {
				least++
			}
		}
	}
	for _, t := range seq {
		if t >= 0 {
			c.count[t] = 0
		}
	}
	clear(level)
	return n
}
