package loadtest

import (
	"bytes"
	"strconv"
)

// The server's messages are read without decoding JSON: the tool only needs a few fields, and
// finds them by their key. This holds because the server encodes with encoding/json (no spaces,
// "t" first) and because the only free text in what the tool receives is its own, which holds no
// quotes.

type msgKind uint8

const (
	kindOther msgKind = iota
	kindWelcome
	kindSnapshot
	kindEv
	kindSynced
	kindAck
	kindError
	kindBye
	kindPong
	kindCmd // a command echoed by the bare server
)

var kinds = map[string]msgKind{
	"welcome": kindWelcome, "snapshot": kindSnapshot, "ev": kindEv, "synced": kindSynced,
	"ack": kindAck, "error": kindError, "bye": kindBye, "pong": kindPong, "cmd": kindCmd,
}

var tPrefix = []byte(`{"t":"`)

func kindOf(msg []byte) msgKind {
	if !bytes.HasPrefix(msg, tPrefix) {
		return kindOther
	}
	rest := msg[len(tPrefix):]
	end := bytes.IndexByte(rest, '"')
	if end < 0 {
		return kindOther
	}
	return kinds[string(rest[:end])] // no allocation: the compiler special-cases this lookup
}

// stringField returns the string value of the first "key":"…" in msg.
func stringField(msg []byte, key string) ([]byte, bool) {
	i := indexKey(msg, key)
	if i < 0 || i >= len(msg) || msg[i] != '"' {
		return nil, false
	}
	rest := msg[i+1:]
	end := bytes.IndexByte(rest, '"')
	if end < 0 {
		return nil, false
	}
	return rest[:end], true
}

// uintField returns the number value of the first "key":123 in msg.
func uintField(msg []byte, key string) (uint64, bool) {
	i := indexKey(msg, key)
	if i < 0 {
		return 0, false
	}
	j := i
	for j < len(msg) && msg[j] >= '0' && msg[j] <= '9' {
		j++
	}
	if j == i {
		return 0, false
	}
	n, err := strconv.ParseUint(string(msg[i:j]), 10, 64)
	return n, err == nil
}

// indexKey returns where the value of "key": starts, or -1.
func indexKey(msg []byte, key string) int {
	var pat [64]byte
	p := append(append(append(pat[:0], '"'), key...), '"', ':')
	i := bytes.Index(msg, p)
	if i < 0 {
		return -1
	}
	return i + len(p)
}

func indexBytes(s, sep []byte) int { return bytes.Index(s, sep) }

// eachLine calls f with each "\n"-separated message of a frame.
func eachLine(frame []byte, f func([]byte)) {
	for len(frame) > 0 {
		i := bytes.IndexByte(frame, '\n')
		if i < 0 {
			f(frame)
			return
		}
		if i > 0 {
			f(frame[:i])
		}
		frame = frame[i+1:]
	}
}
