package cluster

import (
	"fmt"
	"time"
)

// Epoch is the instant at which every Cluster starts: midnight UTC
// 2000-01-01, the instant testing/synctest's fake clock starts at.
var Epoch = time.Date(2000, time.January, 1, 0, 0, 0, 0, time.UTC)

// Profile selects the Kubernetes behaviour simulated.
type Profile string

// The profiles.
const (
	// Modern is upstream Kubernetes v1.37 (apps/v1): the default.
	Modern Profile = "modern"
	// Legacy is the Kubernetes 1.6–1.9 behaviour the original DaemonSet
	// page describes: extensions/v1beta1, pods bound by the DaemonSet
	// controller itself, the node.alpha.kubernetes.io taint keys, a 40 s
	// node monitor grace period.
	Legacy Profile = "legacy"
)

// Valid reports whether p is a known profile ("" counts as Modern).
func (p Profile) Valid() bool { return p == "" || p == Modern || p == Legacy }

// Config configures a [Cluster]. The zero value is the modern profile with
// seed 0 and upstream's default durations.
type Config struct {
	// Profile is Modern (the default) or Legacy.
	Profile Profile
	// Seed drives generated names and UIDs and, with Shuffle, tie order.
	Seed uint64
	// Start is the instant the virtual clock starts at; zero means
	// [Epoch]. Set it after the timestamps of objects loaded from a real
	// cluster, so that pods created in the simulation are younger.
	Start time.Time
	// Shuffle breaks ties between work due at the same instant with the
	// seeded random stream instead of first-in first-out, to explore
	// orderings in property tests. Goldens never use it.
	Shuffle bool
	// MaxSettleSteps bounds the reconciles one Settle may run; 0 means
	// 100000 plus 20 per stored object, counted again whenever the bound
	// is reached, so that it grows with the objects the settle creates,
	// up to four times its value at the start.
	MaxSettleSteps int

	// NodeMonitorGracePeriod is how long a node may miss heartbeats before
	// its Ready condition becomes Unknown: 50s modern, 40s legacy.
	NodeMonitorGracePeriod time.Duration
	// DefaultNotReadyTolerationSeconds and DefaultUnreachableTolerationSeconds
	// are the tolerationSeconds the DefaultTolerationSeconds admission
	// plugin gives pods that lack not-ready/unreachable NoExecute
	// tolerations: 300.
	DefaultNotReadyTolerationSeconds    int64
	DefaultUnreachableTolerationSeconds int64
	// PodStartup is how long the kubelet stand-in takes to make a bound
	// pod Running and Ready; 0 means at once.
	PodStartup time.Duration
	// RetryBase and RetryMax bound the per-key exponential backoff after
	// a reconcile whose actions failed: 5ms doubling to 1000s, as
	// upstream's default controller rate limiter.
	RetryBase, RetryMax time.Duration
	// FailedPodBackoff and FailedPodBackoffMax bound the DaemonSet
	// controller's backoff for failed pods: 1s doubling to 15m.
	FailedPodBackoff, FailedPodBackoffMax time.Duration
	// BurstReplicas caps the pods a DaemonSet sync creates or deletes: 250.
	BurstReplicas int

	// Log says where records go.
	Log LogConfig
	// Intercept, when set, is called before every action is applied; an
	// error it returns fails the action (deterministic fault injection).
	Intercept func(actor string, a Action) error
	// CheckImmutable makes the cluster verify, after every reconcile,
	// that no stored object was modified in place (slow; for tests).
	CheckImmutable bool

	_ struct{} // forbid positional literals
}

// withDefaults fills zero fields with the profile's defaults.
func (cfg Config) withDefaults() (Config, error) {
	if !cfg.Profile.Valid() {
		return cfg, fmt.Errorf("cluster: unknown profile %q (want modern or legacy)", cfg.Profile)
	}
	if cfg.Profile == "" {
		cfg.Profile = Modern
	}
	if cfg.Start.IsZero() {
		cfg.Start = Epoch
	}
	cfg.Start = cfg.Start.UTC()
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	if cfg.Profile == Legacy {
		def(&cfg.NodeMonitorGracePeriod, 40*time.Second)
	} else {
		def(&cfg.NodeMonitorGracePeriod, 50*time.Second)
	}
	def(&cfg.RetryBase, 5*time.Millisecond)
	def(&cfg.RetryMax, 1000*time.Second)
	def(&cfg.FailedPodBackoff, time.Second)
	def(&cfg.FailedPodBackoffMax, 15*time.Minute)
	if cfg.DefaultNotReadyTolerationSeconds == 0 {
		cfg.DefaultNotReadyTolerationSeconds = 300
	}
	if cfg.DefaultUnreachableTolerationSeconds == 0 {
		cfg.DefaultUnreachableTolerationSeconds = 300
	}
	if cfg.BurstReplicas == 0 {
		cfg.BurstReplicas = 250
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{
		{"NodeMonitorGracePeriod", cfg.NodeMonitorGracePeriod},
		{"PodStartup", cfg.PodStartup},
		{"RetryBase", cfg.RetryBase},
		{"RetryMax", cfg.RetryMax},
		{"FailedPodBackoff", cfg.FailedPodBackoff},
		{"FailedPodBackoffMax", cfg.FailedPodBackoffMax},
	} {
		if d.v < 0 {
			return cfg, fmt.Errorf("cluster: config: negative duration %s %v", d.name, d.v)
		}
	}
	if cfg.BurstReplicas < 0 || cfg.MaxSettleSteps < 0 {
		return cfg, fmt.Errorf("cluster: config: negative BurstReplicas or MaxSettleSteps")
	}
	return cfg, nil
}
