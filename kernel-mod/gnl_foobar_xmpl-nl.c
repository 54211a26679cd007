// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	spec/gnl_foobar_xmpl.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "gnl_foobar_xmpl-nl.h"

#include <uapi/gnl_foobar_xmpl.h>
#include <gnl_foobar_xmpl_compat.h>

/* Integer value ranges */
static const struct netlink_range_validation gnl_foobar_xmpl_a_dump_count_range = {
	.min	= 1ULL,
	.max	= 1000000ULL,
};

static const struct netlink_range_validation gnl_foobar_xmpl_a_config_dump_count_range = {
	.min	= 1ULL,
	.max	= 1000000ULL,
};

/* GNL_FOOBAR_XMPL_CMD_ECHO_MSG - do */
static const struct nla_policy gnl_foobar_xmpl_echo_msg_do_nl_policy[GNL_FOOBAR_XMPL_A_MSG + 1] = {
	[GNL_FOOBAR_XMPL_A_MSG] = { .type = NLA_NUL_STRING, .len = GNL_FOOBAR_XMPL_MSG_MAX_LEN, },
};

/* GNL_FOOBAR_XMPL_CMD_ECHO_MSG - dump */
static const struct nla_policy gnl_foobar_xmpl_echo_msg_dump_nl_policy[GNL_FOOBAR_XMPL_A_DUMP_COUNT + 1] = {
	[GNL_FOOBAR_XMPL_A_MSG] = { .type = NLA_NUL_STRING, .len = GNL_FOOBAR_XMPL_MSG_MAX_LEN, },
	[GNL_FOOBAR_XMPL_A_DUMP_COUNT] = NLA_POLICY_FULL_RANGE(NLA_U32, &gnl_foobar_xmpl_a_dump_count_range),
};

/* GNL_FOOBAR_XMPL_CMD_REPLY_WITH_NLMSG_ERR - do */
static const struct nla_policy gnl_foobar_xmpl_reply_with_nlmsg_err_nl_policy[GNL_FOOBAR_XMPL_A_MSG + 1] = {
	[GNL_FOOBAR_XMPL_A_MSG] = { .type = NLA_NUL_STRING, .len = GNL_FOOBAR_XMPL_MSG_MAX_LEN, },
};

/* GNL_FOOBAR_XMPL_CMD_CONFIG_SET - do */
static const struct nla_policy gnl_foobar_xmpl_config_set_nl_policy[GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG + 1] = {
	[GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT] = NLA_POLICY_FULL_RANGE(NLA_U32, &gnl_foobar_xmpl_a_config_dump_count_range),
	[GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG] = { .type = NLA_NUL_STRING, .len = GNL_FOOBAR_XMPL_MSG_MAX_LEN, },
};

/* Ops table for gnl_foobar_xmpl */
const struct genl_split_ops gnl_foobar_xmpl_nl_ops[5] = {
	{
		.cmd		= GNL_FOOBAR_XMPL_CMD_ECHO_MSG,
		.doit		= gnl_foobar_xmpl_nl_echo_msg_doit,
		.policy		= gnl_foobar_xmpl_echo_msg_do_nl_policy,
		.maxattr	= GNL_FOOBAR_XMPL_A_MSG,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= GNL_FOOBAR_XMPL_CMD_ECHO_MSG,
		.start		= gnl_foobar_xmpl_nl_echo_msg_dump_start,
		.dumpit		= gnl_foobar_xmpl_nl_echo_msg_dumpit,
		.done		= gnl_foobar_xmpl_nl_echo_msg_dump_done,
		.policy		= gnl_foobar_xmpl_echo_msg_dump_nl_policy,
		.maxattr	= GNL_FOOBAR_XMPL_A_DUMP_COUNT,
		.flags		= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= GNL_FOOBAR_XMPL_CMD_REPLY_WITH_NLMSG_ERR,
		.doit		= gnl_foobar_xmpl_nl_reply_with_nlmsg_err_doit,
		.policy		= gnl_foobar_xmpl_reply_with_nlmsg_err_nl_policy,
		.maxattr	= GNL_FOOBAR_XMPL_A_MSG,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd	= GNL_FOOBAR_XMPL_CMD_CONFIG_GET,
		.doit	= gnl_foobar_xmpl_nl_config_get_doit,
		.flags	= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= GNL_FOOBAR_XMPL_CMD_CONFIG_SET,
		.doit		= gnl_foobar_xmpl_nl_config_set_doit,
		.policy		= gnl_foobar_xmpl_config_set_nl_policy,
		.maxattr	= GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
};

static const struct genl_multicast_group gnl_foobar_xmpl_nl_mcgrps[] = {
	[GNL_FOOBAR_XMPL_NLGRP_CONFIG] = { "config", },
};
