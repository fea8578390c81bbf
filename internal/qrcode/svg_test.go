package qrcode

import (
	"encoding/xml"
	"fmt"
	"strings"
	"testing"

	"rsc.io/qr"
)

func TestSVGDrawsEveryDarkModule(t *testing.T) {
	text := "https://nappe.example/j/K7QX4M"
	svg, err := SVG(text)
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(svg, new(struct{})); err != nil {
		t.Fatalf("not XML: %v", err)
	}
	code, _ := qr.Encode(text, qr.M)
	dark := 0
	for y := 0; y < code.Size; y++ {
		for x := 0; x < code.Size; x++ {
			if code.Black(x, y) {
				dark++
			}
		}
	}
	// Each run "M.. ..h{run}v1h-{run}z" covers run modules; sum them back.
	path := string(svg[strings.Index(string(svg), `d="`)+3:])
	covered := 0
	for _, seg := range strings.Split(path, "z")[:strings.Count(path, "z")] {
		var x, y, run, back int
		if _, err := fmt.Sscanf(seg, "M%d %dh%dv1h-%d", &x, &y, &run, &back); err != nil {
			t.Fatalf("segment %q: %v", seg, err)
		}
		covered += run
	}
	if covered != dark {
		t.Fatalf("path covers %d modules, code has %d dark", covered, dark)
	}
}
