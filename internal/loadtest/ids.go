package loadtest

import (
	"crypto/rand"
	"encoding/hex"
	"strconv"
)

// ids makes the UUIDs of one run. A post's note id and command id carry the run (8 random hex
// digits, so that runs against the same server never collide) and the post's index (the last 12
// digits), so that a receiver finds which post a message is about with one substring search:
//
//	note     rrrrrrrr-0000-4000-8000-iiiiiiiiiiii
//	command  rrrrrrrr-0001-4000-8000-iiiiiiiiiiii
//	move     rrrrrrrr-0002-4000-8000-iiiiiiiiiiii  (a phone seating itself; i is the phone)
//	edit     rrrrrrrr-0003-4000-8000-iiiiiiiiiiii  (in an edited note's text; i is the edit)
//
// Votes and edits are actions like posts, with an index of their own: their command id carries
// it, an edited note's text carries it, and a vote is known by its note and its voter.
type ids struct {
	note, cmd, move, edit []byte // the 24-character prefixes
}

const idxDigits = 12

func newIDs() ids {
	b := make([]byte, 4)
	rand.Read(b)
	run := hex.EncodeToString(b)
	return ids{
		note: []byte(run + "-0000-4000-8000-"),
		cmd:  []byte(run + "-0001-4000-8000-"),
		move: []byte(run + "-0002-4000-8000-"),
		edit: []byte(run + "-0003-4000-8000-"),
	}
}

func appendID(dst, prefix []byte, idx int) []byte {
	dst = append(dst, prefix...)
	var digits [idxDigits]byte
	s := strconv.AppendUint(digits[:0], uint64(idx), 16)
	for range idxDigits - len(s) {
		dst = append(dst, '0')
	}
	return append(dst, s...)
}

func (x ids) noteID(idx int) string { return string(appendID(nil, x.note, idx)) }
func (x ids) moveID(idx int) string { return string(appendID(nil, x.move, idx)) }

// parseIdx reads the index in id (a whole 36-character id) if it has the prefix.
func parseIdx(id, prefix []byte) (int, bool) {
	if len(id) < len(prefix)+idxDigits || string(id[:len(prefix)]) != string(prefix) {
		return 0, false
	}
	return hexIdx(id[len(prefix) : len(prefix)+idxDigits])
}

func hexIdx(b []byte) (int, bool) {
	n := 0
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			n = n<<4 | int(c-'0')
		case c >= 'a' && c <= 'f':
			n = n<<4 | int(c-'a'+10)
		default:
			return 0, false
		}
	}
	return n, true
}

// eachNote calls f with the index of every note id of this run in msg, in order.
func (x ids) eachNote(msg []byte, f func(idx int)) { eachID(msg, x.note, f) }

// eachEdit calls f with the index of every edit of this run whose text msg holds.
func (x ids) eachEdit(msg []byte, f func(idx int)) { eachID(msg, x.edit, f) }

func eachID(msg, prefix []byte, f func(idx int)) {
	for {
		i := indexBytes(msg, prefix)
		if i < 0 {
			return
		}
		msg = msg[i+len(prefix):]
		if len(msg) < idxDigits {
			return
		}
		if idx, ok := hexIdx(msg[:idxDigits]); ok {
			f(idx)
		}
		msg = msg[idxDigits:]
	}
}

// noteText is the text of every post: about the length of a real sticky note, ASCII so that
// nothing needs escaping.
const noteText = "Load test note: what would make this World Cafe table work better for everyone here?"

// appendPost builds a note.post command frame. table is empty for a phone (it posts at its own
// table); a facilitator names it.
func (x ids) appendPost(dst []byte, idx int, table string) []byte {
	dst = append(dst, `{"t":"cmd","id":"`...)
	dst = appendID(dst, x.cmd, idx)
	dst = append(dst, `","type":"note.post","data":{"note":"`...)
	dst = appendID(dst, x.note, idx)
	if table != "" {
		dst = append(dst, `","table":"`...)
		dst = append(dst, table...)
	}
	dst = append(dst, `","text":"`...)
	dst = append(dst, noteText...)
	dst = strconv.AppendInt(append(dst, " #"...), int64(idx), 10)
	return append(dst, `"}}`...)
}

// appendVote builds the vote.toggle command frame of action idx, for the note of post target.
func (x ids) appendVote(dst []byte, idx, target int) []byte {
	dst = append(dst, `{"t":"cmd","id":"`...)
	dst = appendID(dst, x.cmd, idx)
	dst = append(dst, `","type":"vote.toggle","data":{"note":"`...)
	dst = appendID(dst, x.note, target)
	return append(dst, `"}}`...)
}

// appendEdit builds the note.edit command frame of action idx, which rewrites the note of post
// target with a text carrying idx.
func (x ids) appendEdit(dst []byte, idx, target int) []byte {
	dst = append(dst, `{"t":"cmd","id":"`...)
	dst = appendID(dst, x.cmd, idx)
	dst = append(dst, `","type":"note.edit","data":{"note":"`...)
	dst = appendID(dst, x.note, target)
	dst = append(dst, `","text":"Edited: `...)
	dst = append(dst, noteText[len("Load test note: "):]...)
	dst = appendID(append(dst, ' '), x.edit, idx)
	return append(dst, `"}}`...)
}
