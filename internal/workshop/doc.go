// Package workshop is Nappe's domain: the state of one World Café workshop, the commands people
// send, the events those commands become, and the rules that decide who may do what.
//
// It is pure: no I/O, no clock, no randomness. A command is decided against the current State
// (Decide), the resulting events are appended to the log by the caller, and every process rebuilds
// the same State by applying the same events in the same order (State.Apply). That is what lets
// several Nappe processes share one event log and agree.
package workshop
