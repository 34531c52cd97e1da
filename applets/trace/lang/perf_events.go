package lang

import (
	"strconv"

	"golang.org/x/sys/unix"
)

// software: and hardware: probes are perf events counted on every CPU,
// the program run every Nth event: software:page-faults:100.

// perfEvent is one software or hardware event bpftrace knows.
type perfEvent struct {
	name      string
	alias     string
	config    uint64
	byDefault uint64 // bpftrace's count when the probe gives none
}

var softwareEvents = []perfEvent{
	{"cpu-clock", "cpu", unix.PERF_COUNT_SW_CPU_CLOCK, 1000000},
	{"task-clock", "", unix.PERF_COUNT_SW_TASK_CLOCK, 1000000},
	{"page-faults", "faults", unix.PERF_COUNT_SW_PAGE_FAULTS, 100},
	{"context-switches", "cs", unix.PERF_COUNT_SW_CONTEXT_SWITCHES, 1000},
	{"cpu-migrations", "", unix.PERF_COUNT_SW_CPU_MIGRATIONS, 1},
	{"minor-faults", "", unix.PERF_COUNT_SW_PAGE_FAULTS_MIN, 100},
	{"major-faults", "", unix.PERF_COUNT_SW_PAGE_FAULTS_MAJ, 1},
	{"alignment-faults", "", unix.PERF_COUNT_SW_ALIGNMENT_FAULTS, 1},
	{"emulation-faults", "", unix.PERF_COUNT_SW_EMULATION_FAULTS, 1},
	{"dummy", "", unix.PERF_COUNT_SW_DUMMY, 1},
	{"bpf-output", "", unix.PERF_COUNT_SW_BPF_OUTPUT, 1},
}

var hardwareEvents = []perfEvent{
	{"cpu-cycles", "cycles", unix.PERF_COUNT_HW_CPU_CYCLES, 1000000},
	{"instructions", "", unix.PERF_COUNT_HW_INSTRUCTIONS, 1000000},
	{"cache-references", "", unix.PERF_COUNT_HW_CACHE_REFERENCES, 1000000},
	{"cache-misses", "", unix.PERF_COUNT_HW_CACHE_MISSES, 1000000},
	{"branch-instructions", "branches", unix.PERF_COUNT_HW_BRANCH_INSTRUCTIONS, 100000},
	{"branch-misses", "", unix.PERF_COUNT_HW_BRANCH_MISSES, 100000},
	{"bus-cycles", "", unix.PERF_COUNT_HW_BUS_CYCLES, 100000},
	{"frontend-stalls", "", unix.PERF_COUNT_HW_STALLED_CYCLES_FRONTEND, 1000000},
	{"backend-stalls", "", unix.PERF_COUNT_HW_STALLED_CYCLES_BACKEND, 1000000},
	{"ref-cycles", "", unix.PERF_COUNT_HW_REF_CPU_CYCLES, 1000000},
}

// resolvePerfEvent fills a software: or hardware: target from
// "EVENT[:COUNT]".
func resolvePerfEvent(t Target, parts []string, errf func(string, ...any) error) ([]Target, error) {
	if len(parts) < 1 || len(parts) > 2 || parts[0] == "" {
		return nil, errf("%s probes are %s:EVENT[:COUNT]", t.Kind, t.Kind)
	}
	table, typ := softwareEvents, uint32(unix.PERF_TYPE_SOFTWARE)
	if t.Kind == "hardware" {
		table, typ = hardwareEvents, unix.PERF_TYPE_HARDWARE
	}
	var ev *perfEvent
	for i := range table {
		if table[i].name == parts[0] || (table[i].alias != "" && table[i].alias == parts[0]) {
			ev = &table[i]
		}
	}
	if ev == nil {
		return nil, errf("%s:%s: no such %s event (trace -l '%s:*' lists them)", t.Kind, parts[0], t.Kind, t.Kind)
	}
	count := ev.byDefault
	if len(parts) == 2 {
		n, err := strconv.ParseUint(parts[1], 10, 64)
		if err != nil || n == 0 {
			return nil, errf("%s:%s: the count %q must be a positive integer", t.Kind, parts[0], parts[1])
		}
		count = n
	}
	t.PerfType, t.PerfConfig, t.PerfPeriod = typ, ev.config, count
	return []Target{t}, nil
}
