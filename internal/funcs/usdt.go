package funcs

import (
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/probes"
)

// usdtTargets: the USDT probes of path matching s (by name, or by
// provider:name), one target per site (a probe compiled in at several
// places has several). Shown as provider:name.
func usdtTargets(s Spec, path string) ([]Target, error) {
	sites, err := probes.USDTSites(path)
	if err != nil {
		return nil, applet.Usagef("%s: %v", s.Lib, err)
	}
	match := s.matcher()
	var out []Target
	for _, site := range sites {
		full := site.Provider + ":" + site.Name
		if match(site.Name) || match(full) {
			out = append(out, Target{Kind: User, Name: full, Path: path, Offset: site.Offset, SemOffset: site.SemOffset, Show: full})
		}
	}
	return out, nil
}
