// Package assets holds the built browser client, embedded so `go run ./server` needs no Node.
package assets

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Dist returns the built client (index.html at its root).
func Dist() fs.FS { sub, _ := fs.Sub(dist, "dist"); return sub }
