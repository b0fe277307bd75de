/* pages.h: large buffers straight from the kernel, for the one-pass reader. On a virtual machine a
 * page fault costs more than parsing what a 4 KiB page holds (measured: 19 ms of a 26 ms run on 45
 * thousand rows), so how a buffer's pages come matters as much as its size. */
#ifndef DEFIDX_PAGES_H
#define DEFIDX_PAGES_H

#include <stddef.h>

/* bytes in 2 MiB pages where the kernel gives them for the asking (rounded up to 2 MiB; less than
 * that is a plain malloc), freed with free(): large buffers touched once each. NULL when out of
 * memory. */
void *dfx_alloc_huge(size_t bytes);

/* bytes of zeros, mapped from the kernel, whose pages cost nothing until touched: a table sized for
 * the most it may ever hold (100,000 tickers) of which a run touches what it uses. (calloc would do
 * the same the first time, but after a free of that size it takes the memory from the heap and
 * clears all of it, a fault on every page.) Freed with dfx_pages_free(p, bytes); NULL when out of
 * memory. */
void *dfx_pages_zeroed(size_t bytes);
void dfx_pages_free(void *p, size_t bytes);

#endif
