package exporter

import (
	"bytes"
	"net/http"
	"sync"
)

// sharedResponses lets scrapes that arrive while another scrape of the
// same format (Accept header) is being answered wait for it and get a
// copy of its answer: ten concurrent scrapers cost one read of the maps
// and one encoding rather than ten. The answer a scrape gets was begun no
// earlier than one scrape's duration before it arrived.
type sharedResponses struct {
	next     http.Handler
	mu       sync.Mutex
	inflight map[string]*response
}

type response struct {
	done   chan struct{}
	status int
	header http.Header
	body   bytes.Buffer
}

func (r *response) Header() http.Header         { return r.header }
func (r *response) Write(b []byte) (int, error) { return r.body.Write(b) }
func (r *response) WriteHeader(status int)      { r.status = status }

func share(next http.Handler) *sharedResponses {
	return &sharedResponses{next: next, inflight: map[string]*response{}}
}

func (s *sharedResponses) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	key := req.Header.Get("Accept")
	s.mu.Lock()
	r, follower := s.inflight[key]
	if !follower {
		r = &response{done: make(chan struct{}), status: http.StatusOK, header: http.Header{}}
		s.inflight[key] = r
	}
	s.mu.Unlock()
	if !follower {
		s.next.ServeHTTP(r, req)
		s.mu.Lock()
		delete(s.inflight, key)
		s.mu.Unlock()
		close(r.done)
	} else {
		select {
		case <-r.done:
		case <-req.Context().Done():
			return
		}
	}
	for k, v := range r.header {
		w.Header()[k] = v
	}
	w.WriteHeader(r.status)
	w.Write(r.body.Bytes())
}
