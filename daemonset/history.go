package daemonset

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"maps"
	"slices"
	"strconv"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/selector"
)

// hashAlphabet is the alphabet of upstream's rand.SafeEncodeString.
const hashAlphabet = "bcdfghjklmnpqrstvwxz2456789"

// ComputeHash returns the revision hash of a pod template: FNV-32a over a
// deterministic serialisation of the template, followed, when
// collisionCount is set, by its value as 4 little-endian bytes and 4 zero
// bytes; the decimal digits of the sum are then mapped through upstream's
// safe alphabet, as controller.ComputeHash does. The serialisation is this
// module's JSON, not upstream's spew dump, so hashes differ from a real
// cluster's; they have the same inputs and shape.
func ComputeHash(t *cluster.PodTemplateSpec, collisionCount *int32) string {
	h := fnv.New32a()
	b, err := json.Marshal(t)
	if err != nil {
		panic("daemonset: internal error: hashing a template: " + err.Error())
	}
	h.Write(b)
	if collisionCount != nil {
		var buf [8]byte
		binary.LittleEndian.PutUint32(buf[:4], uint32(*collisionCount))
		h.Write(buf[:])
	}
	digits := strconv.FormatUint(uint64(h.Sum32()), 10)
	out := make([]byte, len(digits))
	for i := range digits {
		out[i] = hashAlphabet[int(digits[i])%len(hashAlphabet)]
	}
	return string(out)
}

// TemplatePatch returns what a ControllerRevision of ds stores: the
// DaemonSet reduced to its template, as a patch that replaces it,
// {"spec":{"template":{…,"$patch":"replace"}}} with sorted keys (upstream's
// getPatch). Two DaemonSets match a revision when their patches are equal.
func TemplatePatch(ds *DaemonSet) []byte {
	b, err := json.Marshal(ds.Spec.Template)
	if err != nil {
		panic("daemonset: internal error: marshalling a template: " + err.Error())
	}
	var tmpl map[string]any
	if err := json.Unmarshal(b, &tmpl); err != nil {
		panic("daemonset: internal error: " + err.Error())
	}
	tmpl["$patch"] = "replace"
	out, err := json.Marshal(map[string]any{"spec": map[string]any{"template": tmpl}})
	if err != nil {
		panic("daemonset: internal error: " + err.Error())
	}
	return out
}

// NewRevision returns the ControllerRevision of ds's current template with
// the given hash and revision number, as the controller's snapshot makes
// it: named "<ds>-<hash>", labelled with the template labels and the hash,
// annotated with the DaemonSet's annotations, controlled by ds.
func NewRevision(ds *DaemonSet, hash string, revision int64) *ControllerRevision {
	labels := make(map[string]string, len(ds.Spec.Template.Labels)+1)
	maps.Copy(labels, ds.Spec.Template.Labels)
	labels[RevisionHashLabel] = hash
	r := &ControllerRevision{
		TypeMeta: cluster.TypeMeta{APIVersion: "apps/v1", Kind: "ControllerRevision"},
		Data:     TemplatePatch(ds),
		Revision: revision,
	}
	r.Name = ds.Name + "-" + hash
	r.Namespace = ds.Namespace
	r.Labels = labels
	r.Annotations = ds.Annotations
	r.OwnerReferences = []cluster.OwnerReference{cluster.NewControllerRef(ds)}
	return r
}

// currentHash returns, without changing anything, the hash the next sync
// of ds will use: that of a revision of ds matching its template, else the
// computed hash. It is "" in the legacy profile, which has no revisions.
func currentHash(v *cluster.View, ds *DaemonSet, p cluster.Profile) string {
	if p == cluster.Legacy {
		return ""
	}
	patch := TemplatePatch(ds)
	best, bestRev := "", int64(-1)
	for o := range v.List(KindControllerRevision, ds.Namespace) {
		rev := o.(*ControllerRevision)
		ref := rev.ControllerRef()
		if ref != nil && ref.UID != ds.UID {
			continue
		}
		if !bytes.Equal(rev.Data, patch) {
			continue
		}
		if rev.Revision >= bestRev {
			best, bestRev = rev.Labels[RevisionHashLabel], rev.Revision
			if best == "" {
				best = rev.Name
			}
		}
	}
	if best != "" {
		return best
	}
	return ComputeHash(&ds.Spec.Template, ds.Status.CollisionCount)
}

// history is the outcome of constructHistory.
type history struct {
	hash    string
	actions []cluster.Action
	old     []*ControllerRevision
	stop    bool // a hash collision: the sync ends after these actions
}

// constructHistory finds the DaemonSet's revisions (adopting and
// releasing as ClaimControllerRevisions does), labels unlabelled ones,
// and finds or creates the current one, deduplicating and renumbering it
// (upstream's constructHistory, dedupCurHistories and snapshot).
func (c *Controller) constructHistory(v *cluster.View, ds *DaemonSet, st *dsState) history {
	var h history
	ref := cluster.RefOf(ds)
	patch := st.patch
	var owned []*ControllerRevision
	for o := range v.List(KindControllerRevision, ds.Namespace) {
		rev := o.(*ControllerRevision)
		cref := rev.ControllerRef()
		matches := st.selOK && st.sel.Matches(selector.Set(rev.Labels))
		switch {
		case cref != nil && cref.UID != ds.UID:
			continue
		case cref != nil:
			if !matches {
				rel := rev.Clone().(*ControllerRevision)
				rel.OwnerReferences = slices.DeleteFunc(slices.Clone(rev.OwnerReferences), func(r cluster.OwnerReference) bool { return r.UID == ds.UID })
				rel.ResourceVersion = ""
				h.actions = append(h.actions, cluster.Update{Object: rel, Detail: "owner -DaemonSet/" + ds.Name})
				continue
			}
		default:
			if !matches || rev.Terminating() {
				continue
			}
			ad := rev.Clone().(*ControllerRevision)
			ad.OwnerReferences = append(slices.Clone(rev.OwnerReferences), cluster.NewControllerRef(ds))
			ad.ResourceVersion = ""
			h.actions = append(h.actions, cluster.Update{Object: ad, Detail: "owner +DaemonSet/" + ds.Name})
			rev = ad
		}
		if _, ok := rev.Labels[RevisionHashLabel]; !ok {
			lab := rev.Clone().(*ControllerRevision)
			lab.Labels = make(map[string]string, len(rev.Labels)+1)
			maps.Copy(lab.Labels, rev.Labels)
			lab.Labels[RevisionHashLabel] = rev.Name
			lab.ResourceVersion = ""
			h.actions = append(h.actions, cluster.Update{Object: lab, Detail: "labels +" + RevisionHashLabel + "=" + rev.Name})
			rev = lab
		}
		owned = append(owned, rev)
	}
	var cur []*ControllerRevision
	for _, rev := range owned {
		if bytes.Equal(rev.Data, patch) {
			cur = append(cur, rev)
		} else {
			h.old = append(h.old, rev)
		}
	}
	next := int64(1)
	for _, rev := range h.old {
		next = max(next, rev.Revision+1)
	}
	if len(cur) == 0 {
		hash := ComputeHash(&ds.Spec.Template, ds.Status.CollisionCount)
		name := ds.Name + "-" + hash
		if o, ok := v.Get(cluster.Ref{Kind: KindControllerRevision, Namespace: ds.Namespace, Name: name}); ok {
			existing := o.(*ControllerRevision)
			if bytes.Equal(existing.Data, patch) {
				h.hash = existing.Labels[RevisionHashLabel]
				return h
			}
			// A hash collision: bump collisionCount and try again.
			nds := ds.Clone().(*DaemonSet)
			n := int32(1)
			if ds.Status.CollisionCount != nil {
				n = *ds.Status.CollisionCount + 1
			}
			nds.Status.CollisionCount = &n
			nds.ResourceVersion = ""
			h.actions = append(h.actions,
				cluster.Note{Object: ref, Message: fmt.Sprintf("revision name %s is taken by another template: hash collision, collisionCount=%d", name, n)},
				cluster.UpdateStatus{Object: nds, Detail: "collisionCount=" + strconv.Itoa(int(n))})
			h.stop = true
			return h
		}
		h.actions = append(h.actions, cluster.Create{Object: NewRevision(ds, hash, next), Detail: "revision=" + strconv.FormatInt(next, 10)})
		h.hash = hash
		return h
	}
	keep := cur[0]
	for _, rev := range cur {
		if rev.Revision >= keep.Revision {
			keep = rev
		}
	}
	keepHash := keep.Labels[RevisionHashLabel]
	if len(cur) > 1 {
		// Upstream relabels every pod of the DaemonSet whose hash differs,
		// old pods included, before deleting the duplicates.
		for o := range v.Dependents(ds.UID, cluster.KindPod) {
			p := o.(*cluster.Pod)
			if !st.claimed(p) || p.Labels[RevisionHashLabel] == keepHash {
				continue
			}
			np := p.Clone().(*cluster.Pod)
			np.Labels = make(map[string]string, len(p.Labels)+1)
			maps.Copy(np.Labels, p.Labels)
			np.Labels[RevisionHashLabel] = keepHash
			np.ResourceVersion = ""
			h.actions = append(h.actions, cluster.Update{Object: np, Detail: "labels +" + RevisionHashLabel + "=" + keepHash})
		}
		for _, rev := range cur {
			if rev != keep {
				h.actions = append(h.actions, cluster.Delete{Object: cluster.RefOf(rev), Detail: "duplicate revision"})
			}
		}
	}
	if keep.Revision < next {
		rn := keep.Clone().(*ControllerRevision)
		rn.Revision = next
		rn.ResourceVersion = ""
		h.actions = append(h.actions, cluster.Update{Object: rn, Detail: "revision=" + strconv.FormatInt(next, 10)})
	}
	h.hash = keepHash
	return h
}

// cleanupHistory deletes the oldest revisions beyond revisionHistoryLimit
// that no pod of the DaemonSet (terminal ones included) uses.
func (c *Controller) cleanupHistory(v *cluster.View, ds *DaemonSet, st *dsState, old []*ControllerRevision) []cluster.Action {
	limit := 10
	if ds.Spec.RevisionHistoryLimit != nil {
		limit = int(*ds.Spec.RevisionHistoryLimit)
	}
	toKill := len(old) - limit
	if toKill <= 0 {
		return nil
	}
	live := map[string]bool{}
	for o := range v.Dependents(ds.UID, cluster.KindPod) {
		p := o.(*cluster.Pod)
		if st.claimed(p) {
			if h := p.Labels[RevisionHashLabel]; h != "" {
				live[h] = true
			}
		}
	}
	sorted := slices.Clone(old)
	slices.SortStableFunc(sorted, func(a, b *ControllerRevision) int { return cmp.Compare(a.Revision, b.Revision) })
	var acts []cluster.Action
	for _, rev := range sorted {
		if toKill <= 0 {
			break
		}
		if live[rev.Labels[RevisionHashLabel]] {
			continue
		}
		acts = append(acts, cluster.Delete{Object: cluster.RefOf(rev), Detail: "revisionHistoryLimit=" + strconv.Itoa(limit)})
		toKill--
	}
	return acts
}
