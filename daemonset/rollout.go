package daemonset

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/daemonsim/daemonsim/cluster"
)

// Revisions returns the ControllerRevisions controlled by ds, ordered by
// revision number (what `kubectl rollout history daemonset/NAME` lists).
func Revisions(v *cluster.View, ds *DaemonSet) []*ControllerRevision {
	var out []*ControllerRevision
	for o := range v.List(KindControllerRevision, ds.Namespace) {
		rev := o.(*ControllerRevision)
		if ref := rev.ControllerRef(); ref != nil && ref.UID == ds.UID {
			out = append(out, rev)
		}
	}
	slices.SortStableFunc(out, func(a, b *ControllerRevision) int { return cmp.Compare(a.Revision, b.Revision) })
	return out
}

// ErrNoRevisions is returned by [Rollback] in the legacy profile, whose
// Kubernetes (1.6) kept no ControllerRevisions.
var ErrNoRevisions = errors.New("daemonset: rollback needs ControllerRevisions, which the legacy profile (Kubernetes 1.6) does not have")

// Rollback rolls the DaemonSet named ref back to revision toRevision (0:
// the one before the current), as `kubectl rollout undo daemonset/NAME
// --to-revision=N` does: the revision's template replaces the DaemonSet's
// (an update by the user). The controller then finds that old revision
// current again and renumbers it; no revision is copied.
//
// It returns kubectl's message: "rolled back", or "skipped rollback
// (current template already matches revision N)".
func Rollback(c *cluster.Cluster, ref cluster.Ref, toRevision int64) (string, error) {
	if c.Config().Profile == cluster.Legacy {
		return "", ErrNoRevisions
	}
	if ref.Namespace == "" {
		ref.Namespace = "default"
	}
	ref.Kind = KindDaemonSet
	if toRevision < 0 {
		return "", revisionNotFound(toRevision)
	}
	o, ok := c.Get(ref)
	if !ok {
		return "", cluster.NewNotFound(DaemonSetType, ref.Name)
	}
	ds := o.(*DaemonSet)
	history := Revisions(c.View(), ds)
	if toRevision == 0 && len(history) <= 1 {
		return "", fmt.Errorf("no last revision to roll back to")
	}
	var to *ControllerRevision
	if toRevision == 0 {
		to = history[len(history)-2]
	} else {
		for _, h := range history {
			if h.Revision == toRevision {
				to = h
			}
		}
	}
	if to == nil {
		return "", revisionNotFound(toRevision)
	}
	if string(TemplatePatch(ds)) == string(to.Data) {
		// kubectl prints the --to-revision argument here, 0 included.
		return fmt.Sprintf("skipped rollback (current template already matches revision %d)", toRevision), nil
	}
	var patch struct {
		Spec struct {
			Template json.RawMessage `json:"template"`
		} `json:"spec"`
	}
	if err := json.Unmarshal(to.Data, &patch); err != nil {
		return "", fmt.Errorf("failed restoring revision %d: %v", to.Revision, err)
	}
	var tmpl map[string]any
	if err := json.Unmarshal(patch.Spec.Template, &tmpl); err != nil {
		return "", fmt.Errorf("failed restoring revision %d: %v", to.Revision, err)
	}
	delete(tmpl, "$patch")
	b, _ := json.Marshal(tmpl)
	nds := cluster.DeepCopy(ds).(*DaemonSet)
	nds.Spec.Template = cluster.PodTemplateSpec{}
	if err := json.Unmarshal(b, &nds.Spec.Template); err != nil {
		return "", fmt.Errorf("failed restoring revision %d: %v", to.Revision, err)
	}
	nds.ResourceVersion = ""
	if _, err := c.Update(nds); err != nil {
		return "", fmt.Errorf("failed restoring revision %d: %v", to.Revision, err)
	}
	return "rolled back", nil
}

func revisionNotFound(r int64) error {
	return fmt.Errorf("unable to find specified revision %v in history", r)
}

// RolloutStatus says whether the DaemonSet's rollout is done, in the
// words of `kubectl rollout status daemonset/NAME` (DaemonSetStatusViewer).
// It is an error for a DaemonSet whose strategy is not RollingUpdate.
func RolloutStatus(ds *DaemonSet) (message string, done bool, err error) {
	if ds.Spec.UpdateStrategy.Type != RollingUpdateStrategy {
		return "", true, fmt.Errorf("rollout status is only available for %s strategy type", RollingUpdateStrategy)
	}
	s := ds.Status
	if ds.Generation > s.ObservedGeneration {
		return "Waiting for daemon set spec update to be observed...", false, nil
	}
	if s.UpdatedNumberScheduled < s.DesiredNumberScheduled {
		return fmt.Sprintf("Waiting for daemon set %q rollout to finish: %d out of %d new pods have been updated...",
			ds.Name, s.UpdatedNumberScheduled, s.DesiredNumberScheduled), false, nil
	}
	if s.NumberAvailable < s.DesiredNumberScheduled {
		return fmt.Sprintf("Waiting for daemon set %q rollout to finish: %d of %d updated pods are available...",
			ds.Name, s.NumberAvailable, s.DesiredNumberScheduled), false, nil
	}
	return fmt.Sprintf("daemon set %q successfully rolled out", ds.Name), true, nil
}
