// Package lang reads the bpftrace language and compiles it to BPF
// instructions with github.com/cilium/ebpf/asm: no LLVM, no C compiler.
//
// It is a pipeline of passes, as bpftrace's is, each in its own files:
//
//   - preprocess (preprocess*.go): the shebang, #include (kernel headers
//     from BTF, others from -I/--include), #define, #if/#ifdef/#else;
//   - lex (lex.go) and parse (parse*.go, parse_decl.go for struct
//     definitions) into the AST of ast.go;
//   - positional parameters (params.go): $1..$N and $# become literals;
//   - struct layout (structs.go): the program's struct definitions as BTF;
//   - probe resolution (target.go, usdt.go) and semantic analysis
//     (gen_types.go: builtins, map and variable types);
//   - resource layout (compile.go: maps, printf records) and code
//     generation (gen_*.go, emit.go): one BPF program per probe target.
//
// The trace applet loads, attaches and prints the results the way
// bpftrace does.
package lang
