/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/*
 * nl_msg: the libnl receive callbacks that check every message of the kernel's
 * answer to one request, with no I/O, so that tests/nl_msg_test.c can feed them
 * crafted messages. client.c points a socket's callback set at them for the
 * length of one exchange.
 */
#ifndef NL_MSG_H
#define NL_MSG_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/netlink.h>
#include <netlink/handlers.h>
#include <netlink/netlink.h>

#include "gnl_foobar_xmpl.h"

/* The longest extended ACK message kept; the kernel's are well under this. */
#define EXTACK_MSG_SIZE 256

/* An error the kernel reported, in NLMSG_ERROR or in NLMSG_DONE. */
struct kernel_error {
	int errnum;			/* positive errno */
	char msg[EXTACK_MSG_SIZE];	/* NLMSGERR_ATTR_MSG, made printable, or "" */
	bool has_offset;
	uint32_t offset;		/* NLMSGERR_ATTR_OFFS: byte offset in the request */
	bool has_missing;
	uint32_t missing_type;		/* NLMSGERR_ATTR_MISS_TYPE: attribute not sent */
};

/* Called for each reply or dump message, in order, with its index and GNL_FOOBAR_XMPL_A_MSG. */
typedef void (*nlm_message_fn)(void *arg, uint32_t index, const char *msg);

/* The family's config, copied out of a CONFIG_GET reply or a CONFIG_NTF. */
struct nlm_config {
	uint32_t dump_count;
	char dump_msg[GNL_FOOBAR_XMPL_MSG_MAX_LEN + 1];
};

/* One request and everything the callbacks learn from its answer. */
struct exchange {
	int family_id;
	uint8_t cmd;
	const char *sent;		/* echo: the MSG sent, which must come back */
	nlm_message_fn on_message;	/* handed each accepted message, or NULL */
	void *arg;			/* for on_message */
	struct nlm_config *config;	/* config get and set: where the config goes */
	/* Filled in when the request is sent. */
	uint32_t seq;
	uint32_t portid;		/* ours: an echoed notification must carry it */
	bool ack_expected;
	/* Filled in by the callbacks. */
	bool done;
	unsigned int messages;		/* replies, or dump messages */
	bool kernel_failed;
	struct kernel_error kerr;
	const char *bad_answer;		/* why a message from the kernel was rejected */
};

/* Records in @ex that the kernel's answer is not what the protocol promises. */
int nlm_reject(struct exchange *ex, const char *why, int nl_err);

/*
 * The callbacks, each taking its struct exchange as @arg. They return NL_OK to
 * go on reading, NL_STOP when the answer is complete, or a negative NLE_* code
 * with ex->bad_answer set when a message breaks the protocol.
 */
/* NL_CB_SEQ_CHECK: every message carries the request's sequence number. */
int nlm_check_seq(struct nl_msg *msg, void *arg);
/* nl_cb_err(): an NLMSG_ERROR with a non-zero error, and its extended ACK. */
int nlm_on_error(struct sockaddr_nl *who, struct nlmsgerr *err, void *arg);
/* NL_CB_ACK: the ACK that NLM_F_ACK asked for. */
int nlm_on_ack(struct nl_msg *msg, void *arg);
/* NL_CB_FINISH: NLMSG_DONE, with the dump's own error if it failed. */
int nlm_on_done(struct nl_msg *msg, void *arg);
/* NL_CB_VALID of echo, dump and error. */
int nlm_on_echo_reply(struct nl_msg *msg, void *arg);
int nlm_on_dump_message(struct nl_msg *msg, void *arg);
int nlm_on_unexpected_reply(struct nl_msg *msg, void *arg);
/* NL_CB_VALID of config get (the reply) and config set (the notification echoed back). */
int nlm_on_config_reply(struct nl_msg *msg, void *arg);
int nlm_on_config_echo(struct nl_msg *msg, void *arg);

/*
 * A listening socket: what its callback learns from the notifications of the
 * family's "config" group and of the controller's "notify" group.
 */
struct listener {
	int family_id;
	/*
	 * Handed each config notification with the port id and seq of the set
	 * that caused it; returns true to stop reading (--count reached).
	 */
	bool (*on_config)(void *arg, const struct nlm_config *cfg, uint32_t portid,
			  uint32_t seq);
	void *arg;
	struct nlm_config config;	/* the notification being handed out */
	bool stopped;			/* on_config asked to stop */
	bool family_gone;		/* CTRL_CMD_DELFAMILY of family_id came */
	const char *bad_answer;		/* why a message was rejected */
};

/*
 * NL_CB_VALID of a listening socket, taking its struct listener as @arg: a
 * config notification goes to on_config; CTRL_CMD_DELFAMILY of the family
 * stops with family_gone; other controller events are skipped.
 */
int nlm_on_notification(struct nl_msg *msg, void *arg);

#endif /* NL_MSG_H */
