/* fuzz.h: what every fuzz target shares.
 *
 * A target is one C file that defines LLVMFuzzerTestOneInput (and, when it
 * needs set-up, LLVMFuzzerInitialize).  The same file links either with
 * libFuzzer (-fsanitize=fuzzer; AFL++'s afl-clang-fast accepts the same
 * flag) or with replay.c, the driver `make check` uses to feed the seed
 * corpus and every kept regression input through the target without a
 * fuzzer.
 *
 * Targets check the invariants of the API they drive, not only "no
 * crash": a broken invariant aborts with BT_FUZZ_CHECK, which both
 * libFuzzer and the replay test report as a failure with the input. */
#ifndef BT_FUZZ_H
#define BT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);
int LLVMFuzzerInitialize (int *argc, char ***argv);

#define BT_FUZZ_CHECK(cond) do { \
	if (!(cond)) { \
		fprintf (stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond); \
		abort (); \
	} \
} while (0)

#endif
