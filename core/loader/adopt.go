package loader

import "github.com/cilium/ebpf/link"

// Adopt gives o links the tool attached itself (uprobes on a library it
// found): Close and --max-cpu's detach close them with o's own.
func (o *Object) Adopt(ls ...link.Link) {
	o.detachMu.Lock()
	defer o.detachMu.Unlock()
	o.links = append(o.links, ls...)
}
