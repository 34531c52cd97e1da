package tcpdrop

import (
	"strings"

	"github.com/cilium/ebpf/btf"
)

func addReasons(names map[uint32]string, spec *btf.Spec) {
	var e *btf.Enum
	if err := spec.TypeByName("skb_drop_reason", &e); err != nil {
		return
	}
	for _, v := range e.Values {
		n := strings.TrimPrefix(v.Name, "SKB_DROP_REASON_")
		n = strings.TrimPrefix(n, "SKB_")
		names[uint32(v.Value)] = n
	}
}
