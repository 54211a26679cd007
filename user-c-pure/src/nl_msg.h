/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/*
 * nl_msg: building and checking Netlink messages in memory, with no I/O, so that
 * every rule below can be unit-tested on crafted byte buffers (tests/nl_msg_test.c).
 *
 * All buffers handed to these functions must be 4-byte aligned (NLMSG_ALIGNTO):
 * Netlink headers and attributes are read in place, as the kernel lays them out.
 */
#ifndef NL_MSG_H
#define NL_MSG_H

#include <stddef.h>
#include <stdint.h>

#include <linux/netlink.h>

#include "gnl_foobar_xmpl.h"

/* Why a check failed: one line, for the user. */
struct nlm_error {
	char text[192];
};

/* ---- Building requests ---- */

/*
 * Starts a Generic Netlink request in @buf (@size bytes): a struct nlmsghdr and a
 * struct genlmsghdr. Returns the header, or NULL if @size is too small.
 */
struct nlmsghdr *nlm_put_genl_header(void *buf, size_t size, uint16_t type,
				     uint16_t flags, uint32_t seq, uint8_t cmd,
				     uint8_t version);

/*
 * Appends attribute @type with @len bytes of @data, zero-padded to NLA_ALIGNTO,
 * to the message at @nlh, which lives in a buffer of @size bytes. Returns 0, or
 * -1 (message unchanged) if it does not fit.
 */
int nlm_put_attr(struct nlmsghdr *nlh, size_t size, uint16_t type,
		 const void *data, size_t len);
/* The same for a NUL-terminated string (the NUL is sent) and for a u32. */
int nlm_put_strz(struct nlmsghdr *nlh, size_t size, uint16_t type, const char *str);
int nlm_put_u32(struct nlmsghdr *nlh, size_t size, uint16_t type, uint32_t value);

/* ---- Walking the messages of one received datagram ---- */

struct nlm_walk {
	const unsigned char *pos;
	size_t left;
};

void nlm_walk_init(struct nlm_walk *walk, const void *buf, size_t len);

/*
 * Returns 1 and points @nlh at the next message, whose whole nlmsg_len is
 * inside the buffer; 0 at the end of the buffer; -1 if the rest of the buffer
 * is not a well-formed message.
 */
int nlm_walk_next(struct nlm_walk *walk, const struct nlmsghdr **nlh,
		  struct nlm_error *err);

/* ---- Attributes: table-driven validation ---- */

enum nlm_attr_kind {
	NLM_ATTR_UNEXPECTED = 0,	/* listed in no message of this kind: reject */
	NLM_ATTR_U16,
	NLM_ATTR_U32,
	NLM_ATTR_STRING,		/* NUL-terminated, at most max_len bytes with the NUL */
	NLM_ATTR_BINARY,		/* at most max_len bytes (0: any length) */
	NLM_ATTR_NESTED,		/* a stream of attributes: empty or >= one header */
};

struct nlm_attr_policy {
	enum nlm_attr_kind kind;
	uint16_t max_len;
	const char *name;
};

/*
 * Checks the attribute stream @data (@len bytes) against @policy, which has
 * @max_type + 1 entries, and fills @tb (same size) with the attribute of each
 * type, or NULL. Types above @max_type are skipped: newer kernels may send
 * attributes that this program does not know. Returns 0 or -1.
 */
int nlm_parse_attrs(const void *data, size_t len,
		    const struct nlm_attr_policy *policy, uint16_t max_type,
		    const struct nlattr **tb, struct nlm_error *err);

/*
 * Checks that @nlh's payload starts with a struct genlmsghdr, stores its
 * command in @cmd and parses the attributes after it as nlm_parse_attrs().
 */
int nlm_parse_genl(const struct nlmsghdr *nlh, uint8_t *cmd,
		   const struct nlm_attr_policy *policy, uint16_t max_type,
		   const struct nlattr **tb, struct nlm_error *err);

/* Readers for attributes that passed validation. */
uint16_t nlm_attr_get_u16(const struct nlattr *attr);
uint32_t nlm_attr_get_u32(const struct nlattr *attr);
const char *nlm_attr_get_str(const struct nlattr *attr);

/*
 * The type of the attribute that covers byte @offset of request @req (counted
 * from its nlmsghdr, as NLMSGERR_ATTR_OFFS is), where the attributes start
 * @hdrlen bytes into the payload; -1 if no top-level attribute covers it.
 */
int nlm_attr_type_at(const struct nlmsghdr *req, size_t hdrlen, uint32_t offset);

/* ---- Acknowledgements: NLMSG_ERROR and NLMSG_DONE ---- */

/* The status a request ended with, and the kernel's extended ACK, if any. */
struct nlm_ack {
	int error;			/* 0, or a positive errno */
	char msg[256];			/* NLMSGERR_ATTR_MSG, made printable; "" if none */
	int has_offs;
	uint32_t offs;			/* NLMSGERR_ATTR_OFFS: bad attribute's offset */
	int has_miss_type;
	uint32_t miss_type;		/* NLMSGERR_ATTR_MISS_TYPE: missing attribute */
	int has_miss_nest;
	uint32_t miss_nest;		/* NLMSGERR_ATTR_MISS_NEST: offset of its nest */
};

/* Parses an NLMSG_ERROR message (an error, or an ACK when error is 0). */
int nlm_parse_error_msg(const struct nlmsghdr *nlh, struct nlm_ack *ack,
			struct nlm_error *err);

/* Parses the NLMSG_DONE message that ends a dump: it carries an int status too. */
int nlm_parse_done_msg(const struct nlmsghdr *nlh, struct nlm_ack *ack,
		       struct nlm_error *err);

/* ---- The controller's description of a family (CTRL_CMD_GETFAMILY, its events) ---- */

/* What a controller message may carry, up to CTRL_ATTR_MCAST_GROUPS; its names too. */
#define NLM_CTRL_ATTR_MAX 7	/* CTRL_ATTR_MCAST_GROUPS */
extern const struct nlm_attr_policy nlm_ctrl_policy[NLM_CTRL_ATTR_MAX + 1];

struct nlm_ctrl_family {
	uint8_t cmd;			/* CTRL_CMD_NEWFAMILY, CTRL_CMD_DELFAMILY... */
	uint16_t id;			/* CTRL_ATTR_FAMILY_ID, or 0 if absent */
	const char *name;		/* CTRL_ATTR_FAMILY_NAME, or NULL if absent */
	const struct nlattr *mcast_groups;	/* CTRL_ATTR_MCAST_GROUPS, or NULL */
};

/*
 * Parses a message of the controller (nlctrl): a reply to CTRL_CMD_GETFAMILY or
 * an event of its "notify" group. Pointers in @fam point into @nlh.
 */
int nlm_parse_ctrl_family(const struct nlmsghdr *nlh, struct nlm_ctrl_family *fam,
			  struct nlm_error *err);

/*
 * Looks for multicast group @name in @groups (CTRL_ATTR_MCAST_GROUPS: a nest of
 * nests, each with CTRL_ATTR_MCAST_GRP_NAME and CTRL_ATTR_MCAST_GRP_ID).
 * Returns 1 with its id in @id, 0 if the family has no such group, -1 if the
 * table is malformed. Group ids are u32: they go above 32, where the 32-bit
 * bind() mask cannot name them.
 */
int nlm_find_mcast_group(const struct nlattr *groups, const char *name, uint32_t *id,
			 struct nlm_error *err);

/* ---- The family's config (GNL_FOOBAR_XMPL_CMD_CONFIG_GET reply, _CONFIG_NTF) ---- */

/*
 * Policy of a message carrying a config: both config attributes and no other
 * attribute of the family. Its names also name the attributes of a config-set
 * request that an extended ACK blames.
 */
extern const struct nlm_attr_policy nlm_config_policy[GNL_FOOBAR_XMPL_A_MAX + 1];

/*
 * A copy, not a pointer into the message: the ACK that ends a config-set
 * arrives after the echoed notification, in the same receive buffer.
 */
struct nlm_config {
	uint32_t dump_count;
	char dump_msg[GNL_FOOBAR_XMPL_MSG_MAX_LEN + 1];
};

/*
 * Checks that @nlh is a Generic Netlink message of command @cmd carrying both
 * GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT and _DUMP_MSG, and no other attribute of
 * the family, and fills @cfg. The message's type (family id) is the caller's
 * to check.
 */
int nlm_parse_config_msg(const struct nlmsghdr *nlh, uint8_t cmd, struct nlm_config *cfg,
			 struct nlm_error *err);

#endif /* NL_MSG_H */
