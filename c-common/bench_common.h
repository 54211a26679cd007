/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/*
 * bench_common: the part of the C clients' "bench" mode that does not talk to the
 * kernel -- options, timing loop, statistics and the one output line -- shared by
 * user-c-pure and user-c-libnl so that both measure and print alike.
 */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <stdint.h>
#include <stdio.h>

/* Bounds of the options, the same in the three clients. */
#define BENCH_MAX_ITERATIONS 1000000u
#define BENCH_MAX_BATCH 1024u
/* The exit status of a usage error, as for the other operations. */
#define BENCH_EXIT_USAGE 2

/* set: config-sets back to back, the sender of the notification measurement. */
enum bench_mode { MODE_CYCLE, MODE_ECHO, MODE_DUMP, MODE_BATCH, MODE_SET };

struct bench_options {
	enum bench_mode mode;
	uint32_t iterations;
	uint32_t size;		/* echo payload bytes, without the NUL */
	uint32_t count;		/* messages per dump */
	uint32_t batch;		/* requests per datagram */
};

/*
 * A client's own flag (no value): returns 1 if @arg is one and records it in
 * @ctx, 0 if @arg is not a flag of the client.
 */
typedef int (*bench_client_flag_fn)(const char *arg, void *ctx);

/*
 * Parses "bench MODE [OPTIONS]" (@argv[0] is "bench") into @o, then allocates
 * @o->iterations samples into *@samples. Returns -1 to go on and run, else the
 * exit status to return at once: after --help, printed by @print_usage, after
 * a usage error or when out of memory (both reported on stderr after @prefix).
 * @client_flag (may be NULL) is asked first about each argument.
 */
int bench_prepare(int argc, char **argv, const char *prefix, struct bench_options *o,
		  bench_client_flag_fn client_flag, void *ctx, void (*print_usage)(FILE *out),
		  uint64_t **samples);

/* The usage lines from "mean_ns=..." to --batch, after the client's own first lines. */
void bench_print_common_usage(FILE *out);

/* The --size bytes sent: "0123456789012...", so that a cut-off shows; @buf holds size + 1. */
void bench_fill_payload(char *buf, uint32_t size);

/* bench_time()'s results besides 0. */
enum { BENCH_OP_FAILED = -1, BENCH_CLOCK_FAILED = -2 };

/*
 * Runs @op once untimed, then @iterations timed times, each sample into
 * @samples. Returns 0, BENCH_OP_FAILED when @op returned non-zero, or
 * BENCH_CLOCK_FAILED (errno set) when clock_gettime() failed.
 */
int bench_time(uint32_t iterations, uint64_t *samples, int (*op)(void *arg), void *arg);

/* Sorts the samples of @o->iterations operations and prints the "bench ..." line. */
void bench_print_summary(const char *client, const struct bench_options *o, uint64_t *samples);

#endif /* BENCH_COMMON_H */
