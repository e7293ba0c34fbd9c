package cluster

import (
	"encoding/binary"
	"encoding/hex"
	"hash/fnv"
)

// nameAlphabet is the alphabet of generated name suffixes, as
// apimachinery's util/rand uses (no vowels, no confusable characters).
const nameAlphabet = "bcdfghjklmnpqrstvwxz2456789"

// maxGeneratedNameLength is the length apiserver truncates a generateName
// prefix to before appending the suffix (63 − 5).
const maxGeneratedNameLength = 58

// mix64 is a 64-bit finaliser (splitmix64): a bijective scrambling of x.
func mix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

func hashString(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// generatedName returns prefix plus five characters derived from the seed,
// the prefix and the per-prefix counter n, so that names depend on nothing
// else that happens in the cluster.
func generatedName(seed uint64, prefix string, n uint64) string {
	base := prefix
	if len(base) > maxGeneratedNameLength {
		base = base[:maxGeneratedNameLength]
	}
	x := mix64(seed ^ mix64(hashString(prefix)^mix64(n)))
	var suffix [5]byte
	for i := range suffix {
		suffix[i] = nameAlphabet[x%uint64(len(nameAlphabet))]
		x /= uint64(len(nameAlphabet))
	}
	return base + string(suffix[:])
}

// generatedUID returns a UUID-shaped UID for the n-th object of a cluster
// with the given seed.
func generatedUID(seed, n uint64) string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], mix64(seed^mix64(n)))
	binary.BigEndian.PutUint64(b[8:], mix64(^seed^mix64(n+0x5bd1e995)))
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // variant
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], b[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], b[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], b[8:10])
	out[23] = '-'
	hex.Encode(out[24:36], b[10:16])
	return string(out[:])
}
