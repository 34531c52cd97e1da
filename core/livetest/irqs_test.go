package livetest

import (
	"maps"
	"testing"
)

func TestParseInterrupts(t *testing.T) {
	for _, c := range []struct {
		name, text string
		nameLen    int
		want       map[string]uint64
	}{
		{"x86", `            CPU0       CPU1
   0:         44          0   IO-APIC   2-edge      timer
  11:          0         30   IO-APIC  11-fasteoi   virtio0, uhci_hcd:usb1
  24:          1          2  PCI-MSIX-0000:00:04.0   0-edge      virtio1-config
 NMI:          0          0   Non-maskable interrupts
 LOC:       1234       5678   Local timer interrupts
`, 32, map[string]uint64{"timer": 44, "virtio0": 30, "uhci_hcd:usb1": 30, "virtio1-config": 3}},
		{"arm64", `           CPU0       
 11:       3177     GICv3  27 Level     arch_timer
 13:          4     GICv3  33 Level     uart-pl011
 14:          0     GICv3  23 Level     arm-pmu
 46:         12  ITS-MSI 16384 Edge      virtio0-config
IPI0:       100       Rescheduling interrupts
IPI1:        20       Function call interrupts
Err:          0
`, 32, map[string]uint64{"arch_timer": 3177, "uart-pl011": 4, "arm-pmu": 0, "virtio0-config": 12, "IPI": 120}},
		{"cut to the tool's name length", `            CPU0
  30:          7   PCI-MSI 512000-edge      ahci[0000:00:1f.2]
`, 8, map[string]uint64{"ahci[00": 7}},
	} {
		if got := parseInterrupts(c.text, c.nameLen); !maps.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
