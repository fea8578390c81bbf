// Package protocol is Nappe's wire format (PROTOCOL.md beside this file): it decodes what clients
// send, strictly, and encodes what the server sends. The example frames in testdata/golden are the
// contract; the TypeScript client's tests read the same files.
package protocol

// Version is the protocol version a hello must name.
const Version = 1
