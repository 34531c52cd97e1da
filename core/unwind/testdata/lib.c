/* A shared library for the table tests: a function with a large frame
 * (sub rsp) and one that saves rbp and rbx. */
#include <string.h>

int lib_frame(const char *s)
{
	char buf[512];
	strncpy(buf, s, sizeof(buf) - 1);
	buf[sizeof(buf) - 1] = 0;
	return (int)strlen(buf);
}

long lib_saves(long *v, long n)
{
	register long acc = 0;
	for (long i = 0; i < n; i++)
		acc += v[i] * (i + 1) + lib_frame((const char *)&v[i]);
	return acc;
}
