/* A shared library function the symbol tests look up at its load address. */
__attribute__((noinline)) int pbx_lib_function(int x) { return x * 3 + 1; }
