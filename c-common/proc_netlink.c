// SPDX-License-Identifier: MIT OR GPL-2.0-only
/*
 * proc_netlink: a netlink socket's drop count from /proc/self/net/netlink (see
 * proc_netlink.h). The kernel prints one row per netlink socket of the reader's
 * network namespace (netlink_seq_show()); "Drops" is sk_drops, which
 * netlink_overrun() raises for every message that did not fit the receive queue.
 */
#include "proc_netlink.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The rows are about 100 bytes; a longer line is not the format this code knows. */
#define PROC_NETLINK_LINE_MAX 512

static const char *const blanks = " \t\n";

/* Returns the 0-based index of word @name in @line, or -1. */
static int word_index(const char *line, const char *name)
{
	size_t name_len = strlen(name);
	const char *pos = line;
	int index = 0;

	for (;;) {
		size_t len;

		pos += strspn(pos, blanks);
		if (*pos == '\0')
			return -1;
		len = strcspn(pos, blanks);
		if (len == name_len && !strncmp(pos, name, len))
			return index;
		pos += len;
		index++;
	}
}

int proc_netlink_parse_header(const char *header, struct proc_netlink_columns *cols)
{
	int drops = word_index(header, "Drops");
	int inode = word_index(header, "Inode");

	if (drops < 0 || inode < 0)
		return -1;
	cols->drops = (unsigned int)drops;
	cols->inode = (unsigned int)inode;
	return 0;
}

/* Reads word @index of @line as an unsigned decimal number. */
static int word_u64(const char *line, unsigned int index, uint64_t *value)
{
	const char *pos = line;
	unsigned long long v;
	unsigned int i;
	size_t len;
	char *end;

	for (i = 0;; i++) {
		pos += strspn(pos, blanks);
		if (*pos == '\0')
			return -1;
		len = strcspn(pos, blanks);
		if (i == index)
			break;
		pos += len;
	}
	if (*pos < '0' || *pos > '9')
		return -1;
	errno = 0;
	v = strtoull(pos, &end, 10);
	if (errno || end != pos + len)
		return -1;
	*value = v;
	return 0;
}

int proc_netlink_parse_row(const char *line, const struct proc_netlink_columns *cols,
			   uint64_t *inode, uint64_t *drops)
{
	if (word_u64(line, cols->inode, inode) || word_u64(line, cols->drops, drops))
		return -1;
	return 0;
}

/* Reads the rows of @f, its header already read, up to the one of @inode. */
static int find_row(FILE *f, const struct proc_netlink_columns *cols, uint64_t inode,
		    uint64_t *drops, char *err, size_t err_size)
{
	char line[PROC_NETLINK_LINE_MAX];

	while (fgets(line, sizeof(line), f)) {
		uint64_t row_inode, row_drops;

		if (!strchr(line, '\n') && !feof(f)) {
			snprintf(err, err_size, "/proc/self/net/netlink: a line longer than %d bytes",
				 PROC_NETLINK_LINE_MAX - 1);
			return -1;
		}
		if (proc_netlink_parse_row(line, cols, &row_inode, &row_drops)) {
			snprintf(err, err_size, "/proc/self/net/netlink: unreadable row '%.*s'",
				 (int)strcspn(line, "\n"), line);
			return -1;
		}
		if (row_inode == inode) {
			*drops = row_drops;
			return 0;
		}
	}
	if (ferror(f))
		snprintf(err, err_size, "reading /proc/self/net/netlink failed: %s", strerror(errno));
	else
		snprintf(err, err_size, "/proc/self/net/netlink has no row for socket inode %" PRIu64,
			 inode);
	return -1;
}

int proc_netlink_socket_drops(int fd, uint64_t *drops, char *err, size_t err_size)
{
	char header[PROC_NETLINK_LINE_MAX];
	struct proc_netlink_columns cols;
	struct stat st;
	FILE *f;
	int ret;

	if (fstat(fd, &st)) {
		snprintf(err, err_size, "fstat() of the socket failed: %s", strerror(errno));
		return -1;
	}
	/* "self": the table lists the sockets of the reader's network namespace. */
	f = fopen("/proc/self/net/netlink", "re");
	if (!f) {
		snprintf(err, err_size, "cannot open /proc/self/net/netlink: %s", strerror(errno));
		return -1;
	}
	if (!fgets(header, sizeof(header), f) || proc_netlink_parse_header(header, &cols)) {
		snprintf(err, err_size, "/proc/self/net/netlink has no Drops and Inode columns");
		ret = -1;
	} else {
		ret = find_row(f, &cols, (uint64_t)st.st_ino, drops, err, err_size);
	}
	fclose(f);
	return ret;
}
