package live

import (
	"bytes"
	"strings"
	"testing"
)

func TestFrameSpan(t *testing.T) {
	small := bytes.Repeat([]byte("a"), 100)
	big := bytes.Repeat([]byte("b"), maxBatchBytes+1)
	exact := bytes.Repeat([]byte("c"), maxBatchBytes/2)
	tests := []struct {
		name  string
		batch [][]byte
		want  int
	}{
		{"one", [][]byte{small}, 1},
		{"several small", [][]byte{small, small, small}, 3},
		{"oversized first goes alone", [][]byte{big, small}, 1},
		{"oversized later starts its own frame", [][]byte{small, big}, 1},
		// Two halves plus the separator exceed the cap by one byte.
		{"separator counts", [][]byte{exact, exact}, 1},
		{"fits exactly", [][]byte{exact, exact[1:]}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := frameSpan(tt.batch); got != tt.want {
				t.Fatalf("frameSpan = %d, want %d", got, tt.want)
			}
			if n := len(join(nil, tt.batch[:tt.want])); tt.want > 1 && n > maxBatchBytes {
				t.Fatalf("joined frame of %d bytes exceeds %d", n, maxBatchBytes)
			}
		})
	}
}

// FuzzJoin checks the framing contract end to end: whatever messages pass
// checkMessage come back from joined frames, split on "\n", unchanged.
func FuzzJoin(f *testing.F) {
	f.Add("a|bc|{\"x\":1}")
	f.Add("||")
	f.Add("x\ny|z")
	f.Fuzz(func(t *testing.T, spec string) {
		var batch [][]byte
		for m := range strings.SplitSeq(spec, "|") {
			if checkMessage([]byte(m)) == nil {
				batch = append(batch, []byte(m))
			}
		}
		var got []string
		for rest := batch; len(rest) > 0; {
			n := frameSpan(rest)
			got = append(got, strings.Split(string(join(nil, rest[:n])), "\n")...)
			rest = rest[n:]
		}
		if len(got) != len(batch) {
			t.Fatalf("%d messages came back from %d", len(got), len(batch))
		}
		for i := range got {
			if got[i] != string(batch[i]) {
				t.Fatalf("message %d = %q, want %q", i, got[i], batch[i])
			}
		}
	})
}
