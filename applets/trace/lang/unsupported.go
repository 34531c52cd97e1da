package lang

// notSupported are bpftrace functions trace refuses, with why: each is
// one error at the call's position, never a silent difference.
var notSupported = map[string]string{
	"skboutput": "skboutput() is not supported yet: it needs bpf_skb_output() on a BTF-typed sk_buff in a kfunc/kretfunc probe and a pcap writer",
}
