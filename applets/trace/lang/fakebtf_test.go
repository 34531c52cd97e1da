package lang

import (
	"fmt"

	"github.com/cilium/ebpf/btf"
)

// fakeTypes is a small kernel BTF for the corpus: a task_struct with a
// pointer to itself, a char array, an embedded struct, an anonymous
// union and a bitfield, at offsets unlike any real kernel's.
func fakeTypes() map[string]btf.Type {
	u8 := &btf.Int{Name: "unsigned char", Size: 1}
	char := &btf.Int{Name: "char", Size: 1, Encoding: btf.Char}
	s32 := &btf.Int{Name: "int", Size: 4, Encoding: btf.Signed}
	u32 := &btf.Int{Name: "unsigned int", Size: 4}
	u64 := &btf.Int{Name: "long long unsigned int", Size: 8}
	pidT := &btf.Typedef{Name: "pid_t", Type: s32}
	se := &btf.Struct{Name: "sched_entity", Size: 16, Members: []btf.Member{
		{Name: "load", Type: u64, Offset: 0}, {Name: "vruntime", Type: u64, Offset: 64},
	}}
	task := &btf.Struct{Name: "task_struct", Size: 128}
	task.Members = []btf.Member{
		{Name: "state", Type: &btf.Volatile{Type: u32}, Offset: 0},
		{Name: "sched_reset_on_fork", Type: u32, Offset: 35, BitfieldSize: 1},
		{Name: "pid", Type: pidT, Offset: 64},
		{Name: "tgid", Type: pidT, Offset: 96},
		{Name: "real_parent", Type: &btf.Pointer{Target: task}, Offset: 128},
		{Name: "comm", Type: &btf.Array{Type: char, Nelems: 16}, Offset: 192},
		{Name: "se", Type: se, Offset: 320},
		{Name: "", Type: &btf.Union{Size: 8, Members: []btf.Member{
			{Name: "utime", Type: u64}, {Name: "flags8", Type: u8},
		}}, Offset: 448},
		{Name: "files", Type: &btf.Pointer{Target: &btf.Struct{Name: "files_struct"}}, Offset: 512},
	}
	return map[string]btf.Type{"struct task_struct": task, "struct sched_entity": se}
}

func (f *fakeEnv) KernelType(name string) (btf.Type, error) {
	if t, ok := fakeTypes()[name]; ok {
		return t, nil
	}
	return nil, fmt.Errorf("unknown type %s: it is not in the kernel's BTF", name)
}

func (f *fakeEnv) KernelAddr(name string) (uint64, error) {
	if name == "vfs_read" {
		return 0xffffffff81400000, nil
	}
	return 0, fmt.Errorf("kaddr(%q): no such kernel symbol", name)
}
