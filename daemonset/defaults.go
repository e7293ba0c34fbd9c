package daemonset

import (
	"maps"

	"github.com/daemonsim/daemonsim/cluster"
	"github.com/daemonsim/daemonsim/selector"
)

// API versions of DaemonSet manifests.
const (
	// APIVersion is the apiVersion of DaemonSets: apps/v1, served since
	// Kubernetes 1.9.
	APIVersion = "apps/v1"
	// APIVersionAppsV1beta2 is the apps/v1beta2 version (Kubernetes
	// 1.8–1.15), accepted in the legacy profile.
	APIVersionAppsV1beta2 = "apps/v1beta2"
	// APIVersionExtensionsV1beta1 is the extensions/v1beta1 version of the
	// original DaemonSet page (Kubernetes 1.2–1.15), accepted in the legacy
	// profile.
	APIVersionExtensionsV1beta1 = "extensions/v1beta1"
)

// Default values of the spec.
const (
	// DefaultRevisionHistoryLimit is the default spec.revisionHistoryLimit.
	DefaultRevisionHistoryLimit int32 = 10
	// DefaultMaxUnavailable is the default
	// spec.updateStrategy.rollingUpdate.maxUnavailable.
	DefaultMaxUnavailable int32 = 1
	// DefaultMaxSurge is the default
	// spec.updateStrategy.rollingUpdate.maxSurge.
	DefaultMaxSurge int32 = 0
)

// served reports whether the profile serves DaemonSets in apiVersion: the
// modern profile serves apps/v1 only, the legacy profile also apps/v1beta2
// and extensions/v1beta1. An empty apiVersion means apps/v1.
func served(apiVersion string, p cluster.Profile) bool {
	switch apiVersion {
	case "", APIVersion:
		return true
	case APIVersionAppsV1beta2, APIVersionExtensionsV1beta1:
		return p == cluster.Legacy
	}
	return false
}

// isExtensions reports whether the DaemonSet is an extensions/v1beta1 one
// served by the profile, whose defaults and update rules differ.
func (ds *DaemonSet) isExtensions(p cluster.Profile) bool {
	return ds.APIVersion == APIVersionExtensionsV1beta1 && p == cluster.Legacy
}

// Default applies the API server's defaults to ds (the hook of
// [cluster.Defaulter]), by the apiVersion of the manifest:
//
//   - apps/v1 (and apps/v1beta2 in the legacy profile) mirror
//     SetDefaults_DaemonSet of pkg/apis/apps/v1: updateStrategy.type
//     RollingUpdate; for RollingUpdate, rollingUpdate {} with maxUnavailable
//     1 and maxSurge 0 where unset; revisionHistoryLimit 10.
//   - extensions/v1beta1, in the legacy profile, mirrors the defaults of
//     the Kubernetes 1.6–1.9 page: when the template has labels, a missing
//     selector becomes matchLabels of the template labels, and empty object
//     labels become the template labels; updateStrategy.type OnDelete; for
//     RollingUpdate maxUnavailable 1 (there is no maxSurge before 1.21);
//     revisionHistoryLimit 10.
//     (The template generation starts at 1 in Prepare.)
//
// Both then apply the pod defaults to the template ([cluster.DefaultPodSpec]).
// An apiVersion the profile does not serve gets the apps/v1 defaults and is
// rejected by Validate. Default never writes into a slice, map or pointed-to
// struct that ds may share with another object: it replaces them.
func (ds *DaemonSet) Default(p cluster.Profile) {
	s := &ds.Spec
	if ds.isExtensions(p) {
		if labels := s.Template.Labels; labels != nil {
			if s.Selector == nil {
				s.Selector = &selector.LabelSelector{MatchLabels: maps.Clone(labels)}
			}
			if len(ds.Labels) == 0 {
				ds.Labels = maps.Clone(labels)
			}
		}
		if s.UpdateStrategy.Type == "" {
			s.UpdateStrategy.Type = OnDeleteStrategy
		}
	} else if s.UpdateStrategy.Type == "" {
		s.UpdateStrategy.Type = RollingUpdateStrategy
	}
	if s.UpdateStrategy.Type == RollingUpdateStrategy {
		ru := RollingUpdate{}
		if s.UpdateStrategy.RollingUpdate != nil {
			ru = *s.UpdateStrategy.RollingUpdate
		}
		if ru.MaxUnavailable == nil {
			v := cluster.FromInt(DefaultMaxUnavailable)
			ru.MaxUnavailable = &v
		}
		if ru.MaxSurge == nil && !ds.isExtensions(p) {
			// maxSurge arrived in 1.21, after extensions/v1beta1 was gone.
			v := cluster.FromInt(DefaultMaxSurge)
			ru.MaxSurge = &v
		}
		if s.UpdateStrategy.RollingUpdate == nil || *s.UpdateStrategy.RollingUpdate != ru {
			s.UpdateStrategy.RollingUpdate = &ru
		}
	}
	if s.RevisionHistoryLimit == nil {
		v := DefaultRevisionHistoryLimit
		s.RevisionHistoryLimit = &v
	}
	cluster.DefaultPodSpec(&s.Template.Spec)
}
