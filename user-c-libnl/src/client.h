/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/*
 * client: one libnl-genl-3 socket talking to the gnl_foobar_xmpl family. It
 * prints nothing: the command line (user-c-libnl.c) and the benchmark (bench.c)
 * decide what to show. Every function returns 0, or -1 with the reason in c->err.
 */
#ifndef CLIENT_H
#define CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <netlink/netlink.h>

#include "gnl_foobar_xmpl.h"
#include "nl_msg.h"

/*
 * The longest --msg sent, in bytes without the NUL. The kernel takes
 * GNL_FOOBAR_XMPL_MSG_MAX_LEN bytes; longer texts, up to this, still go out so
 * that the kernel's own check and its extended ACK can be seen. The three
 * clients share this limit; it keeps the error that carries the largest
 * request back inside the --fast receive buffer (see client.c).
 */
#define CLIENT_MSG_ARG_MAX (4 * GNL_FOOBAR_XMPL_MSG_MAX_LEN)

/*
 * How the libnl socket is set up. libnl's defaults suit a program that knows
 * nothing of the protocol; a client that knows how each exchange ends can skip
 * the extra work (see client_fast_config and client_libnl_default_config).
 *
 * nl_send_auto() passes each request to nl_complete_msg(), which sets
 * NLM_F_REQUEST, and NLM_F_ACK unless nl_socket_disable_auto_ack() was called.
 * nl_recvmsgs() reads with MSG_PEEK|MSG_TRUNC first to size its buffer, unless
 * nl_socket_disable_msg_peek() was called (then it reads once, into a buffer
 * of nl_socket_set_msg_buf_size() bytes).
 */
struct client_config {
	/* nl_send_auto() adds NLM_F_ACK to every request (libnl default: on). */
	bool auto_ack;
	/* nl_recv() peeks at each datagram's size before reading it (default: on). */
	bool msg_peek;
	/* NETLINK_CAP_ACK: error messages do not carry the request back. */
	bool cap_ack;
};

/*
 * --fast: no NLM_F_ACK, because every operation already has a last message
 * (the doit reply, NLMSG_DONE, or the NLMSG_ERROR carrying the failure), and no
 * MSG_PEEK, because the receive buffer holds any datagram of this family. One
 * sendmsg() and one recvmsg() per echo.
 */
extern const struct client_config client_fast_config;

/*
 * --libnl-defaults: what nl_socket_alloc() gives. Each request carries
 * NLM_F_ACK, so a doit is answered by its reply and then by an ACK in a second
 * datagram, and every datagram is read twice (MSG_PEEK|MSG_TRUNC for its size,
 * then for real).
 */
extern const struct client_config client_libnl_default_config;

struct client {
	struct nl_sock *sk;
	int family_id;
	uint32_t config_group;	/* id of the family's "config" group, once listening */
	uint64_t drops;		/* listening: the socket's drop count last read */
	char err[EXTACK_MSG_SIZE + 256];	/* what failed, reported once by the caller */
};

/*
 * Allocates, configures and connects a NETLINK_GENERIC socket, with extended
 * ACKs on. Call client_close() even on failure.
 */
int client_open(struct client *c, const struct client_config *cfg);

/* Closes the socket, if open. */
void client_close(struct client *c);

/* Asks the controller for the family's id (c->family_id). */
int client_resolve_family(struct client *c);

/*
 * Sends @msg (NULL: no GNL_FOOBAR_XMPL_A_MSG) and checks that the one reply
 * carries it back; the reply goes to @on_reply (may be NULL) with index 0.
 */
int client_echo(struct client *c, const char *msg, nlm_message_fn on_reply, void *arg);

/*
 * Sends @count echo requests of @msg in one datagram, then reads their @count
 * replies, checking each one's seq and text.
 */
int client_echo_batch(struct client *c, const char *msg, uint32_t count);

/*
 * Requests a dump of *@count messages (@count NULL: the count of the namespace's
 * config, GNL_FOOBAR_XMPL_DUMP_DEFAULT_COUNT unless a config-set changed it), each
 * carrying @msg (NULL: the kernel's text), and hands every message to
 * @on_message (may be NULL); the dump must end after exactly that many.
 * *@received is how many arrived.
 */
int client_dump(struct client *c, const char *msg, const uint32_t *count,
		nlm_message_fn on_message, void *arg, unsigned int *received);

/*
 * Sends GNL_FOOBAR_XMPL_CMD_REPLY_WITH_NLMSG_ERR, with @msg if not NULL; the
 * kernel always fails it. Returns 0 with the kernel's error described in
 * @status ("EINVAL (22): <the extended ACK message, or strerror()>") and what
 * its extended ACK blames in @blame ("points at GNL_FOOBAR_XMPL_A_MSG, byte 20
 * of the request", "names the missing attribute ...", or ""); -1 if the
 * exchange itself failed or the kernel did not fail the request.
 */
int client_error(struct client *c, const char *msg, char *status, size_t status_len,
		 char *blame, size_t blame_len);

/* GNL_FOOBAR_XMPL_CMD_CONFIG_GET: the config of the caller's network namespace. */
int client_config_get(struct client *c, struct nlm_config *cfg);

/*
 * GNL_FOOBAR_XMPL_CMD_CONFIG_SET of @count (NULL: not sent) and @msg (NULL: not
 * sent), with NLM_F_ACK and NLM_F_ECHO: the kernel sends back the notification
 * of the change (our seq and port id), then the ACK. @cfg is that notification.
 */
int client_config_set(struct client *c, const uint32_t *count, const char *msg,
		      struct nlm_config *cfg);

/*
 * Resolves the family's "config" group (c->config_group) and the controller's
 * "notify" group, which announces CTRL_CMD_DELFAMILY, and joins both. Call
 * after client_resolve_family(); send no request on this socket afterwards.
 */
int client_listen_start(struct client *c);

/*
 * Reads the next datagram of the listening socket, handing each config
 * notification to @l->on_config. Sets *@lost to the messages the kernel
 * dropped since the last call when the receive queue overflowed (ENOBUFS),
 * else to 0. Fails when the family goes away or a message is malformed.
 */
int client_listen_receive(struct client *c, struct listener *l, uint64_t *lost);

#endif /* CLIENT_H */
