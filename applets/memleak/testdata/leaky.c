/* test-program: pbxleaky -O1 -fno-omit-frame-pointer */
/* memleak's user-space live test target: says "ready" (libc is mapped),
 * and after a byte on stdin mallocs 50 x 4000 bytes from pbx_leaky without
 * freeing them and 100 more from pbx_tidy that it frees, says "done" and
 * waits for the end of stdin. */
#include <stdlib.h>
#include <unistd.h>

__attribute__((noinline)) void pbx_leaky(int n)
{
	for (int i = 0; i < n; i++) {
		volatile char *p = malloc(4000);
		p[0] = 1;
	}
}

__attribute__((noinline)) void pbx_tidy(int n)
{
	for (int i = 0; i < n; i++) {
		char *volatile p = malloc(4000);
		free(p);
	}
}

int main(void)
{
	char b[8];

	write(1, "ready\n", 6);
	if (read(0, b, 1) < 0)
		return 1;
	pbx_leaky(50);
	pbx_tidy(100);
	write(1, "done\n", 5);
	read(0, b, 1);
	return 0;
}
