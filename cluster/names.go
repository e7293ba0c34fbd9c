package cluster

import (
	"encoding/binary"
	"encoding/hex"
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

// hashString is the 64-bit FNV-1a hash of s.
func hashString(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// appendGeneratedName appends to dst a generated name: prefix plus five
// characters derived from the seed, the prefix and the per-prefix counter
// n, so that names depend on nothing else that happens in the cluster.
func appendGeneratedName(dst []byte, seed uint64, prefix string, n uint64) []byte {
	base := prefix
	if len(base) > maxGeneratedNameLength {
		base = base[:maxGeneratedNameLength]
	}
	x := mix64(seed ^ mix64(hashString(prefix)^mix64(n)))
	dst = append(dst, base...)
	for range 5 {
		dst = append(dst, nameAlphabet[x%uint64(len(nameAlphabet))])
		x /= uint64(len(nameAlphabet))
	}
	return dst
}

// uidBytes returns the text of a UUID-shaped UID for the n-th object of a
// cluster with the given seed.
func uidBytes(seed, n uint64) [36]byte {
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
	return out
}
