/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/*
 * bench: "user-c-libnl bench MODE [OPTIONS]", the benchmark mode (bench.c), and
 * the exchanges it times, which user_c_libnl.c provides. Options and output line
 * are the same in the three clients (measurements/run.sh parses them).
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdbool.h>
#include <stdint.h>

#include <netlink/netlink.h>

/* A socket with the family resolved, in one of the two libnl configurations. */
struct bench_client {
	struct nl_sock *sk;
	int family_id;
	bool libnl_defaults;	/* libnl's defaults, else --fast (no ACK, no peek) */
};

/*
 * The exchanges, as the command line runs them but printing nothing. Each one
 * reports its failure on stderr itself and returns -1; 0 on success.
 */
int bench_client_open(struct bench_client *bc);		/* socket + family id */
void bench_client_close(struct bench_client *bc);
int bench_client_echo(struct bench_client *bc, const char *msg);
int bench_client_dump(struct bench_client *bc, uint32_t count);
int bench_client_batch(struct bench_client *bc, const char *msg, uint32_t count);

/* Runs "bench" with @argv[0] == "bench". Returns the process's exit status. */
int bench_main(int argc, char **argv);

#endif /* BENCH_H */
