package selector

import (
	"cmp"
	"slices"
	"strings"
)

// Selector is a compiled label selector: the AND of its requirements.
// It is a value type and immutable; the zero value is [Everything].
// Build one with [Parse], [SelectorFromSet], [LabelSelector.AsSelector] or
// [Selector.Add].
type Selector struct {
	reqs    []Requirement // sorted by key, stably
	nothing bool
}

// Everything returns the selector that matches every set of labels,
// including the empty one. It is the zero Selector.
func Everything() Selector { return Selector{} }

// Nothing returns the selector that matches no set of labels. It prints as
// "", like Everything, but is not [Selector.Empty].
func Nothing() Selector { return Selector{nothing: true} }

// SelectorFromSet returns the selector that requires every label of set
// (key=value, in [Equals] form). A nil or empty set gives [Everything].
// The set is not validated. Mirrors labels.SelectorFromSet.
func SelectorFromSet(set Set) Selector {
	if len(set) == 0 {
		return Everything()
	}
	reqs := make([]Requirement, 0, len(set))
	for k, v := range set {
		reqs = append(reqs, Requirement{key: k, op: Equals, values: []string{v}})
	}
	// The keys are distinct, so the order is total.
	slices.SortFunc(reqs, func(a, b Requirement) int { return cmp.Compare(a.key, b.key) })
	return Selector{reqs: reqs}
}

// Parse reads a selector string. Its grammar is
//
//	<selector-syntax>         ::= "" | <requirement> | <requirement> "," <selector-syntax>
//	<requirement>             ::= [!] KEY [ <set-based-restriction> | <exact-match-restriction> ]
//	<set-based-restriction>   ::= "" | <inclusion-exclusion> <value-set>
//	<inclusion-exclusion>     ::= <inclusion> | <exclusion>
//	<exclusion>               ::= "notin"
//	<inclusion>               ::= "in"
//	<value-set>               ::= "(" <values> ")"
//	<values>                  ::= VALUE | VALUE "," <values>
//	<exact-match-restriction> ::= ["=" | "==" | "!=" | ">" | "<"] VALUE
//
// KEY is a label key (see [IsQualifiedName]): an optional DNS-subdomain
// prefix and '/', then a name of at most 63 characters. VALUE is a label
// value (see [IsValidLabelValue]): zero to 63 characters of letters,
// digits, '-', '_' and '.'. Whitespace (' ', '\t', '\r', '\n') may
// surround every token. Example:
//
//	"x in (foo,,baz),y,z notin (),!w,n>3"
//
// Notes:
//
//  1. "k in (a,b)" requires the key k with one of the values; "k notin
//     (a,b)" requires that k is absent or has none of them.
//  2. The empty string is a valid VALUE: "k=" requires k with the value "",
//     and empty entries in a value set stand for it, so "k in (,)" and
//     "k in ()" both mean the single value "".
//  3. A bare KEY requires the key to exist; "!KEY" requires it not to.
//  4. "k>3" and "k<3" compare integers: the VALUE must be a decimal int64
//     that is also a valid label value ("k>-1" is invalid); labels whose
//     value is not an integer do not match.
//  5. "in" and "notin" are keywords only where an operator is expected:
//     "in in (in)" is valid.
//  6. Requirements are sorted by key (a stable sort, so requirements on
//     one key keep their order), and values are sorted and de-duplicated;
//     [Selector.String] prints the result.
//
// Errors keep upstream's wording, for example
//
//	unable to parse requirement: found ',', expected: identifier
//
// Mirrors labels.Parse in k8s.io/apimachinery.
func Parse(s string) (Selector, error) {
	reqs, err := newParser(s).parse()
	if err != nil {
		return Selector{}, err
	}
	return Selector{reqs: sortedByKey(reqs)}, nil
}

// sortedByKey sorts reqs by key, stably, in place.
func sortedByKey(reqs []Requirement) []Requirement {
	slices.SortStableFunc(reqs, func(a, b Requirement) int { return cmp.Compare(a.key, b.key) })
	return reqs
}

// Matches reports whether the labels satisfy every requirement (see
// [Requirement.Matches]). Everything matches all labels and Nothing none.
// A nil Labels has no labels. Matches does not allocate.
func (s Selector) Matches(l Labels) bool {
	if s.nothing {
		return false
	}
	if l == nil {
		l = Set(nil)
	}
	if set, ok := l.(Set); ok {
		for i := range s.reqs {
			if !s.reqs[i].matchesSet(set) {
				return false
			}
		}
		return true
	}
	for i := range s.reqs {
		if !s.reqs[i].matches(l) {
			return false
		}
	}
	return true
}

// Empty reports whether the selector restricts nothing: it is
// [Everything], or has no requirement. [Nothing] is not empty.
func (s Selector) Empty() bool { return !s.nothing && len(s.reqs) == 0 }

// String renders the selector in the canonical form upstream prints: its
// requirements, sorted by key, joined by ",". Everything and Nothing both
// print as "". Parsing the result gives the same selector, except that
// duplicate values (possible through [NewRequirement]) are merged.
func (s Selector) String() string {
	parts := make([]string, len(s.reqs))
	for i, r := range s.reqs {
		parts[i] = r.String()
	}
	return strings.Join(parts, ",")
}

// Requirements returns the selector's requirements, sorted by key. The
// slice is the caller's. Everything and Nothing have none.
func (s Selector) Requirements() []Requirement {
	return slices.Clone(s.reqs)
}

// Add returns a selector that also requires reqs; s is unchanged. The
// requirements are sorted by key, stably. Adding to Nothing gives Nothing.
func (s Selector) Add(reqs ...Requirement) Selector {
	if s.nothing {
		return s
	}
	all := make([]Requirement, 0, len(s.reqs)+len(reqs))
	all = append(append(all, s.reqs...), reqs...)
	return Selector{reqs: sortedByKey(all)}
}
