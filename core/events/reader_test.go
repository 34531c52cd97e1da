package events

import (
	"os"
	"testing"
)

func TestDefaultPerCPUBytes(t *testing.T) {
	for _, tt := range []struct{ cpus, want int }{
		{0, 1 << 20}, {1, 1 << 20}, {2, 1 << 20}, {8, 1 << 20}, {9, 512 << 10}, {16, 512 << 10}, {32, 256 << 10}, {512, 256 << 10},
	} {
		if got := defaultPerCPUBytes(tt.cpus); got != tt.want {
			t.Errorf("%d CPUs: %d bytes, want %d", tt.cpus, got, tt.want)
		}
	}
}

func TestPerfWatermark(t *testing.T) {
	page := os.Getpagesize()
	if got := perfWatermark(256 << 10); got != 32<<10 {
		t.Errorf("256 KiB: watermark %d", got)
	}
	if got := perfWatermark(1); got != page/8 {
		t.Errorf("1 byte (one page): watermark %d, want %d", got, page/8)
	}
}
