// Package selector implements Kubernetes label selection for the
// simulator: label key and value validation, selector strings, the
// LabelSelector of the API (a DaemonSet's spec.selector), and the node
// selection of a pod (its nodeSelector map and required node affinity).
//
// The API shapes ([LabelSelector], [NodeSelector]) are kept apart from the
// compiled matchers ([Selector], [RequiredNodeAffinity]), as upstream keeps
// metav1.LabelSelector apart from labels.Selector. Compile once, then match
// many label sets; matching does not allocate:
//
//	sel, err := ds.Spec.Selector.AsSelector()
//	…
//	if sel.Matches(selector.Set(pod.Labels)) { … }
//
// # Selector strings
//
// [Parse] reads the selector syntax of kubectl's -l flag and of
// labels.Parse:
//
//	<selector-syntax>         ::= "" | <requirement> | <requirement> "," <selector-syntax>
//	<requirement>             ::= [!] KEY [ <set-based-restriction> | <exact-match-restriction> ]
//	<set-based-restriction>   ::= "" | <inclusion-exclusion> <value-set>
//	<inclusion-exclusion>     ::= "in" | "notin"
//	<value-set>               ::= "(" <values> ")"
//	<values>                  ::= VALUE | VALUE "," <values>
//	<exact-match-restriction> ::= ["=" | "==" | "!=" | ">" | "<"] VALUE
//
// for example "tier in (agent,node),!legacy,disk=ssd". [Selector.String]
// prints the canonical form, which Parse reads back.
//
// # Determinism
//
// Everything here is a pure function of its inputs. Wherever a map becomes
// output it is walked in sorted key order: [ValidateLabels] reports keys in
// order, [LabelSelector.AsSelector] checks matchLabels in key order, and
// the requirements of a Selector are sorted by key with a stable sort.
// Upstream walks these maps in Go's random map order; the results are the
// same except for the order of errors, and for which error
// LabelSelector.AsSelector returns when several matchLabels are invalid.
//
// # Fidelity
//
// Matched byte for byte against upstream (k8s.io/apimachinery and
// k8s.io/component-helpers as of Kubernetes v1.37), and checked by the
// conformance vectors in testdata/conformance:
//
//   - [IsQualifiedName] and [IsValidLabelValue], with their messages (the
//     prefix of a key is a DNS-1123 subdomain of at most 253 bytes whose
//     labels have no length limit of their own);
//   - [Parse]: grammar, whitespace, the keywords "in" and "notin" usable as
//     keys and values, empty values, > and < with int64 values, error
//     messages, and the canonical [Selector.String];
//   - [LabelSelector.AsSelector] and [ValidateLabelSelector] (default
//     options: values are validated), with field paths and messages;
//   - [RequiredNodeAffinity.Match] (nodeaffinity.GetRequiredNodeAffinity
//     and its Match), including the lazy errors of terms that do not parse
//     and the matchFields rules; [ValidateNodeSelector] with core
//     validation's messages.
//
// Not implemented: field selectors as strings (fields.ParseSelector),
// matchFields keys other than metadata.name (they compare as ""),
// preferred node affinity, pod affinity, node-affinity operators or fields
// behind feature gates that are off by default, and the options of
// LabelSelectorValidationOptions. Selectors are values rather than an
// interface, and [Requirement.Values] returns a sorted slice rather than a
// set. Requirements are always sorted stably; upstream's sort is stable
// only up to 12 requirements, so beyond that the order of requirements on
// one key (and so the canonical string) may differ from upstream's.
// Matching never logs.
package selector
