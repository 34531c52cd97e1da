/* test-program: pbx-stackargs -O1 */
/* trace's sargN test target: after a line on stdin, calls many() three
 * times with ten arguments, which x86-64 passes on the stack from the
 * seventh and arm64 from the ninth, then waits for the end of stdin. */
#include <stdio.h>

__attribute__((noinline)) long many(long a, long b, long c, long d, long e, long f, long g, long h,
				    long i, long j)
{
	return a + b + c + d + e + f + g + h + i + j;
}

int main(void)
{
	char line[16];
	long r = 0;

	if (!fgets(line, sizeof line, stdin))
		return 1;
	for (int n = 0; n < 3; n++)
		r += many(1, 2, 3, 4, 5, 6, 7, 8, 900 + n, 1000 + n);
	printf("%ld\n", r);
	fflush(stdout);
	while (fgets(line, sizeof line, stdin))
		;
	return 0;
}
