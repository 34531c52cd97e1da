/* Prints the run-time addresses of a static function (only in .symtab,
 * or in a debug file once stripped) and a shared library's function, then
 * waits for stdin to close, so the tests can name them from outside. */
#include <stdio.h>

int pbx_lib_function(int x);

__attribute__((noinline)) static int pbx_static_function(int x) { return x + 7; }

int main(void) {
	printf("%lu %lu\n", (unsigned long)&pbx_static_function, (unsigned long)&pbx_lib_function);
	fflush(stdout);
	char b[1];
	while (fread(b, 1, 1, stdin) == 1) {
	}
	return pbx_static_function(1) + pbx_lib_function(2) > 0 ? 0 : 1;
}
