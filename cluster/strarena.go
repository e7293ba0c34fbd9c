package cluster

import "unsafe"

// strArena packs the short strings a cluster makes for the objects it
// stores — UIDs, generated names, pod IPs — into shared blocks, so that
// each costs its length rather than its allocation's size class (a UID
// alone takes 48 bytes for its 36). It matters at a million pods.
//
// A block lives as long as the longest-lived string in it. The strings
// belong to objects, and objects made together (the pods of one rollout)
// tend to go together, so blocks are freed much as the strings would be.
// The bytes of a string are never written again: only the free tail of
// the current block is appended to, and each [Cluster] (a fork too)
// starts its own block.
type strArena struct {
	block []byte
}

const (
	arenaBlockSize = 4096
	arenaMaxString = 128 // longer strings are allocated on their own
)

// string returns b as a string that shares a block.
func (a *strArena) string(b []byte) string {
	if len(b) == 0 || len(b) > arenaMaxString {
		return string(b)
	}
	if cap(a.block)-len(a.block) < len(b) {
		a.block = make([]byte, 0, arenaBlockSize)
	}
	n := len(a.block)
	a.block = append(a.block, b...)
	return unsafe.String(&a.block[n], len(b))
}
