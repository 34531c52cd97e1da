package exporter

import (
	"encoding/json"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v2"
)

const examples = "../../packaging/exporter/"

// needExamples skips where the sources are not at hand: the kernel
// matrix's guests get the test binaries only.
func needExamples(t *testing.T) {
	if _, err := os.Stat(examples); err != nil {
		t.Skipf("no %s here: %v", examples, err)
	}
}

// TestShippedConfigs: the default config and the DaemonSet's ConfigMap
// are ones the exporter accepts, with every collector it has but the
// costly ones, each of which the config names in a comment.
func TestShippedConfigs(t *testing.T) {
	needExamples(t)
	opt, err := readConfig(examples + "exporter.yml")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	text, _ := os.ReadFile(examples + "exporter.yml")
	for _, k := range kinds() {
		if k.costly == "" {
			want = append(want, k.name)
		} else if !strings.Contains(string(text), "# "+k.name+" is left out here: "+k.costly) {
			t.Errorf("exporter.yml does not say why %s is left out", k.name)
		}
	}
	if !slices.Equal(opt.Collectors, want) {
		t.Errorf("exporter.yml collectors %v, want every one but the costly: %v", opt.Collectors, want)
	}
	b, err := os.ReadFile(examples + "kubernetes-daemonset.yaml")
	if err != nil {
		t.Fatal(err)
	}
	docs := strings.Split(string(b), "\n---\n")
	var cm struct {
		Data map[string]string `yaml:"data"`
	}
	if err := yaml.Unmarshal([]byte(docs[len(docs)-1]), &cm); err != nil {
		t.Fatal(err)
	}
	p := t.TempDir() + "/exporter.yml"
	os.WriteFile(p, []byte(cm.Data["exporter.yml"]), 0o600)
	if dsOpt, err := readConfig(p); err != nil {
		t.Errorf("the DaemonSet's config: %v", err)
	} else if !slices.Equal(dsOpt.Collectors, want) {
		t.Errorf("the DaemonSet's collectors %v, want %v", dsOpt.Collectors, want)
	}
}

// TestScrapeConfigExample: promtool accepts the Prometheus example.
func TestScrapeConfigExample(t *testing.T) {
	needExamples(t)
	bin, err := exec.LookPath("promtool")
	if err != nil {
		t.Skip("no promtool")
	}
	if out, err := exec.Command(bin, "check", "config", examples+"prometheus-scrape.yml").CombinedOutput(); err != nil {
		t.Errorf("promtool check config: %v\n%s", err, out)
	}
}

// TestDashboardMetrics: every metric the Grafana dashboard queries is one
// the exporter exports.
func TestDashboardMetrics(t *testing.T) {
	needExamples(t)
	b, err := os.ReadFile(examples + "grafana-dashboard.json")
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Panels []struct {
			Type    string
			Targets []struct{ Expr string }
		}
	}
	if err := json.Unmarshal(b, &dash); err != nil {
		t.Fatal(err)
	}
	exported := map[string]bool{}
	for _, d := range []string{"probebox_collector_up", "probebox_lost_events_total", "probebox_map_full_total", "probebox_bpf_run_seconds_total", "probebox_bpf_runs_total"} {
		exported[d] = true
	}
	for _, k := range kinds() {
		for _, m := range regexp.MustCompile(`probebox_\w+`).FindAllString(k.metrics, -1) {
			exported[m] = true
		}
	}
	name := regexp.MustCompile(`probebox_\w+`)
	heatmaps := 0
	for _, p := range dash.Panels {
		if p.Type == "heatmap" {
			heatmaps++
		}
		for _, tg := range p.Targets {
			for _, m := range name.FindAllString(tg.Expr, -1) {
				m = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(m, "_bucket"), "_count"), "_sum")
				if !exported[m] {
					t.Errorf("the dashboard queries %s, which the exporter does not export", m)
				}
			}
		}
	}
	if heatmaps < 2 {
		t.Errorf("%d heatmaps, want the block I/O and run queue latency ones", heatmaps)
	}
}
