/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/*
 * proc_netlink: how many messages the kernel dropped for one netlink socket, read
 * from the "Drops" column of /proc/self/net/netlink. A listener whose recvmsg()
 * fails with ENOBUFS learns there how many notifications it lost. Shared by
 * user-c-pure and user-c-libnl; the parsing is free of I/O for the unit tests.
 */
#ifndef PROC_NETLINK_H
#define PROC_NETLINK_H

#include <stddef.h>
#include <stdint.h>

/* Where the columns this code reads are, found by name in the header line. */
struct proc_netlink_columns {
	unsigned int drops;
	unsigned int inode;
};

/*
 * Finds the "Drops" and "Inode" columns in @header, the file's first line
 * ("sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode"). Returns 0, or -1 if
 * either is missing.
 */
int proc_netlink_parse_header(const char *header, struct proc_netlink_columns *cols);

/*
 * Reads the inode and drop count of the socket that row @line describes.
 * Returns 0, or -1 if the line lacks a column or holds no number there.
 */
int proc_netlink_parse_row(const char *line, const struct proc_netlink_columns *cols,
			   uint64_t *inode, uint64_t *drops);

/*
 * The drop count of netlink socket @fd: the row of /proc/self/net/netlink whose
 * inode is fstat(@fd)'s. Returns 0, or -1 with the reason in @err (@err_size
 * bytes).
 */
int proc_netlink_socket_drops(int fd, uint64_t *drops, char *err, size_t err_size);

#endif /* PROC_NETLINK_H */
