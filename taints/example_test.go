package taints_test

import (
	"fmt"

	"github.com/daemonsim/daemonsim/taints"
)

func ExampleToleration_Tolerates() {
	taint := taints.Taint{Key: "dedicated", Value: "gpu", Effect: taints.NoSchedule}
	for _, tol := range []taints.Toleration{
		{Key: "dedicated", Operator: taints.OpEqual, Value: "gpu", Effect: taints.NoSchedule},
		{Key: "dedicated", Operator: taints.OpExists},
		{Key: "dedicated", Operator: taints.OpEqual, Value: "cpu"},
		{Key: "dedicated", Operator: taints.OpExists, Effect: taints.NoExecute},
		{Operator: taints.OpExists},
	} {
		fmt.Printf("%-30s %v\n", tol, tol.Tolerates(&taint))
	}
	// Output:
	// dedicated=gpu:NoSchedule       true
	// dedicated op=Exists            true
	// dedicated=cpu                  false
	// dedicated:NoExecute op=Exists  false
	// op=Exists                      true
}

func ExampleWithComparisonOperators() {
	taint := taints.Taint{Key: "example.com/sla", Value: "950", Effect: taints.NoSchedule}
	tol := taints.Toleration{Key: "example.com/sla", Operator: taints.OpGt, Value: "900"}
	fmt.Println(tol.Tolerates(&taint))
	fmt.Println(tol.Tolerates(&taint, taints.WithComparisonOperators()))
	// Output:
	// false
	// true
}

func ExampleParseTaint() {
	for _, s := range []string{"dedicated=gpu:NoSchedule", "node.kubernetes.io/unreachable:NoExecute", "dedicated", "gpu:Sometimes"} {
		taint, err := taints.ParseTaint(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("key=%s value=%q effect=%s\n", taint.Key, taint.Value, taint.Effect)
	}
	// Output:
	// key=dedicated value="gpu" effect=NoSchedule
	// key=node.kubernetes.io/unreachable value="" effect=NoExecute
	// taints: invalid taint spec "dedicated"
	// taints: invalid taint spec "gpu:Sometimes": invalid taint effect: Sometimes, unsupported taint effect
}

func ExampleParseTaintChange() {
	for _, s := range []string{"dedicated=gpu:NoSchedule", "dedicated:NoSchedule-", "dedicated-"} {
		taint, remove, err := taints.ParseTaintChange(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%-25s remove=%v %v\n", s, remove, taint)
	}
	// Output:
	// dedicated=gpu:NoSchedule  remove=false dedicated=gpu:NoSchedule
	// dedicated:NoSchedule-     remove=true dedicated:NoSchedule
	// dedicated-                remove=true dedicated
}

func ExampleAddDaemonTolerations() {
	seconds := int64(60)
	template := []taints.Toleration{
		{Key: "dedicated", Operator: taints.OpEqual, Value: "logging", Effect: taints.NoSchedule},
		{Key: taints.NodeNotReady, Operator: taints.OpExists, Effect: taints.NoExecute, TolerationSeconds: &seconds},
	}
	for _, tol := range taints.AddDaemonTolerations(template, true, false) {
		fmt.Println(tol)
	}
	// Output:
	// dedicated=logging:NoSchedule
	// node.kubernetes.io/not-ready:NoExecute op=Exists
	// node.kubernetes.io/unreachable:NoExecute op=Exists
	// node.kubernetes.io/disk-pressure:NoSchedule op=Exists
	// node.kubernetes.io/memory-pressure:NoSchedule op=Exists
	// node.kubernetes.io/pid-pressure:NoSchedule op=Exists
	// node.kubernetes.io/unschedulable:NoSchedule op=Exists
	// node.kubernetes.io/network-unavailable:NoSchedule op=Exists
}

func ExampleFindUntoleratedWithEffects() {
	nodeTaints := []taints.Taint{
		{Key: taints.NodeDiskPressure, Effect: taints.NoSchedule},
		{Key: "example.com/maintenance", Effect: taints.NoExecute},
	}
	tols := taints.AddDaemonTolerations(nil, false, false)
	daemonEffects := taints.EffectSetOf(taints.NoSchedule, taints.NoExecute)
	taint, found := taints.FindUntoleratedWithEffects(nodeTaints, tols, daemonEffects)
	fmt.Println(taint, found)
	// Output: example.com/maintenance:NoExecute true
}
