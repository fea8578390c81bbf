package main

import (
	"encoding/json"
	"strings"
)

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
