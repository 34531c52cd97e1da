/* For each line on stdin, calls malloc (through a function of its own)
 * COUNT times, then writes "done": stackcount c:malloc must count them. */
#include <stdlib.h>
#include <unistd.h>

#define COUNT 7

__attribute__((noinline)) static void *pbx_allocate(size_t n) { return malloc(n); }

int main(void) {
	char c;
	void *keep[COUNT];

	write(1, "ready\n", 6); /* libc is mapped: stackcount -p can find it */
	while (read(0, &c, 1) == 1) {
		if (c != '\n')
			continue;
		for (int i = 0; i < COUNT; i++)
			keep[i] = pbx_allocate(16 + i);
		for (int i = 0; i < COUNT; i++)
			free(keep[i]);
		write(1, "done\n", 5);
	}
	return 0;
}
