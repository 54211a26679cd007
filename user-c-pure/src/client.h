/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/*
 * client: one raw NETLINK_GENERIC socket talking to the gnl_foobar_xmpl family.
 * It prints nothing: the command line (user-c-pure.c) and the benchmark (bench.c)
 * decide what to show. Every function returns 0, or -1 with the reason in c->err.
 */
#ifndef CLIENT_H
#define CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include <linux/netlink.h>

#include "gnl_foobar_xmpl.h"
#include "nl_msg.h"

/*
 * Receive buffer size. The kernel builds each dump skb as large as the largest
 * buffer this socket has passed to recvmsg() so far, capped at 32 KiB
 * (SKB_WITH_OVERHEAD(32768) in netlink_recvmsg()), and packs as many dump
 * messages into it as fit. A 32 KiB buffer therefore never truncates a dump
 * datagram, and the family query made first on the same socket already tells
 * the kernel to use big skbs for the dump: fewer system calls. Replies to doit
 * requests and ACKs are much smaller.
 */
#define CLIENT_RX_BUF_SIZE 32768

/*
 * The longest GNL_FOOBAR_XMPL_A_MSG the command line sends, in bytes without the
 * NUL. The kernel accepts GNL_FOOBAR_XMPL_MSG_MAX_LEN; longer texts up to this
 * still go out, so that the kernel's policy (not this program) rejects them and
 * its extended ACK can be seen. The three clients share this limit.
 */
#define CLIENT_MSG_ARG_MAX (4 * GNL_FOOBAR_XMPL_MSG_MAX_LEN)

/*
 * Request buffer size: a request carrying the longest --msg and a DUMP_COUNT
 * (about 16.4 KiB) fits, and so does a batch of short echo requests. The error
 * that carries such a request back fits CLIENT_RX_BUF_SIZE (checked in client.c).
 */
#define CLIENT_TX_BUF_SIZE 20480

struct client {
	int fd;
	uint32_t portid;	/* our address, chosen by the kernel at bind() */
	uint32_t seq;		/* sequence number of the request in tx */
	uint16_t family_id;
	uint32_t config_group;	/* id of the family's "config" group; 0 if it has none */
	/*
	 * Listening: the messages of c->rx not yet handed out, the drops seen, and
	 * whether an overrun is being drained (what was queued before the drops are
	 * counted: see client_listen_next()).
	 */
	struct nlm_walk pending;
	uint64_t drops;
	int draining;
	char err[512];		/* what failed, reported once by the caller */
	/* The unions keep both buffers aligned for struct nlmsghdr. */
	union {
		struct nlmsghdr hdr;
		unsigned char bytes[CLIENT_TX_BUF_SIZE];
	} tx;
	union {
		struct nlmsghdr hdr;
		unsigned char bytes[CLIENT_RX_BUF_SIZE];
	} rx;
};

/* Called for each dump message, in order, with its index and GNL_FOOBAR_XMPL_A_MSG. */
typedef void (*client_dump_fn)(void *arg, uint32_t index, const char *msg);

/* Opens and binds the socket, with extended ACKs on. Call client_close() even on failure. */
int client_open(struct client *c);

/* Closes the socket, if open. */
int client_close(struct client *c);

/*
 * Asks the controller for the family's id (c->family_id) and the id of its
 * multicast group "config" (c->config_group).
 */
int client_resolve_family(struct client *c);

/* GNL_FOOBAR_XMPL_CMD_CONFIG_GET: the config of the caller's network namespace. */
int client_config_get(struct client *c, struct nlm_config *cfg);

/*
 * GNL_FOOBAR_XMPL_CMD_CONFIG_SET of @count (NULL: not sent) and @msg (NULL: not
 * sent), with NLM_F_ACK and NLM_F_ECHO: the kernel sends back the notification
 * of the change (our seq and port id), then the ACK. @cfg is that notification.
 */
int client_config_set(struct client *c, const uint32_t *count, const char *msg,
		      struct nlm_config *cfg);

/* What client_listen_next() hands out. */
struct client_event {
	enum { CLIENT_EVENT_CONFIG, CLIENT_EVENT_LOST } kind;
	/* CLIENT_EVENT_CONFIG: a notification, and the set's port id and seq. */
	struct nlm_config config;
	uint32_t portid;
	uint32_t seq;
	/* CLIENT_EVENT_LOST: the queue overflowed (ENOBUFS); drops since the last one. */
	uint64_t lost;
};

/*
 * Joins the family's "config" group and the controller's "notify" group (which
 * announces CTRL_CMD_DELFAMILY) with NETLINK_ADD_MEMBERSHIP. Call after
 * client_resolve_family(); send no request on this socket afterwards.
 */
int client_listen_start(struct client *c);

/*
 * Waits for the next event: a config notification, or lost ones. Fails when
 * the family goes away (CTRL_CMD_DELFAMILY) or a message is malformed.
 */
int client_listen_next(struct client *c, struct client_event *ev);

/*
 * Sends @msg (NULL: no GNL_FOOBAR_XMPL_A_MSG) and checks that the kernel echoes
 * it. *@reply then points at the echoed string, inside c->rx: valid until the
 * next request.
 */
int client_echo(struct client *c, const char *msg, const char **reply);

/*
 * Sends @count echo requests of @msg in one datagram (one sendto()), then reads
 * their @count replies, checking each one's seq and text.
 */
int client_echo_batch(struct client *c, const char *msg, unsigned int count);

/*
 * Requests a dump of @count messages (@has_count 0: the count of the namespace's
 * config, GNL_FOOBAR_XMPL_DUMP_DEFAULT_COUNT unless a config-set changed it), each
 * carrying @msg (NULL: the kernel's text), and hands every message to
 * @on_message. *@received is how many arrived.
 */
int client_dump(struct client *c, int has_count, uint32_t count, const char *msg,
		client_dump_fn on_message, void *arg, uint32_t *received);

/*
 * Sends GNL_FOOBAR_XMPL_CMD_REPLY_WITH_NLMSG_ERR, with @msg if not NULL; the
 * kernel always fails it. Returns 0 with the kernel's error in @ack, or -1 if
 * the exchange itself failed or the kernel did not fail the request.
 */
int client_error(struct client *c, const char *msg, struct nlm_ack *ack);

/* "EINVAL (22): <the kernel's message, or strerror()>" */
void client_describe_status(const struct nlm_ack *ack, char *buf, size_t size);

/*
 * What the extended ACK in @ack blames in the last request, worded as in the
 * other two clients: "points at GNL_FOOBAR_XMPL_A_MSG, byte 20 of the request",
 * "names the missing attribute GNL_FOOBAR_XMPL_A_MSG", or "" if nothing.
 */
void client_describe_attrs(const struct client *c, const struct nlm_ack *ack,
			   char *buf, size_t size);

#endif /* CLIENT_H */
