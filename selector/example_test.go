package selector_test

import (
	"fmt"

	"github.com/daemonsim/daemonsim/selector"
)

func ExampleParse() {
	sel, err := selector.Parse("tier in (node, agent),  !legacy,app=fluentd")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(sel)

	_, err = selector.Parse("app=fluentd,,tier")
	fmt.Println(err)
	// Output:
	// app=fluentd,!legacy,tier in (agent,node)
	// found ',', expected: identifier after ','
}

func ExampleSelector_Matches() {
	sel, _ := selector.Parse("disk=ssd,cpus>4")
	fmt.Println(sel.Matches(selector.Set{"disk": "ssd", "cpus": "8"}))
	fmt.Println(sel.Matches(selector.Set{"disk": "ssd", "cpus": "2"}))
	fmt.Println(sel.Matches(selector.Set{"disk": "ssd", "cpus": "many"}))
	// Output:
	// true
	// false
	// false
}

func ExampleLabelSelector_AsSelector() {
	ls := &selector.LabelSelector{
		MatchLabels: map[string]string{"app": "fluentd"},
		MatchExpressions: []selector.LabelSelectorRequirement{
			{Key: "tier", Operator: selector.LabelSelectorOpIn, Values: []string{"node", "agent"}},
		},
	}
	sel, err := ls.AsSelector()
	fmt.Println(sel, err)
	fmt.Println(sel.Matches(selector.Set{"app": "fluentd", "tier": "node"}))

	var none *selector.LabelSelector
	sel, _ = none.AsSelector()
	fmt.Println(sel.Matches(selector.Set{}))

	_, err = (&selector.LabelSelector{MatchExpressions: []selector.LabelSelectorRequirement{
		{Key: "cpus", Operator: "Gt", Values: []string{"4"}},
	}}).AsSelector()
	fmt.Println(err)
	// Output:
	// app=fluentd,tier in (agent,node) <nil>
	// true
	// false
	// "Gt" is not a valid pod selector operator
}

func ExampleRequiredNodeAffinity_Match() {
	a := selector.NewRequiredNodeAffinity(
		map[string]string{"kubernetes.io/os": "linux"},
		&selector.NodeSelector{NodeSelectorTerms: []selector.NodeSelectorTerm{
			{MatchExpressions: []selector.NodeSelectorRequirement{
				{Key: "disk", Operator: selector.NodeSelectorOpIn, Values: []string{"ssd"}},
			}},
			{MatchFields: []selector.NodeSelectorRequirement{
				{Key: selector.ObjectNameField, Operator: selector.NodeSelectorOpIn, Values: []string{"node-3"}},
			}},
		}},
	)
	nodes := []struct {
		name   string
		labels selector.Set
	}{
		{"node-1", selector.Set{"kubernetes.io/os": "linux", "disk": "ssd"}},
		{"node-2", selector.Set{"kubernetes.io/os": "linux", "disk": "hdd"}},
		{"node-3", selector.Set{"kubernetes.io/os": "linux"}},
		{"node-4", selector.Set{"disk": "ssd"}},
	}
	for _, n := range nodes {
		ok, err := a.Match(n.name, n.labels)
		fmt.Println(n.name, ok, err)
		for _, reason := range a.Explain(n.name, n.labels) {
			fmt.Println("  " + reason)
		}
	}
	// Output:
	// node-1 true <nil>
	// node-2 false <nil>
	//   node affinity: term 0: disk In [ssd]: label "disk" is "hdd"
	//   node affinity: term 1: metadata.name In [node-3]: node name is "node-2"
	// node-3 true <nil>
	// node-4 false <nil>
	//   nodeSelector: label "kubernetes.io/os" is missing, want "linux"
}
