/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	spec/gnl_foobar_xmpl.yaml */
/* YNL-GEN kernel header */

#ifndef _LINUX_GNL_FOOBAR_XMPL_GEN_H
#define _LINUX_GNL_FOOBAR_XMPL_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/gnl_foobar_xmpl.h>
#include <gnl_foobar_xmpl_compat.h>

/* Ops table for gnl_foobar_xmpl */
extern const struct genl_split_ops gnl_foobar_xmpl_nl_ops[5];

int gnl_foobar_xmpl_nl_echo_msg_dump_start(struct netlink_callback *cb);
int gnl_foobar_xmpl_nl_echo_msg_dump_done(struct netlink_callback *cb);

int gnl_foobar_xmpl_nl_echo_msg_doit(struct sk_buff *skb,
				     struct genl_info *info);
int gnl_foobar_xmpl_nl_echo_msg_dumpit(struct sk_buff *skb,
				       struct netlink_callback *cb);
int gnl_foobar_xmpl_nl_reply_with_nlmsg_err_doit(struct sk_buff *skb,
						 struct genl_info *info);
int gnl_foobar_xmpl_nl_config_get_doit(struct sk_buff *skb,
				       struct genl_info *info);
int gnl_foobar_xmpl_nl_config_set_doit(struct sk_buff *skb,
				       struct genl_info *info);

enum {
	GNL_FOOBAR_XMPL_NLGRP_CONFIG,
};

#endif /* _LINUX_GNL_FOOBAR_XMPL_GEN_H */
