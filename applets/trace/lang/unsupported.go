package lang

// notSupported are bpftrace functions trace refuses, with why: each is
// one error at the call's position, never a silent difference.
var notSupported = map[string]string{
	"path":      "path() is not supported yet: it needs bpf_d_path() on a BTF-typed struct path pointer in a kfunc/kretfunc probe, which trace's member reads (bpf_probe_read) do not give",
	"skboutput": "skboutput() is not supported yet: it needs bpf_skb_output() on a BTF-typed sk_buff in a kfunc/kretfunc probe and a pcap writer",
}
