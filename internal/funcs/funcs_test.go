package funcs

import "testing"

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Spec
		bad  bool
	}{
		{in: "vfs_read", want: Spec{Kind: Kernel, Func: "vfs_read"}},
		{in: "k:vfs_*", want: Spec{Kind: Kernel, Func: "vfs_*"}},
		{in: "p::tcp_v4_connect", want: Spec{Kind: Kernel, Func: "tcp_v4_connect"}},
		{in: "t:sched:sched_*", want: Spec{Kind: Tracepoint, Group: "sched", Func: "sched_*"}},
		{in: "c:malloc", want: Spec{Kind: User, Lib: "c", Func: "malloc"}},
		{in: "p:c:malloc", want: Spec{Kind: User, Lib: "c", Func: "malloc"}},
		{in: "u:/bin/bash:readline", want: Spec{Kind: User, Lib: "/bin/bash", Func: "readline", USDT: true}},
		{in: "u:/usr/bin/python3:python:function__entry", want: Spec{Kind: User, Lib: "/usr/bin/python3", Func: "python:function__entry", USDT: true}},
		{in: "u::python:x", bad: true},
		{in: "/bin/bash:read*", want: Spec{Kind: User, Lib: "/bin/bash", Func: "read*"}},
		{in: "", bad: true},
		{in: "t:sched:", bad: true},
		{in: "t::x", bad: true},
		{in: "a:b:c:d", bad: true},
		{in: "x:y:z", bad: true},
		{in: "k:lib:f", bad: true},
	} {
		got, err := Parse(tc.in, false)
		if tc.bad {
			if err == nil {
				t.Errorf("%q parsed as %+v", tc.in, got)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%q: %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
	if _, err := Parse("t:sched:(", true); err == nil {
		t.Error("a bad regular expression parsed")
	}
}

func TestMatchAndRenames(t *testing.T) {
	if !(Spec{Func: "vfs_*"}).matcher()("vfs_read") || (Spec{Func: "vfs_read"}).matcher()("vfs_readv") {
		t.Error("glob")
	}
	if !(Spec{Func: "vfs_re", Regex: true}).matcher()("vfs_read") || (Spec{Func: "fs_re", Regex: true}).matcher()("vfs_read") {
		t.Error("regexp is anchored at the start, as bcc's")
	}
	for in, want := range map[string]string{"foo.isra.0": "foo", "foo.constprop.0": "foo", "foo.llvm.123": "foo", "foo": "foo"} {
		if baseName(in) != want {
			t.Errorf("baseName(%q) = %q", in, baseName(in))
		}
	}
}

// TestKernelRenames: a function only the compiler's renamed copy exists
// for is found under its real name; one that exists as itself is not
// doubled by its copies.
func TestKernelRenames(t *testing.T) {
	names := []string{"vfs_read", "vfs_read.cold", "do_thing.isra.0", "other.constprop.0", "other"}
	got := func(pat string) (out []string) {
		for _, tg := range matchKernel(Spec{Func: pat}, names) {
			out = append(out, tg.Name)
		}
		return out
	}
	if g := got("do_thing"); len(g) != 1 || g[0] != "do_thing.isra.0" {
		t.Errorf("do_thing: %v", g)
	}
	if g := got("vfs_read"); len(g) != 1 || g[0] != "vfs_read" {
		t.Errorf("vfs_read: %v", g)
	}
	if g := got("other"); len(g) != 1 || g[0] != "other" {
		t.Errorf("other: %v", g)
	}
}
