// Package lang reads the bpftrace language and compiles it to BPF
// instructions with github.com/cilium/ebpf/asm: no LLVM, no C compiler.
//
// parse.go turns text into the AST of ast.go; check.go resolves probes,
// builtins, map and variable types; codegen*.go emit one BPF program per
// probe; the runtime package loads, attaches and prints the results the
// way bpftrace does.
package lang
