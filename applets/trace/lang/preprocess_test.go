package lang

import (
	"strings"
	"testing"
)

func TestPreprocess(t *testing.T) {
	btf := PreprocessOptions{HaveBTF: true, IncludeDirs: []string{"testdata/include"}}
	tests := []struct {
		name string
		src  string
		opts PreprocessOptions
		want string // the text, or "error: " and the error's first line
	}{
		{"shebang", "#!/usr/bin/env bpftrace\nBEGIN {}", btf, "\nBEGIN {}"},
		{"shebang only on line 1", "BEGIN {}\n#!x", btf, "error: stdin:2:1-2: ERROR: unknown preprocessor directive #!x"},
		{"define", "#define N 3\n#define M (N + 1)\nBEGIN { @[M] = N; }", btf, "\n\nBEGIN { @[(3 + 1)] = 3; }"},
		{"not in strings, vars, maps or comments", "#define N 3\nBEGIN { printf(\"N\"); $N = @N; } // N\n/* N\nN */ N", btf,
			"\nBEGIN { printf(\"N\"); $N = @N; } // N\n/* N\nN */ 3"},
		{"self reference stops", "#define N N + 1\nN", btf, "\nN + 1"},
		{"undef", "#define N 3\n#undef N\nN", btf, "\n\nN"},
		{"have btf", "#ifndef BPFTRACE_HAVE_BTF\na\n#else\nb\n#endif", btf, "\n\n\nb\n"},
		{"no btf", "#ifdef BPFTRACE_HAVE_BTF\na\n#else\nb\n#endif", PreprocessOptions{}, "\n\n\nb\n"},
		{"nested", "#ifdef X\n#ifdef Y\na\n#endif\n#else\n#if 1\nb\n#endif\n#endif", btf, "\n\n\n\n\n\nb\n\n"},
		{"elif", "#define V 2\n#if V == 1\na\n#elif V == 2 && defined V\nb\n#elif 1\nc\n#else\nd\n#endif", btf, "\n\n\n\nb\n\n\n\n\n"},
		{"if arithmetic", "#if (1 << 4) - 16 || !defined(Z) && 7 % 4 == 3\nyes\n#endif", btf, "\nyes\n"},
		{"continuation", "#define LONG 1 + \\\n 2\nLONG", btf, "\n\n1 +   2"},
		{"kernel header from BTF", "#include <linux/sched.h>\n#include <net/sock.h>\nBEGIN {}", btf, "\n\nBEGIN {}"},
		{"libc constants", "#include <sys/socket.h>\nAF_INET AF_INET6", btf, "\n2 10"},
		{"local header", "#include \"pbx_defs.h\"\n#include <pbx_defs.h>\nPBX_LIMIT", btf, "\n\n42"},
		{"include flag", "PBX_LIMIT", PreprocessOptions{HaveBTF: true, Includes: []string{"testdata/include/pbx_defs.h"}}, "42"},
		{"kernel header without BTF", "#include <linux/sched.h>", PreprocessOptions{},
			"error: stdin:1:1-25: ERROR: #include <linux/sched.h>: kernel headers are read from the kernel's BTF, and this kernel has none (/sys/kernel/btf/vmlinux; CONFIG_DEBUG_INFO_BTF)"},
		{"missing header", "#include \"nope.h\"", btf, "error: stdin:1:1-18: ERROR: #include \"nope.h\": not found (searched: ., testdata/include, kernel BTF)"},
		{"function macro", "#define F(x) x", btf, "error: stdin:1:1-2: ERROR: #define F(...): macros with arguments are not supported; use a constant or a $variable"},
		{"unterminated if", "BEGIN {}\n#ifdef X\n", btf, "error: stdin:2:1-2: ERROR: #if without #endif"},
		{"stray endif", "#endif", btf, "error: stdin:1:1-2: ERROR: #endif without #if"},
		{"else twice", "#if 1\n#else\n#else\n#endif", btf, "error: stdin:3:1-2: ERROR: #else after #else"},
		{"error directive", "#if 1\n#error stop here\n#endif", btf, "error: stdin:2:1-2: ERROR: #error stop here"},
		{"bad if", "#if 1 +\n#endif", btf, "error: stdin:1:1-2: ERROR: #if: expression ends early"},
		{"division by zero", "#if 1 / 0\n#endif", btf, "error: stdin:1:1-2: ERROR: #if: division by zero"},
		{"unknown directive", "#frobnicate", btf, "error: stdin:1:1-2: ERROR: unknown preprocessor directive #frobnicate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pp, err := Preprocess("stdin", tt.src, tt.opts)
			var got string
			if err != nil {
				got = "error: " + strings.SplitN(err.Error(), "\n", 2)[0]
			} else {
				got = pp.Text
			}
			if got != tt.want {
				t.Errorf("got\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

// TestHeaderStructs: a header's struct definitions reach the program,
// laid out as C lays them out.
func TestHeaderStructs(t *testing.T) {
	pp, err := Preprocess("stdin", `#include "pbx_defs.h"`, PreprocessOptions{HaveBTF: true, IncludeDirs: []string{"testdata/include"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(pp.Structs) != 1 || pp.Structs[0].Name != "pbx_pair" || len(pp.Structs[0].Fields) != 3 {
		t.Fatalf("structs %+v", pp.Structs)
	}
	prog, err := Parse("stdin", "BEGIN { $p = (struct pbx_pair *)0; @a = $p->second; @b = $p->next->first; }")
	if err != nil {
		t.Fatal(err)
	}
	prog.Structs = pp.Structs
	if _, err := Compile(prog, newFakeEnv(), Options{Arch: "amd64"}); err != nil {
		t.Fatal(err)
	}
}

// FuzzPreprocess: no input panics the preprocessor, a failure is an
// *Error with a position, and the text it gives keeps its line count.
func FuzzPreprocess(f *testing.F) {
	addCorpusSeeds(f)
	for _, s := range []string{"#define A B\n#define B A\nA", "#if defined(A) || (1 ? 2 : 3)\n#elif\n#endif", "#include \"pbx_defs.h\"", "/*\n#if\n*/", "#define X \"a\nX"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		pp, err := Preprocess("stdin", src, PreprocessOptions{HaveBTF: true, IncludeDirs: []string{"testdata/include"}})
		checkError(t, err)
		if err == nil && strings.Count(pp.Text, "\n") != strings.Count(src, "\n") {
			t.Fatalf("%d lines in, %d out", strings.Count(src, "\n"), strings.Count(pp.Text, "\n"))
		}
	})
}
