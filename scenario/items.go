package scenario

import (
	"fmt"

	"github.com/daemonsim/daemonsim/cluster"
)

// Parallel runs task(0), …, task(n-1), each once, and returns when every
// call has returned. It may run them in any order, and at once on several
// goroutines: the tasks it is given write disjoint memory, and the caller
// assembles their results in input order, so the outcome is the same
// whichever order they run in. The library starts no goroutine itself; a
// program that wants a large dump decoded on several cores passes one
// that does (the daemonsim command does, with GOMAXPROCS workers). A nil
// Parallel runs the tasks one after the other on the caller's goroutine.
type Parallel func(n int, task func(i int))

// chunkBytes is how much of the input one task decodes, at least (the
// last one excepted): large enough that a task's own string cache and
// buffers cost little, small enough that the tasks of a 100 MB dump
// spread over many cores. Tests lower it.
var chunkBytes = 4 << 20

// itemResult is what a fast path made of one item of a List: the object,
// or the kind of an object lenient decoding skips; ok is false when the
// fast path does not take the item, which is then left to the decoder.
type itemResult struct {
	obj     cluster.Object
	skipped string
	ok      bool
}

// fastItems decodes every item with a fast path, in consecutive chunks of
// at least chunkBytes of input, run by par. newDecoder is called once per
// chunk, on the chunk's goroutine, and gives a decoder with state of its
// own (its buffers and string cache), so that chunks may run at once.
func fastItems(items []listItem, par Parallel, newDecoder func() func(listItem) itemResult) []itemResult {
	out := make([]itemResult, len(items))
	var bounds []int // chunk c is items[bounds[c]:bounds[c+1]]
	size := 0
	for i, it := range items {
		if i == 0 || size >= chunkBytes {
			bounds = append(bounds, i)
			size = 0
		}
		size += it.end - it.start
	}
	bounds = append(bounds, len(items))
	task := func(c int) {
		decode := newDecoder()
		for i := bounds[c]; i < bounds[c+1]; i++ {
			out[i] = decode(items[i])
		}
	}
	if par == nil {
		for c := range len(bounds) - 1 {
			task(c)
		}
	} else {
		par(len(bounds)-1, task)
	}
	return out
}

// assembleItems builds, in input order, the result of a List decoded item
// by item: each item's fast result or, for an item the fast path did not
// take, the decoder's on a List of that item alone (prefix, the item's
// text, suffix), in which the item starts at line first; lines map back
// by a fixed offset. An item over maxItem bytes (0: no limit) is an error
// at its line. When the decoder refuses an item, ok is false if the input
// is small enough (wholeInputLimit) to be decoded whole, which says what
// is wrong and where; past that, the item's error comes back positioned in
// the input.
func assembleItems(data []byte, name string, items []listItem, fast []itemResult, prefix, suffix string, first, maxItem int) (res *DecodeResult, ok bool, err error) {
	res = &DecodeResult{}
	skip := func(kind string, n int) {
		if res.Skipped == nil {
			res.Skipped = map[string]int{}
		}
		res.Skipped[kind] += n
	}
	var part []byte
	for i, it := range items {
		text := data[it.start:it.end]
		if maxItem > 0 && len(text) > maxItem {
			return nil, true, &Error{File: name, Line: it.line, Msg: fmt.Sprintf("object is %d bytes, more than the limit of %d", len(text), maxItem)}
		}
		if f := fast[i]; f.ok {
			if f.skipped != "" {
				skip(f.skipped, 1)
			} else {
				res.Objects = append(res.Objects, f.obj)
				res.Lines = append(res.Lines, it.line)
			}
			continue
		}
		part = append(append(append(part[:0], prefix...), text...), suffix...)
		got, err := DecodeWith(part, DecodeOptions{Name: name, Lenient: true, MaxDocumentBytes: len(part)})
		if err != nil {
			if len(data) <= wholeInputLimit {
				return nil, false, nil
			}
			return nil, true, inInput(err, it.line, first)
		}
		res.Objects = append(res.Objects, got.Objects...)
		for _, l := range got.Lines {
			res.Lines = append(res.Lines, l-first+it.line)
		}
		for k, n := range got.Skipped {
			skip(k, n)
		}
	}
	return res, true, nil
}
