package probes

import "strings"

// kinds are the probe types in listing order, with bpftrace's aliases.
var kinds = []struct {
	name    string
	aliases []string
}{
	{"tracepoint", []string{"t"}},
	{"rawtracepoint", []string{"rt"}},
	{"kprobe", []string{"k"}},
	{"kretprobe", []string{"kr"}},
	{"fentry", []string{"f", "kfunc"}},
	{"fexit", []string{"fr", "kretfunc"}},
	{"uprobe", []string{"u"}},
	{"uretprobe", []string{"ur"}},
	{"usdt", []string{"U"}},
	{"software", []string{"s"}},
	{"hardware", []string{"h"}},
	{"watchpoint", []string{"w"}},
	{"interval", []string{"i"}},
	{"profile", []string{"p"}},
}

// CanonicalKind resolves an alias ("t", "kfunc") to its kind name.
func CanonicalKind(s string) (string, bool) {
	for _, k := range kinds {
		if k.name == s {
			return s, true
		}
		for _, a := range k.aliases {
			if a == s {
				return k.name, true
			}
		}
	}
	return "", false
}

// software and hardware perf events, as bpftrace names them.
var softwareEvents = []string{"alignment-faults", "bpf-output", "context-switches", "cpu-clock", "cpu-migrations", "dummy", "emulation-faults", "major-faults", "minor-faults", "page-faults", "task-clock"}
var hardwareEvents = []string{"backend-stalls", "branch-instructions", "branch-misses", "bus-cycles", "cache-misses", "cache-references", "cpu-cycles", "frontend-stalls", "instructions", "ref-cycles"}
var timerUnits = []string{"hz", "ms", "s", "us"}

// splitPattern turns a -l pattern into the kinds to search and the glob
// that full probe names must match. "tracepoint:sched:*" searches one
// kind; "t:sched:*" is the same through an alias; a pattern with no known
// kind prefix ("*sleep*") is matched against every kind's full names.
func splitPattern(pattern string) (kindNames []string, glob string) {
	if pattern == "" {
		pattern = "*"
	}
	first, rest, hasColon := strings.Cut(pattern, ":")
	if hasColon {
		if k, ok := CanonicalKind(first); ok {
			return []string{k}, k + ":" + rest
		}
		if HasWildcard(first) {
			for _, k := range kinds {
				if Match(first, k.name) {
					kindNames = append(kindNames, k.name)
				}
			}
			return kindNames, pattern
		}
	}
	for _, k := range kinds {
		kindNames = append(kindNames, k.name)
	}
	return kindNames, pattern
}
