package exporter

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/prometheus/exporter-toolkit/web"

	"github.com/probebox/probebox/core/applet"
)

// server is the HTTP side: its listener is opened before any BPF is
// loaded, so a taken port or a bad web config fails at once.
type server struct {
	ln        net.Listener
	webConfig string
}

func newServer(listen, webConfig string) (*server, error) {
	// The toolkit would only read its config once serving; read it now,
	// so a config it cannot use stops the exporter before it starts.
	if err := web.Validate(webConfig); err != nil {
		return nil, applet.Usagef("--web.config.file %s: %s", webConfig, oneLine(err.Error()))
	}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return nil, fmt.Errorf("listening on %s: %v", listen, err)
	}
	return &server{ln: ln, webConfig: webConfig}, nil
}

func (s *server) addr() string { return s.ln.Addr().String() }

func (s *server) close() { s.ln.Close() }

// serve answers /metrics, / and /-/healthy until ctx ends (SIGTERM,
// SIGINT), then stops accepting and returns; the caller detaches.
func (s *server) serve(ctx context.Context, set *set) error {
	reg := prometheus.NewRegistry()
	reg.MustRegister(set,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	mux := http.NewServeMux()
	mux.Handle("/metrics", share(promhttp.HandlerFor(reg, promhttp.HandlerOpts{
		EnableOpenMetrics: true,
		// gzip was 60% of a scrape's CPU (profiled under 10 concurrent
		// scrapers) for a body of about 30 KB: not worth it on the
		// shared CPUs of the hosts this runs on.
		DisableCompression: true,
		ErrorHandling:      promhttp.ContinueOnError,
		Timeout:            10 * time.Second,
	})))
	mux.HandleFunc("/-/healthy", func(w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, "Healthy.\n")
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		indexPage.Execute(w, set.index())
	})
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	flags := &web.FlagConfig{
		WebListenAddresses: &[]string{s.addr()},
		WebSystemdSocket:   new(bool),
		WebConfigFile:      &s.webConfig,
	}
	done := make(chan error, 1)
	go func() { done <- web.Serve(s.ln, hs, flags, slog.New(slog.DiscardHandler)) }()
	select {
	case err := <-done:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return fmt.Errorf("serving: %v", err)
	case <-ctx.Done():
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hs.Shutdown(shut)
		return nil
	}
}

type indexRow struct {
	Name, Metrics, Hooks, Error string
}

func (s *set) index() []indexRow {
	var rows []indexRow
	for _, c := range s.collectors {
		r := indexRow{Name: c.kind.name, Metrics: c.kind.metrics, Hooks: c.hooks}
		c.mu.Lock()
		if c.err != nil {
			r.Error = oneLine(c.err.Error())
		}
		c.mu.Unlock()
		rows = append(rows, r)
	}
	return rows
}

var indexPage = template.Must(template.New("index").Parse(`<!DOCTYPE html>
<html><head><title>probebox exporter</title></head>
<body>
<h1>probebox exporter</h1>
<p><a href="/metrics">Metrics</a> · <a href="/-/healthy">Health</a></p>
<table border="1" cellpadding="4">
<tr><th>Collector</th><th>Metrics</th><th>Hooks</th></tr>
{{range .}}<tr><td>{{.Name}}</td><td>{{.Metrics}}</td><td>{{if .Error}}not collecting: {{.Error}}{{else}}{{.Hooks}}{{end}}</td></tr>
{{end}}</table>
</body></html>
`))
