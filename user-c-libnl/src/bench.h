/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/*
 * bench: "user-c-libnl bench MODE [OPTIONS]", the benchmark mode. Its options and
 * its one output line are the same in the three clients (measurements/run.sh
 * parses them).
 */
#ifndef BENCH_H
#define BENCH_H

/* Runs "bench" with @argv[0] == "bench". Returns the process's exit status. */
int bench_main(int argc, char **argv);

#endif /* BENCH_H */
