package trace

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/perf"
	"golang.org/x/sys/unix"

	"github.com/probebox/probebox/applets/trace/lang"
)

// linktypeRaw is pcap's LINKTYPE_RAW: packets start at the IP header, as
// bpftrace writes skboutput()'s files (no link-layer header is assumed;
// an offset skips one where the probed function's data has it).
const linktypeRaw = 101

// skbCapture writes skboutput()'s records to their pcap files as they
// arrive from the perf event array bpf_skb_output() fills.
type skbCapture struct {
	rd    *perf.Reader
	files []*pcapFile
	// wallOffset turns bpf_ktime_get_ns() (CLOCK_MONOTONIC) into Unix
	// time for the records' timestamps.
	wallOffset int64
	lost       uint64
	stop       chan struct{}
	done       sync.WaitGroup
	stopped    sync.Once
	err        error
}

type pcapFile struct {
	f *os.File
	w *bufio.Writer
}

// startSkbCapture creates c's pcap files (each with its header, as
// bpftrace leaves one even when no packet came) and starts reading.
func startSkbCapture(c *lang.Compiled, m *ebpf.Map) (*skbCapture, error) {
	if len(c.SkbOutputs) == 0 {
		return nil, nil
	}
	s := &skbCapture{stop: make(chan struct{})}
	for _, path := range c.SkbOutputs {
		f, err := os.Create(path)
		if err != nil {
			s.closeFiles()
			return nil, fmt.Errorf("skboutput(): %w", err)
		}
		pf := &pcapFile{f: f, w: bufio.NewWriter(f)}
		s.files = append(s.files, pf)
		var hdr [24]byte
		binary.NativeEndian.PutUint32(hdr[0:], 0xa1b2c3d4) // microsecond timestamps
		binary.NativeEndian.PutUint16(hdr[4:], 2)
		binary.NativeEndian.PutUint16(hdr[6:], 4)
		binary.NativeEndian.PutUint32(hdr[16:], 65535) // snaplen
		binary.NativeEndian.PutUint32(hdr[20:], linktypeRaw)
		pf.w.Write(hdr[:])
	}
	rd, err := perf.NewReader(m, 64*os.Getpagesize())
	if err != nil {
		s.closeFiles()
		return nil, fmt.Errorf("skboutput(): %w", err)
	}
	s.rd = rd
	var mono unix.Timespec
	unix.ClockGettime(unix.CLOCK_MONOTONIC, &mono)
	s.wallOffset = time.Now().UnixNano() - mono.Nano()
	s.done.Add(1)
	go s.read()
	return s, nil
}

// read runs until Stop, then drains what the buffers still hold. Read's
// deadline is set here: the reader takes it only between reads.
func (s *skbCapture) read() {
	defer s.done.Done()
	var rec perf.Record
	stopping := false
	for {
		select {
		case <-s.stop:
			stopping = true
		default:
		}
		if stopping {
			s.rd.SetDeadline(time.Now())
		} else {
			s.rd.SetDeadline(time.Now().Add(100 * time.Millisecond))
		}
		err := s.rd.ReadInto(&rec)
		switch {
		case errors.Is(err, os.ErrDeadlineExceeded):
			if stopping {
				return
			}
			continue
		case err != nil:
			s.err = err
			return
		}
		s.lost += rec.LostSamples
		if len(rec.RawSample) > 0 {
			s.write(rec.RawSample)
		}
	}
}

// write appends one record: lang.SkbHeaderSize bytes of header (id,
// time, bytes copied, offset), then the packet's bytes.
func (s *skbCapture) write(raw []byte) {
	if len(raw) < lang.SkbHeaderSize {
		return
	}
	ne := binary.NativeEndian
	id, ts, copied, offset := ne.Uint64(raw), ne.Uint64(raw[8:]), ne.Uint64(raw[16:]), ne.Uint64(raw[24:])
	data := raw[lang.SkbHeaderSize:]
	if copied < uint64(len(data)) {
		data = data[:copied] // the perf record's padding
	}
	if id >= uint64(len(s.files)) || offset > uint64(len(data)) {
		return
	}
	data = data[offset:]
	wall := int64(ts) + s.wallOffset
	var hdr [16]byte
	ne.PutUint32(hdr[0:], uint32(wall/1e9))
	ne.PutUint32(hdr[4:], uint32(wall%1e9/1e3))
	ne.PutUint32(hdr[8:], uint32(len(data)))
	ne.PutUint32(hdr[12:], uint32(len(data)))
	w := s.files[id].w
	w.Write(hdr[:])
	w.Write(data)
}

// Stop drains the buffers, closes the files and reports packets the
// kernel could not deliver; only the first call does.
func (s *skbCapture) Stop(stderr io.Writer) (err error) {
	if s == nil {
		return nil
	}
	s.stopped.Do(func() { err = s.stopOnce(stderr) })
	return err
}

func (s *skbCapture) stopOnce(stderr io.Writer) error {
	close(s.stop)
	s.done.Wait()
	s.rd.Close()
	err := s.err
	if e := s.closeFiles(); err == nil {
		err = e
	}
	if s.lost > 0 {
		fmt.Fprintf(stderr, "trace: skboutput(): %d packets lost (the perf buffer was full)\n", s.lost)
	}
	if err != nil {
		return fmt.Errorf("skboutput(): %w", err)
	}
	return nil
}

func (s *skbCapture) closeFiles() error {
	var first error
	for _, pf := range s.files {
		if err := pf.w.Flush(); err != nil && first == nil {
			first = err
		}
		if err := pf.f.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}
