/* kind.h: what every table of a kind (weightings, return types, output formats) shares: the one
 * look-up of a value by its name, and the list of the names for a message. Each table gives its
 * names through a function from the value to its name. */
#ifndef DEFIDX_KIND_H
#define DEFIDX_KIND_H

#include "internal.h"

/* The value v in [from, to) whose name(v) is text exactly; -1 when none is (or text is NULL).
 * The only place a kind's name is compared as text. */
int dfx_kind_parse(const char *text, const char *(*name)(int), int from, int to);

/* Writes the names of the values in [from, to) into buf as a list for a message, "ffmcap, mcap,
 * equal, price or fixed"; cut short to fit size. */
void dfx_kind_list(char *buf, size_t size, const char *(*name)(int), int from, int to);

#endif
