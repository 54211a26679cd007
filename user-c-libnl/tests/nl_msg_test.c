// SPDX-License-Identifier: MIT OR GPL-2.0-only
/*
 * Feeds user-c-libnl's receive callbacks (src/nl_msg.c) hand-made answers,
 * well-formed and malformed, without a kernel: each must be accepted or
 * rejected as the protocol says, and never read outside the message (run under
 * ASan/UBSan by `make check`, and by `cargo test` through tests/nl_msg.rs).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/msg.h>

#include "gnl_foobar_xmpl.h"
#include "nl_msg.h"

int run_nl_msg_tests(void);

#define FAMILY_ID 42
#define SEQ 7

static int passes, failures;

#define CHECK(cond, what)                                                   \
	do {                                                                \
		if (cond) {                                                 \
			printf("ok - %s\n", what);                          \
			passes++;                                           \
		} else {                                                    \
			printf("not ok - %s (line %d)\n", what, __LINE__);  \
			failures++;                                         \
		}                                                           \
	} while (0)

/* A message under construction; feed() hands the callbacks an exact-size copy. */
struct builder {
	unsigned char buf[8192];
	size_t len;
};

static void put(struct builder *b, const void *data, size_t len)
{
	memcpy(b->buf + b->len, data, len);
	b->len += len;
}

static void pad(struct builder *b)
{
	while (b->len % 4)
		b->buf[b->len++] = 0;
}

static void start(struct builder *b, uint16_t type, uint16_t flags)
{
	struct nlmsghdr nlh = { .nlmsg_type = type, .nlmsg_flags = flags, .nlmsg_seq = SEQ };

	b->len = 0;
	put(b, &nlh, sizeof(nlh));
}

static void put_genl(struct builder *b, uint8_t cmd)
{
	struct genlmsghdr g = { .cmd = cmd, .version = GNL_FOOBAR_XMPL_FAMILY_VERSION };

	put(b, &g, sizeof(g));
}

/* An attribute whose nla_len field says @claimed_len (normally NLA_HDRLEN + len). */
static void put_attr_raw(struct builder *b, uint16_t type, const void *data, size_t len,
			 uint16_t claimed_len)
{
	struct nlattr nla = { .nla_len = claimed_len, .nla_type = type };

	put(b, &nla, sizeof(nla));
	put(b, data, len);
	pad(b);
}

static void put_attr(struct builder *b, uint16_t type, const void *data, size_t len)
{
	put_attr_raw(b, type, data, len, (uint16_t)(NLA_HDRLEN + len));
}

static void put_u32(struct builder *b, uint16_t type, uint32_t v)
{
	put_attr(b, type, &v, sizeof(v));
}

/* Ends the message: sets nlmsg_len, unless @len_override is non-zero. */
static void finish_len(struct builder *b, uint32_t len_override)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)b->buf;

	nlh->nlmsg_len = len_override ? len_override : (uint32_t)b->len;
}

static struct exchange new_exchange(void)
{
	return (struct exchange){ .family_id = FAMILY_ID, .seq = SEQ,
				  .cmd = GNL_FOOBAR_XMPL_CMD_ECHO_MSG };
}

/* Runs a message callback on a copy of @b of exactly b->len bytes, as libnl would. */
static int feed(nl_recvmsg_msg_cb_t cb, struct builder *b, void *ex)
{
	struct nlmsghdr *copy = malloc(b->len);
	struct nl_msg *msg;
	int ret;

	if (!copy)
		abort();
	memcpy(copy, b->buf, b->len);
	msg = nlmsg_convert(copy);
	free(copy);
	if (!msg)
		abort();
	ret = cb(msg, ex);
	nlmsg_free(msg);
	return ret;
}

/* Runs nlm_on_error() on an exact-size copy of the NLMSG_ERROR in @b. */
static int feed_error(struct builder *b, struct exchange *ex)
{
	unsigned char *copy = malloc(b->len);
	int ret;

	if (!copy)
		abort();
	memcpy(copy, b->buf, b->len);
	ret = nlm_on_error(NULL, (struct nlmsgerr *)(copy + NLMSG_HDRLEN), ex);
	free(copy);
	return ret;
}

/* What record_message() was handed last. */
struct seen_message {
	unsigned int calls;
	uint32_t index;
	char text[16];
};

static void record_message(void *arg, uint32_t index, const char *msg)
{
	struct seen_message *seen = arg;

	seen->calls++;
	seen->index = index;
	snprintf(seen->text, sizeof(seen->text), "%s", msg);
}

static void test_echo_replies(void)
{
	struct seen_message seen = { 0 };
	struct builder b;
	struct exchange ex;
	char big[GNL_FOOBAR_XMPL_MSG_MAX_LEN + 2];

	ex = new_exchange();
	ex.on_message = record_message;
	ex.arg = &seen;
	start(&b, FAMILY_ID, 0);
	put_genl(&b, GNL_FOOBAR_XMPL_CMD_ECHO_MSG);
	put_attr(&b, GNL_FOOBAR_XMPL_A_MSG, "hi", 3);
	finish_len(&b, 0);
	CHECK(feed(nlm_on_echo_reply, &b, &ex) == NL_OK && ex.done && ex.messages == 1,
	      "a well-formed reply is accepted");
	CHECK(seen.calls == 1 && seen.index == 0 && strcmp(seen.text, "hi") == 0,
	      "the reply's text is handed to on_message");

	ex = new_exchange();
	start(&b, FAMILY_ID, 0);
	put(&b, "\x01", 1);
	finish_len(&b, 0);
	CHECK(feed(nlm_on_echo_reply, &b, &ex) < 0 && ex.bad_answer,
	      "a reply shorter than its genlmsghdr is rejected");

	ex = new_exchange();
	start(&b, FAMILY_ID, 0);
	put_genl(&b, GNL_FOOBAR_XMPL_CMD_ECHO_MSG);
	put_attr(&b, GNL_FOOBAR_XMPL_A_MSG, "abcd", 4);
	finish_len(&b, 0);
	CHECK(feed(nlm_on_echo_reply, &b, &ex) < 0 && ex.bad_answer,
	      "a GNL_FOOBAR_XMPL_A_MSG without its NUL is rejected");

	ex = new_exchange();
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	start(&b, FAMILY_ID, 0);
	put_genl(&b, GNL_FOOBAR_XMPL_CMD_ECHO_MSG);
	put_attr(&b, GNL_FOOBAR_XMPL_A_MSG, big, sizeof(big));
	finish_len(&b, 0);
	CHECK(feed(nlm_on_echo_reply, &b, &ex) < 0 && ex.bad_answer,
	      "a GNL_FOOBAR_XMPL_A_MSG over 4096 bytes is rejected");

	ex = new_exchange();
	start(&b, FAMILY_ID, 0);
	put_genl(&b, GNL_FOOBAR_XMPL_CMD_ECHO_MSG);
	put_attr_raw(&b, GNL_FOOBAR_XMPL_A_MSG, "hi", 3, 200);
	finish_len(&b, 0);
	CHECK(feed(nlm_on_echo_reply, &b, &ex) < 0 && ex.bad_answer,
	      "an attribute longer than the message is not read");

	ex = new_exchange();
	start(&b, FAMILY_ID, 0);
	put_genl(&b, GNL_FOOBAR_XMPL_CMD_ECHO_MSG);
	finish_len(&b, 0);
	CHECK(feed(nlm_on_echo_reply, &b, &ex) < 0 && ex.bad_answer,
	      "a reply without GNL_FOOBAR_XMPL_A_MSG is rejected");

	ex = new_exchange();
	start(&b, FAMILY_ID + 1, 0);
	put_genl(&b, GNL_FOOBAR_XMPL_CMD_ECHO_MSG);
	put_attr(&b, GNL_FOOBAR_XMPL_A_MSG, "hi", 3);
	finish_len(&b, 0);
	CHECK(feed(nlm_on_echo_reply, &b, &ex) < 0 && ex.bad_answer,
	      "a message of another family is rejected");

	ex = new_exchange();
	start(&b, FAMILY_ID, 0);
	put_genl(&b, GNL_FOOBAR_XMPL_CMD_REPLY_WITH_NLMSG_ERR);
	put_attr(&b, GNL_FOOBAR_XMPL_A_MSG, "hi", 3);
	finish_len(&b, 0);
	CHECK(feed(nlm_on_echo_reply, &b, &ex) < 0 && ex.bad_answer,
	      "a reply to another command is rejected");

	ex = new_exchange();
	start(&b, FAMILY_ID, 0);
	finish_len(&b, 0);
	((struct nlmsghdr *)b.buf)->nlmsg_seq = SEQ + 1;
	CHECK(feed(nlm_check_seq, &b, &ex) == -NLE_SEQ_MISMATCH,
	      "a message with another sequence number is rejected");
}

static void test_dump_messages(void)
{
	struct seen_message seen = { 0 };
	struct builder b;
	struct exchange ex;
	uint16_t short_index = 0;

	ex = new_exchange();
	ex.on_message = record_message;
	ex.arg = &seen;
	start(&b, FAMILY_ID, NLM_F_MULTI);
	put_genl(&b, GNL_FOOBAR_XMPL_CMD_ECHO_MSG);
	put_u32(&b, GNL_FOOBAR_XMPL_A_DUMP_INDEX, 0);
	put_attr(&b, GNL_FOOBAR_XMPL_A_MSG, "d", 2);
	finish_len(&b, 0);
	CHECK(feed(nlm_on_dump_message, &b, &ex) == NL_OK && ex.messages == 1 && !ex.done,
	      "a well-formed dump message is accepted");
	CHECK(seen.calls == 1 && seen.index == 0 && strcmp(seen.text, "d") == 0,
	      "the dump message's index and text are handed to on_message");
	CHECK(feed(nlm_on_dump_message, &b, &ex) < 0 && ex.bad_answer,
	      "a repeated dump index is rejected");

	ex = new_exchange();
	start(&b, FAMILY_ID, NLM_F_MULTI);
	put_genl(&b, GNL_FOOBAR_XMPL_CMD_ECHO_MSG);
	put_attr(&b, GNL_FOOBAR_XMPL_A_DUMP_INDEX, &short_index, sizeof(short_index));
	put_attr(&b, GNL_FOOBAR_XMPL_A_MSG, "d", 2);
	finish_len(&b, 0);
	CHECK(feed(nlm_on_dump_message, &b, &ex) < 0 && ex.bad_answer,
	      "a 2-byte GNL_FOOBAR_XMPL_A_DUMP_INDEX is rejected");

	ex = new_exchange();
	start(&b, NLMSG_DONE, NLM_F_MULTI);
	put(&b, "\0\0", 2);
	finish_len(&b, 0);
	CHECK(feed(nlm_on_done, &b, &ex) < 0 && ex.bad_answer && ex.done,
	      "an NLMSG_DONE without its int is rejected");
}

static void test_done_with_error(void)
{
	const char text[] = "dump broke";
	struct builder b;
	struct exchange ex;
	int err = -ENOSPC;

	ex = new_exchange();
	start(&b, NLMSG_DONE, NLM_F_MULTI | NLM_F_ACK_TLVS);
	put(&b, &err, sizeof(err));
	put_attr(&b, NLMSGERR_ATTR_MSG, text, sizeof(text));
	finish_len(&b, 0);
	CHECK(feed(nlm_on_done, &b, &ex) == NL_STOP && ex.kernel_failed &&
	      ex.kerr.errnum == ENOSPC && strcmp(ex.kerr.msg, text) == 0,
	      "an error in NLMSG_DONE is reported with its message");
}

/* An NLMSG_ERROR: -EINVAL, the request header, @request_payload bytes of it, TLVs. */
static void start_error(struct builder *b, uint16_t flags, uint32_t claimed_request_len,
			size_t request_payload)
{
	struct nlmsgerr e = { .error = -EINVAL };

	start(b, NLMSG_ERROR, flags);
	e.msg.nlmsg_len = claimed_request_len;
	put(b, &e, sizeof(e));
	memset(b->buf + b->len, 0, request_payload);
	b->len += request_payload;
	pad(b);
}

static void test_errors(void)
{
	const char text[] = "bad thing";
	struct builder b;
	struct exchange ex;

	ex = new_exchange();
	start_error(&b, NLM_F_ACK_TLVS, NLMSG_HDRLEN + 10, 10);
	put_attr(&b, NLMSGERR_ATTR_MSG, text, sizeof(text));
	put_u32(&b, NLMSGERR_ATTR_OFFS, 20);
	finish_len(&b, 0);
	CHECK(feed_error(&b, &ex) == NL_STOP && ex.kerr.errnum == EINVAL &&
	      strcmp(ex.kerr.msg, text) == 0 && ex.kerr.has_offset && ex.kerr.offset == 20,
	      "extended ACK after the echoed request is found");

	ex = new_exchange();
	start_error(&b, NLM_F_ACK_TLVS | NLM_F_CAPPED, NLMSG_HDRLEN + 10, 0);
	put_attr(&b, NLMSGERR_ATTR_MSG, text, sizeof(text));
	finish_len(&b, 0);
	CHECK(feed_error(&b, &ex) == NL_STOP && strcmp(ex.kerr.msg, text) == 0,
	      "extended ACK right after struct nlmsgerr with NLM_F_CAPPED is found");

	/* The quoted request's nlmsg_len must hold a header and fit what follows it. */
	ex = new_exchange();
	start_error(&b, NLM_F_ACK_TLVS, NLMSG_HDRLEN + 12, 12);
	finish_len(&b, 0);
	CHECK(feed_error(&b, &ex) == NL_STOP && ex.kernel_failed && ex.kerr.errnum == EINVAL,
	      "an echoed request that fills the error exactly is accepted");

	ex = new_exchange();
	start_error(&b, NLM_F_ACK_TLVS, NLMSG_HDRLEN + 12 + 1, 12);
	finish_len(&b, 0);
	CHECK(feed_error(&b, &ex) < 0 && ex.bad_answer && !ex.kernel_failed,
	      "an echoed request one byte longer than the error is rejected");

	ex = new_exchange();
	start_error(&b, NLM_F_ACK_TLVS, 100000, 0);
	put_attr(&b, NLMSGERR_ATTR_MSG, text, sizeof(text));
	finish_len(&b, 0);
	CHECK(feed_error(&b, &ex) < 0 && ex.bad_answer && !ex.kernel_failed,
	      "an echoed request far longer than the error is rejected");

	ex = new_exchange();
	start_error(&b, NLM_F_ACK_TLVS, UINT32_MAX, 0);
	put_attr(&b, NLMSGERR_ATTR_MSG, text, sizeof(text));
	finish_len(&b, 0);
	CHECK(feed_error(&b, &ex) < 0 && ex.bad_answer && !ex.kernel_failed,
	      "an echoed request of UINT32_MAX bytes is rejected, not wrapped");

	ex = new_exchange();
	start_error(&b, NLM_F_ACK_TLVS, 3, 0);
	put_attr(&b, NLMSGERR_ATTR_MSG, text, sizeof(text));
	finish_len(&b, 0);
	CHECK(feed_error(&b, &ex) < 0 && ex.bad_answer && !ex.kernel_failed,
	      "an echoed request shorter than a header is rejected");

	ex = new_exchange();
	start_error(&b, NLM_F_ACK_TLVS | NLM_F_CAPPED, 100000, 0);
	put_attr(&b, NLMSGERR_ATTR_MSG, text, sizeof(text));
	finish_len(&b, 0);
	CHECK(feed_error(&b, &ex) == NL_STOP && strcmp(ex.kerr.msg, text) == 0,
	      "with NLM_F_CAPPED, the quoted nlmsg_len is not used");

	ex = new_exchange();
	start_error(&b, NLM_F_ACK_TLVS | NLM_F_CAPPED, NLMSG_HDRLEN, 0);
	put_attr(&b, NLMSGERR_ATTR_MSG, "two\nlines\x1b[0m\x7f", 15);
	finish_len(&b, 0);
	CHECK(feed_error(&b, &ex) == NL_STOP && strcmp(ex.kerr.msg, "two?lines?[0m?") == 0,
	      "control characters in NLMSGERR_ATTR_MSG are replaced");

	ex = new_exchange();
	start_error(&b, NLM_F_ACK_TLVS | NLM_F_CAPPED, NLMSG_HDRLEN, 0);
	put_attr(&b, NLMSGERR_ATTR_MSG, "no NUL", 6);
	finish_len(&b, 0);
	CHECK(feed_error(&b, &ex) == NL_STOP && ex.kerr.errnum == EINVAL && !ex.kerr.msg[0],
	      "an unterminated NLMSGERR_ATTR_MSG is ignored, the errno kept");

	ex = new_exchange();
	start_error(&b, NLM_F_CAPPED, NLMSG_HDRLEN, 0);
	put_attr(&b, NLMSGERR_ATTR_MSG, text, sizeof(text));
	finish_len(&b, 0);
	CHECK(feed_error(&b, &ex) == NL_STOP && !ex.kerr.msg[0],
	      "TLVs without NLM_F_ACK_TLVS are not read");
}


/* ---- Config get and set ---- */

#define PORTID 4242

/* A config message of @cmd for FAMILY_ID, from port @portid; attributes follow. */
static void start_config(struct builder *b, uint8_t cmd, uint32_t portid)
{
	start(b, FAMILY_ID, 0);
	((struct nlmsghdr *)b->buf)->nlmsg_pid = portid;
	put_genl(b, cmd);
}

static struct exchange config_exchange(uint8_t cmd, struct nlm_config *cfg)
{
	struct exchange ex = new_exchange();

	ex.cmd = cmd;
	ex.config = cfg;
	ex.portid = PORTID;
	return ex;
}

static void test_config_replies(void)
{
	const uint8_t get = GNL_FOOBAR_XMPL_CMD_CONFIG_GET;
	const uint8_t ntf = GNL_FOOBAR_XMPL_CMD_CONFIG_NTF;
	static char longest[GNL_FOOBAR_XMPL_MSG_MAX_LEN + 2];
	struct nlm_config cfg;
	uint16_t short_count = 5;
	uint64_t long_count = 5;
	struct exchange ex;
	struct builder b;

	ex = config_exchange(get, &cfg);
	start_config(&b, get, PORTID);
	put_u32(&b, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT, 7);
	put_attr(&b, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG, "seven", 6);
	finish_len(&b, 0);
	CHECK(feed(nlm_on_config_reply, &b, &ex) == NL_OK && ex.done && ex.messages == 1 &&
	      cfg.dump_count == 7 && strcmp(cfg.dump_msg, "seven") == 0,
	      "a config-get reply is accepted and copied");

	ex = config_exchange(get, &cfg);
	start_config(&b, get, PORTID);
	put_attr(&b, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG, "", 1);
	put_u32(&b, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT, 1000000);
	finish_len(&b, 0);
	CHECK(feed(nlm_on_config_reply, &b, &ex) == NL_OK && cfg.dump_count == 1000000 &&
	      cfg.dump_msg[0] == '\0', "an empty dump-msg is a config, in any attribute order");

	ex = config_exchange(get, &cfg);
	memset(longest, 'a', sizeof(longest) - 1);
	longest[GNL_FOOBAR_XMPL_MSG_MAX_LEN] = '\0';
	start_config(&b, get, PORTID);
	put_u32(&b, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT, 1);
	put_attr(&b, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG, longest, GNL_FOOBAR_XMPL_MSG_MAX_LEN + 1);
	finish_len(&b, 0);
	CHECK(feed(nlm_on_config_reply, &b, &ex) == NL_OK &&
	      strlen(cfg.dump_msg) == GNL_FOOBAR_XMPL_MSG_MAX_LEN,
	      "a dump-msg of 4096 bytes is copied whole");

	ex = config_exchange(get, &cfg);
	longest[GNL_FOOBAR_XMPL_MSG_MAX_LEN] = 'a';
	start_config(&b, get, PORTID);
	put_u32(&b, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT, 1);
	put_attr(&b, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG, longest, sizeof(longest));
	finish_len(&b, 0);
	CHECK(feed(nlm_on_config_reply, &b, &ex) < 0 && ex.bad_answer,
	      "a dump-msg over 4096 bytes is rejected");

	ex = config_exchange(get, &cfg);
	start_config(&b, get, PORTID);
	put_u32(&b, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT, 7);
	finish_len(&b, 0);
	CHECK(feed(nlm_on_config_reply, &b, &ex) < 0 && ex.bad_answer && !ex.messages,
	      "a config without dump-msg is rejected");

	ex = config_exchange(get, &cfg);
	start_config(&b, get, PORTID);
	put_attr(&b, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG, "x", 2);
	finish_len(&b, 0);
	CHECK(feed(nlm_on_config_reply, &b, &ex) < 0 && ex.bad_answer,
	      "a config without dump-count is rejected");

	ex = config_exchange(get, &cfg);
	start_config(&b, get, PORTID);
	put_attr(&b, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT, &short_count, sizeof(short_count));
	put_attr(&b, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG, "x", 2);
	finish_len(&b, 0);
	CHECK(feed(nlm_on_config_reply, &b, &ex) < 0 && ex.bad_answer,
	      "a 2-byte dump-count is rejected");

	ex = config_exchange(get, &cfg);
	start_config(&b, get, PORTID);
	put_attr(&b, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT, &long_count, sizeof(long_count));
	put_attr(&b, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG, "x", 2);
	finish_len(&b, 0);
	CHECK(feed(nlm_on_config_reply, &b, &ex) < 0 && ex.bad_answer,
	      "an 8-byte dump-count is rejected");

	ex = config_exchange(get, &cfg);
	start_config(&b, get, PORTID);
	put_u32(&b, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT, 7);
	put_attr(&b, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG, "abcd", 4);
	finish_len(&b, 0);
	CHECK(feed(nlm_on_config_reply, &b, &ex) < 0 && ex.bad_answer,
	      "a dump-msg without its NUL is rejected");

	ex = config_exchange(get, &cfg);
	start_config(&b, get, PORTID);
	put_u32(&b, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT, 7);
	put_attr(&b, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG, "x", 2);
	put_attr(&b, GNL_FOOBAR_XMPL_A_MSG, "x", 2);
	finish_len(&b, 0);
	CHECK(feed(nlm_on_config_reply, &b, &ex) < 0 && ex.bad_answer,
	      "a config with GNL_FOOBAR_XMPL_A_MSG is rejected");

	ex = config_exchange(get, &cfg);
	start_config(&b, ntf, PORTID);
	put_u32(&b, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT, 7);
	put_attr(&b, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG, "x", 2);
	finish_len(&b, 0);
	CHECK(feed(nlm_on_config_reply, &b, &ex) < 0 && ex.bad_answer,
	      "a notification is no config-get reply");

	/* Set: the echoed notification, then the ACK ends the exchange. */
	ex = config_exchange(ntf, &cfg);
	ex.ack_expected = true;
	start_config(&b, ntf, PORTID);
	put_u32(&b, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT, 5);
	put_attr(&b, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG, "x", 2);
	finish_len(&b, 0);
	CHECK(feed(nlm_on_config_echo, &b, &ex) == NL_OK && !ex.done && ex.messages == 1 &&
	      cfg.dump_count == 5 && strcmp(cfg.dump_msg, "x") == 0,
	      "the echoed notification is accepted; the ACK is still to come");
	CHECK(feed(nlm_on_config_echo, &b, &ex) < 0 && ex.bad_answer,
	      "a second echoed notification is rejected");

	ex = config_exchange(ntf, &cfg);
	ex.ack_expected = true;
	start_config(&b, ntf, PORTID + 1);
	put_u32(&b, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT, 5);
	put_attr(&b, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG, "x", 2);
	finish_len(&b, 0);
	CHECK(feed(nlm_on_config_echo, &b, &ex) < 0 && ex.bad_answer,
	      "a notification of another port's set is rejected");
}

/* ---- Listening ---- */

struct seen_config {
	unsigned int calls;
	uint32_t count;
	char msg[GNL_FOOBAR_XMPL_MSG_MAX_LEN + 1];
	uint32_t portid;
	uint32_t seq;
	bool stop;		/* what record_config() returns */
};

static bool record_config(void *arg, const struct nlm_config *cfg, uint32_t portid,
			  uint32_t seq)
{
	struct seen_config *seen = arg;

	seen->calls++;
	seen->count = cfg->dump_count;
	snprintf(seen->msg, sizeof(seen->msg), "%s", cfg->dump_msg);
	seen->portid = portid;
	seen->seq = seq;
	return seen->stop;
}

static struct listener new_listener(struct seen_config *seen)
{
	return (struct listener){ .family_id = FAMILY_ID, .on_config = record_config,
				  .arg = seen };
}

/* A controller event of @cmd about family @id. */
static void start_ctrl_event(struct builder *b, uint8_t cmd, uint16_t id)
{
	start(b, GENL_ID_CTRL, 0);
	put_genl(b, cmd);
	put_attr(b, CTRL_ATTR_FAMILY_ID, &id, sizeof(id));
	put_attr(b, CTRL_ATTR_FAMILY_NAME, "fam", 4);
}

static void test_notifications(void)
{
	const uint8_t ntf = GNL_FOOBAR_XMPL_CMD_CONFIG_NTF;
	struct seen_config seen = { 0 };
	struct listener l;
	struct builder b;
	size_t nest;

	l = new_listener(&seen);
	start_config(&b, ntf, 99);
	((struct nlmsghdr *)b.buf)->nlmsg_seq = 1234;
	put_u32(&b, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT, 5);
	put_attr(&b, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG, "x", 2);
	finish_len(&b, 0);
	CHECK(feed(nlm_on_notification, &b, &l) == NL_OK && seen.calls == 1 && seen.count == 5 &&
	      strcmp(seen.msg, "x") == 0 && seen.portid == 99 && seen.seq == 1234,
	      "a notification is handed over with the setter's port id and seq");
	seen.stop = true;
	CHECK(feed(nlm_on_notification, &b, &l) == NL_STOP && seen.calls == 2,
	      "on_config's true (--count reached) stops the reading");

	l = new_listener(&seen);
	start_config(&b, ntf, 99);
	put_u32(&b, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT, 5);
	finish_len(&b, 0);
	CHECK(feed(nlm_on_notification, &b, &l) < 0 && l.bad_answer && seen.calls == 2,
	      "a notification without dump-msg is rejected");

	l = new_listener(&seen);
	start_config(&b, GNL_FOOBAR_XMPL_CMD_CONFIG_GET, 99);
	put_u32(&b, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT, 5);
	put_attr(&b, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG, "x", 2);
	finish_len(&b, 0);
	CHECK(feed(nlm_on_notification, &b, &l) < 0 && l.bad_answer,
	      "a message of another command in the group is rejected");

	l = new_listener(&seen);
	start(&b, FAMILY_ID + 1, 0);
	put_genl(&b, ntf);
	finish_len(&b, 0);
	CHECK(feed(nlm_on_notification, &b, &l) < 0 && l.bad_answer,
	      "a message of another family is rejected");

	l = new_listener(&seen);
	start_ctrl_event(&b, CTRL_CMD_DELFAMILY, FAMILY_ID);
	finish_len(&b, 0);
	CHECK(feed(nlm_on_notification, &b, &l) == NL_STOP && l.family_gone && !l.bad_answer,
	      "CTRL_CMD_DELFAMILY of our family stops with family_gone");

	l = new_listener(&seen);
	start_ctrl_event(&b, CTRL_CMD_DELFAMILY, FAMILY_ID + 1);
	finish_len(&b, 0);
	CHECK(feed(nlm_on_notification, &b, &l) == NL_SKIP && !l.family_gone,
	      "CTRL_CMD_DELFAMILY of another family is skipped");

	l = new_listener(&seen);
	start_ctrl_event(&b, CTRL_CMD_NEWFAMILY, FAMILY_ID);
	nest = b.len;
	put(&b, &(struct nlattr){ .nla_type = CTRL_ATTR_MCAST_GROUPS | NLA_F_NESTED },
	    NLA_HDRLEN);
	put_attr(&b, 1, "", 0);
	((struct nlattr *)(b.buf + nest))->nla_len = (uint16_t)(b.len - nest);
	finish_len(&b, 0);
	CHECK(feed(nlm_on_notification, &b, &l) == NL_SKIP && !l.family_gone,
	      "other controller events (CTRL_CMD_NEWFAMILY) are skipped");

	l = new_listener(&seen);
	start(&b, GENL_ID_CTRL, 0);
	put_genl(&b, CTRL_CMD_DELFAMILY);
	put_u32(&b, CTRL_ATTR_FAMILY_ID, FAMILY_ID);
	finish_len(&b, 0);
	CHECK(feed(nlm_on_notification, &b, &l) < 0 && l.bad_answer && !l.family_gone,
	      "a controller event with a 4-byte CTRL_ATTR_FAMILY_ID is rejected");
}

/* Runs every check, prints one line per check and returns how many failed. */
int run_nl_msg_tests(void)
{
	passes = 0;
	failures = 0;
	test_echo_replies();
	test_dump_messages();
	test_done_with_error();
	test_errors();
	test_config_replies();
	test_notifications();
	printf("nl_msg checks: %d passed, %d failed\n", passes, failures);
	return failures;
}
