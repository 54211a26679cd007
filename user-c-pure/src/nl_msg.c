// SPDX-License-Identifier: MIT OR GPL-2.0-only
/*
 * nl_msg: Netlink message building and checking, free of I/O (see nl_msg.h).
 * Nothing here trusts a length read from a buffer before checking it against the
 * bytes that are really there.
 */
#include "nl_msg.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <linux/genetlink.h>

/* Largest errno the kernel returns (MAX_ERRNO in include/linux/err.h). */
#define NLM_MAX_ERRNO 4095

__attribute__((format(printf, 2, 3)))
static int nlm_fail(struct nlm_error *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err->text, sizeof(err->text), fmt, ap);
	va_end(ap);
	return -1;
}

struct nlmsghdr *nlm_put_genl_header(void *buf, size_t size, uint16_t type,
				     uint16_t flags, uint32_t seq, uint8_t cmd,
				     uint8_t version)
{
	struct nlmsghdr *nlh = buf;
	struct genlmsghdr *genl;

	if (size < NLMSG_LENGTH(GENL_HDRLEN))
		return NULL;

	memset(buf, 0, NLMSG_LENGTH(GENL_HDRLEN));
	nlh->nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq;
	/* nlmsg_pid stays 0: the kernel fills in the sender's port id itself. */
	genl = NLMSG_DATA(nlh);
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

int nlm_put_attr(struct nlmsghdr *nlh, size_t size, uint16_t type,
		 const void *data, size_t len)
{
	size_t start = NLMSG_ALIGN(nlh->nlmsg_len);
	struct nlattr *attr;

	/* nla_len is 16 bits wide, and the whole attribute must fit in @size. */
	if (len > UINT16_MAX - NLA_HDRLEN || start > size ||
	    NLA_ALIGN(NLA_HDRLEN + len) > size - start)
		return -1;

	attr = (struct nlattr *)((unsigned char *)nlh + start);
	attr->nla_type = type;
	attr->nla_len = NLA_HDRLEN + len;
	memcpy((unsigned char *)attr + NLA_HDRLEN, data, len);
	/* The kernel checks padding of nothing, but sending stack garbage is rude. */
	memset((unsigned char *)attr + NLA_HDRLEN + len, 0,
	       NLA_ALIGN(NLA_HDRLEN + len) - (NLA_HDRLEN + len));
	nlh->nlmsg_len = start + NLA_ALIGN(NLA_HDRLEN + len);
	return 0;
}

int nlm_put_strz(struct nlmsghdr *nlh, size_t size, uint16_t type, const char *str)
{
	return nlm_put_attr(nlh, size, type, str, strlen(str) + 1);
}

int nlm_put_u32(struct nlmsghdr *nlh, size_t size, uint16_t type, uint32_t value)
{
	return nlm_put_attr(nlh, size, type, &value, sizeof(value));
}

void nlm_walk_init(struct nlm_walk *walk, const void *buf, size_t len)
{
	walk->pos = buf;
	walk->left = len;
}

int nlm_walk_next(struct nlm_walk *walk, const struct nlmsghdr **nlh,
		  struct nlm_error *err)
{
	const struct nlmsghdr *hdr;
	size_t step;

	if (walk->left == 0)
		return 0;
	if (walk->left < NLMSG_HDRLEN)
		return nlm_fail(err, "malformed reply: %zu trailing bytes, too few for a message header",
				walk->left);

	hdr = (const struct nlmsghdr *)walk->pos;
	if (hdr->nlmsg_len < NLMSG_HDRLEN)
		return nlm_fail(err, "malformed reply: message length %u is shorter than its header",
				hdr->nlmsg_len);
	if (hdr->nlmsg_len > walk->left)
		return nlm_fail(err, "malformed reply: message length %u, but only %zu bytes received",
				hdr->nlmsg_len, walk->left);

	/* Messages start at NLMSG_ALIGNTO boundaries; the last may lack its padding. */
	step = NLMSG_ALIGN(hdr->nlmsg_len);
	if (step > walk->left)
		step = walk->left;
	walk->pos += step;
	walk->left -= step;
	*nlh = hdr;
	return 1;
}

static const char *nlm_attr_name(const struct nlm_attr_policy *pol, char *buf,
				 size_t size, uint16_t type)
{
	if (pol->name)
		return pol->name;
	snprintf(buf, size, "of type %u", type);
	return buf;
}

/* Checks one attribute's payload against its policy entry. */
static int nlm_validate_attr(const struct nlattr *attr, uint16_t type,
			     const struct nlm_attr_policy *pol, struct nlm_error *err)
{
	const unsigned char *payload = (const unsigned char *)attr + NLA_HDRLEN;
	size_t len = attr->nla_len - NLA_HDRLEN;
	char unnamed[24];
	const char *name = nlm_attr_name(pol, unnamed, sizeof(unnamed), type);

	switch (pol->kind) {
	case NLM_ATTR_UNEXPECTED:
		return nlm_fail(err, "malformed reply: unexpected attribute %s", name);
	case NLM_ATTR_U16:
		if (len != sizeof(uint16_t))
			break;
		return 0;
	case NLM_ATTR_U32:
		if (len != sizeof(uint32_t))
			break;
		return 0;
	case NLM_ATTR_STRING:
		if (len == 0 || payload[len - 1] != '\0')
			return nlm_fail(err, "malformed reply: attribute %s is not a NUL-terminated string",
					name);
		if (pol->max_len && len > pol->max_len)
			break;
		return 0;
	case NLM_ATTR_BINARY:
		if (pol->max_len && len > pol->max_len)
			break;
		return 0;
	case NLM_ATTR_NESTED:
		if (len != 0 && len < NLA_HDRLEN)
			break;
		return 0;
	}
	return nlm_fail(err, "malformed reply: attribute %s has a payload of %zu bytes",
			name, len);
}

int nlm_parse_attrs(const void *data, size_t len,
		    const struct nlm_attr_policy *policy, uint16_t max_type,
		    const struct nlattr **tb, struct nlm_error *err)
{
	const unsigned char *pos = data;
	size_t left = len;

	memset(tb, 0, (max_type + 1u) * sizeof(*tb));
	while (left > 0) {
		const struct nlattr *attr = (const struct nlattr *)pos;
		uint16_t type;
		size_t step;

		if (left < NLA_HDRLEN)
			return nlm_fail(err, "malformed reply: %zu stray bytes after the last attribute",
					left);
		if (attr->nla_len < NLA_HDRLEN)
			return nlm_fail(err, "malformed reply: attribute length %u is shorter than its header",
					attr->nla_len);
		if (attr->nla_len > left)
			return nlm_fail(err, "malformed reply: attribute length %u, but only %zu bytes left",
					attr->nla_len, left);

		/* The top bits are flags (NLA_F_NESTED, NLA_F_NET_BYTEORDER), not type. */
		type = attr->nla_type & NLA_TYPE_MASK;
		if (type <= max_type) {
			if (nlm_validate_attr(attr, type, &policy[type], err))
				return -1;
			tb[type] = attr;
		}

		step = NLA_ALIGN(attr->nla_len);
		if (step > left)
			step = left;
		pos += step;
		left -= step;
	}
	return 0;
}

int nlm_parse_genl(const struct nlmsghdr *nlh, uint8_t *cmd,
		   const struct nlm_attr_policy *policy, uint16_t max_type,
		   const struct nlattr **tb, struct nlm_error *err)
{
	const struct genlmsghdr *genl = NLMSG_DATA(nlh);
	size_t payload = nlh->nlmsg_len - NLMSG_HDRLEN;

	if (payload < GENL_HDRLEN)
		return nlm_fail(err, "malformed reply: %zu-byte payload has no Generic Netlink header",
				payload);
	*cmd = genl->cmd;
	return nlm_parse_attrs((const unsigned char *)genl + GENL_HDRLEN,
			       payload - GENL_HDRLEN, policy, max_type, tb, err);
}

uint16_t nlm_attr_get_u16(const struct nlattr *attr)
{
	uint16_t value;

	memcpy(&value, (const unsigned char *)attr + NLA_HDRLEN, sizeof(value));
	return value;
}

uint32_t nlm_attr_get_u32(const struct nlattr *attr)
{
	uint32_t value;

	memcpy(&value, (const unsigned char *)attr + NLA_HDRLEN, sizeof(value));
	return value;
}

const char *nlm_attr_get_str(const struct nlattr *attr)
{
	return (const char *)attr + NLA_HDRLEN;
}

int nlm_attr_type_at(const struct nlmsghdr *req, size_t hdrlen, uint32_t offset)
{
	size_t pos = NLMSG_HDRLEN + NLMSG_ALIGN(hdrlen);

	while (pos + NLA_HDRLEN <= req->nlmsg_len) {
		const struct nlattr *attr =
			(const struct nlattr *)((const unsigned char *)req + pos);

		if (attr->nla_len < NLA_HDRLEN)
			return -1;
		if (offset >= pos && offset < pos + attr->nla_len)
			return attr->nla_type & NLA_TYPE_MASK;
		pos += NLA_ALIGN(attr->nla_len);
	}
	return -1;
}

/* What the kernel may put in an extended ACK (enum nlmsgerr_attrs). */
static const struct nlm_attr_policy nlm_extack_policy[NLMSGERR_ATTR_MISS_NEST + 1] = {
	[NLMSGERR_ATTR_MSG]		= { NLM_ATTR_STRING, 0, "NLMSGERR_ATTR_MSG" },
	[NLMSGERR_ATTR_OFFS]		= { NLM_ATTR_U32, 0, "NLMSGERR_ATTR_OFFS" },
	[NLMSGERR_ATTR_COOKIE]		= { NLM_ATTR_BINARY, 0, "NLMSGERR_ATTR_COOKIE" },
	[NLMSGERR_ATTR_POLICY]		= { NLM_ATTR_NESTED, 0, "NLMSGERR_ATTR_POLICY" },
	[NLMSGERR_ATTR_MISS_TYPE]	= { NLM_ATTR_U32, 0, "NLMSGERR_ATTR_MISS_TYPE" },
	[NLMSGERR_ATTR_MISS_NEST]	= { NLM_ATTR_U32, 0, "NLMSGERR_ATTR_MISS_NEST" },
};

/* Copies a kernel string for display on one line: control characters become '?'. */
static void nlm_copy_printable(char *dst, size_t size, const char *src)
{
	size_t i;

	for (i = 0; i + 1 < size && src[i] != '\0'; i++)
		dst[i] = (unsigned char)src[i] < 0x20 || src[i] == 0x7f ? '?' : src[i];
	dst[i] = '\0';
}

/* Reads the extended-ACK attributes that start @tlv_off bytes into @nlh's payload. */
static int nlm_parse_extack(const struct nlmsghdr *nlh, size_t tlv_off,
			    struct nlm_ack *ack, struct nlm_error *err)
{
	const struct nlattr *tb[NLMSGERR_ATTR_MISS_NEST + 1];
	size_t payload = nlh->nlmsg_len - NLMSG_HDRLEN;

	/* Without NLM_F_ACK_TLVS, whatever follows the status is not TLVs. */
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return 0;
	if (tlv_off > payload)
		return nlm_fail(err, "malformed reply: extended ACK starts past the end of its message");
	if (nlm_parse_attrs((const unsigned char *)NLMSG_DATA(nlh) + tlv_off,
			    payload - tlv_off, nlm_extack_policy,
			    NLMSGERR_ATTR_MISS_NEST, tb, err))
		return -1;

	if (tb[NLMSGERR_ATTR_MSG])
		nlm_copy_printable(ack->msg, sizeof(ack->msg),
				   nlm_attr_get_str(tb[NLMSGERR_ATTR_MSG]));
	if (tb[NLMSGERR_ATTR_OFFS]) {
		ack->has_offs = 1;
		ack->offs = nlm_attr_get_u32(tb[NLMSGERR_ATTR_OFFS]);
	}
	if (tb[NLMSGERR_ATTR_MISS_TYPE]) {
		ack->has_miss_type = 1;
		ack->miss_type = nlm_attr_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
	}
	if (tb[NLMSGERR_ATTR_MISS_NEST]) {
		ack->has_miss_nest = 1;
		ack->miss_nest = nlm_attr_get_u32(tb[NLMSGERR_ATTR_MISS_NEST]);
	}
	return 0;
}

/* Checks the kernel's int status (0 or -errno) and stores it as a positive errno. */
static int nlm_set_status(struct nlm_ack *ack, int status, struct nlm_error *err)
{
	if (status > 0 || status < -NLM_MAX_ERRNO)
		return nlm_fail(err, "malformed reply: status %d is neither 0 nor an errno",
				status);
	ack->error = -status;
	return 0;
}

int nlm_parse_error_msg(const struct nlmsghdr *nlh, struct nlm_ack *ack,
			struct nlm_error *err)
{
	size_t payload = nlh->nlmsg_len - NLMSG_HDRLEN;
	struct nlmsgerr nlerr;
	size_t tlv_off;

	memset(ack, 0, sizeof(*ack));
	if (payload < sizeof(nlerr))
		return nlm_fail(err, "malformed reply: NLMSG_ERROR of %zu bytes, shorter than struct nlmsgerr",
				payload);
	memcpy(&nlerr, NLMSG_DATA(nlh), sizeof(nlerr));
	if (nlm_set_status(ack, nlerr.error, err))
		return -1;

	/*
	 * struct nlmsgerr ends with the header of the request. Unless the kernel
	 * set NLM_F_CAPPED (always for a success ACK, and for errors when the
	 * socket has NETLINK_CAP_ACK), the request's payload follows that header.
	 * Extended-ACK attributes come next, at the next NLMSG_ALIGNTO boundary.
	 */
	if (nlh->nlmsg_flags & NLM_F_CAPPED) {
		tlv_off = sizeof(nlerr);
	} else {
		if (nlerr.msg.nlmsg_len < NLMSG_HDRLEN ||
		    nlerr.msg.nlmsg_len > payload - sizeof(nlerr.error))
			return nlm_fail(err, "malformed reply: NLMSG_ERROR quotes a request of %u bytes, but %zu follow",
					nlerr.msg.nlmsg_len, payload - sizeof(nlerr.error));
		tlv_off = NLMSG_ALIGN(sizeof(nlerr.error) + nlerr.msg.nlmsg_len);
	}
	return nlm_parse_extack(nlh, tlv_off, ack, err);
}

int nlm_parse_done_msg(const struct nlmsghdr *nlh, struct nlm_ack *ack,
		       struct nlm_error *err)
{
	size_t payload = nlh->nlmsg_len - NLMSG_HDRLEN;
	int status;

	memset(ack, 0, sizeof(*ack));
	if (payload < sizeof(status))
		return nlm_fail(err, "malformed reply: NLMSG_DONE of %zu bytes carries no status",
				payload);
	memcpy(&status, NLMSG_DATA(nlh), sizeof(status));
	if (nlm_set_status(ack, status, err))
		return -1;
	/* A failed dump's status can come with an extended ACK, as in NLMSG_ERROR. */
	return nlm_parse_extack(nlh, NLMSG_ALIGN(sizeof(status)), ack, err);
}

/* ---- The controller's description of a family ---- */

const struct nlm_attr_policy nlm_ctrl_policy[NLM_CTRL_ATTR_MAX + 1] = {
	[CTRL_ATTR_FAMILY_ID]	  = { NLM_ATTR_U16, 0, "CTRL_ATTR_FAMILY_ID" },
	[CTRL_ATTR_FAMILY_NAME]	  = { NLM_ATTR_STRING, GENL_NAMSIZ, "CTRL_ATTR_FAMILY_NAME" },
	[CTRL_ATTR_VERSION]	  = { NLM_ATTR_U32, 0, "CTRL_ATTR_VERSION" },
	[CTRL_ATTR_HDRSIZE]	  = { NLM_ATTR_U32, 0, "CTRL_ATTR_HDRSIZE" },
	[CTRL_ATTR_MAXATTR]	  = { NLM_ATTR_U32, 0, "CTRL_ATTR_MAXATTR" },
	[CTRL_ATTR_OPS]		  = { NLM_ATTR_NESTED, 0, "CTRL_ATTR_OPS" },
	[CTRL_ATTR_MCAST_GROUPS]  = { NLM_ATTR_NESTED, 0, "CTRL_ATTR_MCAST_GROUPS" },
};
_Static_assert(CTRL_ATTR_MCAST_GROUPS == NLM_CTRL_ATTR_MAX, "NLM_CTRL_ATTR_MAX");

int nlm_parse_ctrl_family(const struct nlmsghdr *nlh, struct nlm_ctrl_family *fam,
			  struct nlm_error *err)
{
	const struct nlattr *tb[NLM_CTRL_ATTR_MAX + 1];

	if (nlm_parse_genl(nlh, &fam->cmd, nlm_ctrl_policy, NLM_CTRL_ATTR_MAX, tb, err))
		return -1;
	fam->id = tb[CTRL_ATTR_FAMILY_ID] ? nlm_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]) : 0;
	fam->name = tb[CTRL_ATTR_FAMILY_NAME] ? nlm_attr_get_str(tb[CTRL_ATTR_FAMILY_NAME]) : NULL;
	fam->mcast_groups = tb[CTRL_ATTR_MCAST_GROUPS];
	return 0;
}

/* One entry of CTRL_ATTR_MCAST_GROUPS (ctrl_fill_info() nests them, types 1, 2, ...). */
static const struct nlm_attr_policy nlm_mcast_grp_policy[CTRL_ATTR_MCAST_GRP_ID + 1] = {
	[CTRL_ATTR_MCAST_GRP_NAME] = { NLM_ATTR_STRING, GENL_NAMSIZ, "CTRL_ATTR_MCAST_GRP_NAME" },
	[CTRL_ATTR_MCAST_GRP_ID]   = { NLM_ATTR_U32, 0, "CTRL_ATTR_MCAST_GRP_ID" },
};

int nlm_find_mcast_group(const struct nlattr *groups, const char *name, uint32_t *id,
			 struct nlm_error *err)
{
	const unsigned char *pos = (const unsigned char *)groups + NLA_HDRLEN;
	size_t left = groups->nla_len - NLA_HDRLEN;
	int found = 0;

	while (left > 0) {
		const struct nlattr *tb[CTRL_ATTR_MCAST_GRP_ID + 1];
		const struct nlattr *entry = (const struct nlattr *)pos;
		size_t step;

		if (left < NLA_HDRLEN || entry->nla_len < NLA_HDRLEN || entry->nla_len > left)
			return nlm_fail(err, "malformed reply: CTRL_ATTR_MCAST_GROUPS holds a truncated entry");
		if (nlm_parse_attrs(pos + NLA_HDRLEN, entry->nla_len - NLA_HDRLEN,
				    nlm_mcast_grp_policy, CTRL_ATTR_MCAST_GRP_ID, tb, err))
			return -1;
		if (!tb[CTRL_ATTR_MCAST_GRP_NAME] || !tb[CTRL_ATTR_MCAST_GRP_ID])
			return nlm_fail(err, "malformed reply: a multicast group without its name or id");
		if (nlm_attr_get_u32(tb[CTRL_ATTR_MCAST_GRP_ID]) == 0)
			return nlm_fail(err, "malformed reply: multicast group id 0");
		if (!strcmp(nlm_attr_get_str(tb[CTRL_ATTR_MCAST_GRP_NAME]), name)) {
			if (found)
				return nlm_fail(err, "malformed reply: two multicast groups named '%s'",
						name);
			*id = nlm_attr_get_u32(tb[CTRL_ATTR_MCAST_GRP_ID]);
			found = 1;
		}

		step = NLA_ALIGN(entry->nla_len);
		if (step > left)
			step = left;
		pos += step;
		left -= step;
	}
	return found;
}

/* ---- The family's config ---- */

const struct nlm_attr_policy nlm_config_policy[GNL_FOOBAR_XMPL_A_MAX + 1] = {
	[GNL_FOOBAR_XMPL_A_MSG]			= { NLM_ATTR_UNEXPECTED, 0,
						    "GNL_FOOBAR_XMPL_A_MSG" },
	[GNL_FOOBAR_XMPL_A_DUMP_COUNT]		= { NLM_ATTR_UNEXPECTED, 0,
						    "GNL_FOOBAR_XMPL_A_DUMP_COUNT" },
	[GNL_FOOBAR_XMPL_A_DUMP_INDEX]		= { NLM_ATTR_UNEXPECTED, 0,
						    "GNL_FOOBAR_XMPL_A_DUMP_INDEX" },
	[GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT]	= { NLM_ATTR_U32, 0,
						    "GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT" },
	/* May be empty ("" and its NUL); at most GNL_FOOBAR_XMPL_MSG_MAX_LEN bytes before it. */
	[GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG]	= { NLM_ATTR_STRING,
						    GNL_FOOBAR_XMPL_MSG_MAX_LEN + 1,
						    "GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG" },
};

int nlm_parse_config_msg(const struct nlmsghdr *nlh, uint8_t cmd, struct nlm_config *cfg,
			 struct nlm_error *err)
{
	const struct nlattr *tb[GNL_FOOBAR_XMPL_A_MAX + 1];
	uint8_t got = 0;

	if (nlm_parse_genl(nlh, &got, nlm_config_policy, GNL_FOOBAR_XMPL_A_MAX, tb, err))
		return -1;
	if (got != cmd)
		return nlm_fail(err, "malformed reply: command %u, expected %u", got, cmd);
	if (!tb[GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT] || !tb[GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG])
		return nlm_fail(err, "malformed reply: a config without GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT or _DUMP_MSG");
	cfg->dump_count = nlm_attr_get_u32(tb[GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT]);
	/* The policy bounds it: NUL-terminated, at most sizeof(cfg->dump_msg) bytes. */
	memcpy(cfg->dump_msg, nlm_attr_get_str(tb[GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG]),
	       tb[GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG]->nla_len - NLA_HDRLEN);
	return 0;
}
