//go:build !race

package main

// faultRace: the race detector slows everything several times; load tests pace themselves.
const faultRace = false
