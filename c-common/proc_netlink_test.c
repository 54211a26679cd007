// SPDX-License-Identifier: MIT OR GPL-2.0-only
/*
 * Unit tests of proc_netlink.c's parsing, on rows as the kernel prints them
 * (netlink_seq_show()) and on broken ones. Entry point: run_proc_netlink_tests(),
 * run by both C clients' unit tests.
 */
#include <stdio.h>
#include <string.h>

#include "proc_netlink.h"

int run_proc_netlink_tests(void);

static int passes, failures;

static void check(int ok, const char *what, int line)
{
	if (ok) {
		passes++;
		return;
	}
	failures++;
	printf("not ok - proc_netlink (line %d): %s\n", line, what);
}

#define CHECK(cond) check((cond), #cond, __LINE__)

/* What 6.1 prints: the header, then "%pK %-3d %-10u %08x %-8d %-8d %-5d %-8d %-8u %-8lu". */
static const char header[] =
	"sk               Eth Pid        Groups   Rmem     Wmem     Dump  Locks    Drops    Inode\n";
static const char row[] =
	"0000000000000000 16  4294967295 00000000 0        0        0     2        17       123456  \n";

static void test_header(void)
{
	struct proc_netlink_columns cols;

	CHECK(proc_netlink_parse_header(header, &cols) == 0);
	CHECK(cols.drops == 8 && cols.inode == 9);
	/* Columns found by name, wherever they are. */
	CHECK(proc_netlink_parse_header("Inode x Drops\n", &cols) == 0);
	CHECK(cols.inode == 0 && cols.drops == 2);
	CHECK(proc_netlink_parse_header("sk Eth Pid Groups Rmem Wmem Dump Locks Inode\n", &cols) ==
	      -1);
	CHECK(proc_netlink_parse_header("sk Eth Pid Groups Rmem Wmem Dump Locks Drops\n", &cols) ==
	      -1);
	/* A word that only starts like the name is not the column. */
	CHECK(proc_netlink_parse_header("Dropsx Inodes\n", &cols) == -1);
	CHECK(proc_netlink_parse_header("", &cols) == -1);
}

static void test_rows(void)
{
	struct proc_netlink_columns cols = { .drops = 8, .inode = 9 };
	uint64_t inode = 0, drops = 0;

	CHECK(proc_netlink_parse_row(row, &cols, &inode, &drops) == 0);
	CHECK(inode == 123456 && drops == 17);

	/* Inodes are unsigned long: a 64-bit value must not be cut. */
	CHECK(proc_netlink_parse_row("a b c d e f g h 4294967296 18446744073709551615", &cols,
				     &inode, &drops) == 0);
	CHECK(drops == 4294967296ULL && inode == 18446744073709551615ULL);

	/* A row cut short, a column that is not a number, overflow, a sign. */
	CHECK(proc_netlink_parse_row("a b c d e f g h 0\n", &cols, &inode, &drops) == -1);
	CHECK(proc_netlink_parse_row("a b c d e f g h 1x 2\n", &cols, &inode, &drops) == -1);
	CHECK(proc_netlink_parse_row("a b c d e f g h 1 18446744073709551616\n", &cols, &inode,
				     &drops) == -1);
	CHECK(proc_netlink_parse_row("a b c d e f g h -1 2\n", &cols, &inode, &drops) == -1);
	CHECK(proc_netlink_parse_row("a b c d e f g h 1 +2\n", &cols, &inode, &drops) == -1);
	CHECK(proc_netlink_parse_row("", &cols, &inode, &drops) == -1);
}

int run_proc_netlink_tests(void)
{
	passes = 0;
	failures = 0;
	test_header();
	test_rows();
	printf("proc_netlink checks: %d passed, %d failed\n", passes, failures);
	return failures;
}
