package eventlog

import (
	"bytes"
	"testing"
)

// BenchmarkAppend measures sequential compare-and-set appends of 256-byte
// payloads on the embedded server, with its fsync on every write.
func BenchmarkAppend(b *testing.B) {
	l := openLog(b, Config{DataDir: b.TempDir()})
	ctx := testCtx(b)
	ws := newWorkshop()
	payload := bytes.Repeat([]byte("n"), 256)
	var last uint64
	b.SetBytes(int64(len(payload)))
	for b.Loop() {
		seq, err := l.Append(ctx, ws, last, "", payload)
		if err != nil {
			b.Fatal(err)
		}
		last = seq
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "appends/s")
}
