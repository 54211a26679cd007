/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * gnl_foobar_xmpl: the Generic Netlink protocol of this project.
 *
 * The single source of truth for the family's name, version, commands and
 * attributes. The kernel module (kernel-mod/) and the C clients include this
 * file; the Rust client mirrors it, and a test fails if the two drift apart.
 * It only uses <linux/types.h>-level definitions, like a header under
 * include/uapi/linux/ in the kernel tree.
 *
 * Operations:
 *
 * GNL_FOOBAR_XMPL_CMD_ECHO_MSG (doit)
 *	Request: GNL_FOOBAR_XMPL_A_MSG (required).
 *	Reply:   one message, same command, same seq and portid as the request,
 *	         carrying the same GNL_FOOBAR_XMPL_A_MSG string (up to its first
 *	         NUL: the policy accepts bytes after it, the echo drops them).
 *
 * GNL_FOOBAR_XMPL_CMD_ECHO_MSG with NLM_F_DUMP (dumpit)
 *	Request: GNL_FOOBAR_XMPL_A_DUMP_COUNT (optional, default
 *	         GNL_FOOBAR_XMPL_DUMP_DEFAULT_COUNT) and GNL_FOOBAR_XMPL_A_MSG
 *	         (optional).
 *	Reply:   DUMP_COUNT messages flagged NLM_F_MULTI, each carrying
 *	         GNL_FOOBAR_XMPL_A_DUMP_INDEX (0, 1, ... DUMP_COUNT - 1, in order)
 *	         and GNL_FOOBAR_XMPL_A_MSG (the request's MSG, or
 *	         GNL_FOOBAR_XMPL_DUMP_DEFAULT_MSG when it had none), then
 *	         NLMSG_DONE.
 *
 * GNL_FOOBAR_XMPL_CMD_REPLY_WITH_NLMSG_ERR (doit)
 *	Request: GNL_FOOBAR_XMPL_A_MSG (optional).
 *	Reply:   always an NLMSG_ERROR with -EINVAL and an extended ACK message;
 *	         when MSG was sent, the ACK also points at it
 *	         (NLMSGERR_ATTR_OFFS).
 */
#ifndef _UAPI_LINUX_GNL_FOOBAR_XMPL_H
#define _UAPI_LINUX_GNL_FOOBAR_XMPL_H

#define GNL_FOOBAR_XMPL_FAMILY_NAME	"gnl_foobar_xmpl"
#define GNL_FOOBAR_XMPL_FAMILY_VERSION	1

/* Longest GNL_FOOBAR_XMPL_A_MSG string, in bytes, not counting its NUL. */
#define GNL_FOOBAR_XMPL_MSG_MAX_LEN	4096

/* Messages in a dump when the request carries no GNL_FOOBAR_XMPL_A_DUMP_COUNT. */
#define GNL_FOOBAR_XMPL_DUMP_DEFAULT_COUNT	3
/* Bounds of GNL_FOOBAR_XMPL_A_DUMP_COUNT, both inclusive. */
#define GNL_FOOBAR_XMPL_DUMP_MIN_COUNT	1
#define GNL_FOOBAR_XMPL_DUMP_MAX_COUNT	1000000

/* GNL_FOOBAR_XMPL_A_MSG of each dump message when the request had none. */
#define GNL_FOOBAR_XMPL_DUMP_DEFAULT_MSG	"Hello from the gnl_foobar_xmpl dump"

enum gnl_foobar_xmpl_cmd {
	GNL_FOOBAR_XMPL_CMD_UNSPEC,
	GNL_FOOBAR_XMPL_CMD_ECHO_MSG,			/* = 1 */
	GNL_FOOBAR_XMPL_CMD_REPLY_WITH_NLMSG_ERR,	/* = 2 */

	__GNL_FOOBAR_XMPL_CMD_MAX,
};

#define GNL_FOOBAR_XMPL_CMD_MAX	(__GNL_FOOBAR_XMPL_CMD_MAX - 1)

enum gnl_foobar_xmpl_attr {
	GNL_FOOBAR_XMPL_A_UNSPEC,
	/* NUL-terminated string, at most GNL_FOOBAR_XMPL_MSG_MAX_LEN bytes + NUL. */
	GNL_FOOBAR_XMPL_A_MSG,				/* = 1 */
	/* u32, dump request only: how many messages to dump. */
	GNL_FOOBAR_XMPL_A_DUMP_COUNT,			/* = 2 */
	/* u32, dump replies only: 0-based position of this message in the dump. */
	GNL_FOOBAR_XMPL_A_DUMP_INDEX,			/* = 3 */

	__GNL_FOOBAR_XMPL_A_MAX,
};

#define GNL_FOOBAR_XMPL_A_MAX	(__GNL_FOOBAR_XMPL_A_MAX - 1)

#endif /* _UAPI_LINUX_GNL_FOOBAR_XMPL_H */
