// SPDX-License-Identifier: MIT OR GPL-2.0-only
/*
 * Unit tests of nl_msg.c on crafted byte buffers: truncated and overlong
 * messages and attributes, wrong attribute types and sizes, capped and uncapped
 * ACKs with and without extended-ACK TLVs. Entry point: run_nl_msg_tests().
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "nl_msg.h"

int run_nl_msg_tests(void);

/* Large enough for every crafted message below; uint32_t keeps it 4-byte aligned. */
#define TEST_BUF_WORDS 128

struct tally {
	int passed;
	int failed;
};

static void check(struct tally *t, int ok, const char *what, const char *test, int line)
{
	if (ok) {
		t->passed++;
		return;
	}
	t->failed++;
	printf("not ok - %s (line %d): %s\n", test, line, what);
}

#define CHECK(t, cond) check((t), (cond), #cond, __func__, __LINE__)

/* ---- Crafting messages byte by byte ---- */

struct craft {
	unsigned char *buf;
	size_t len;
	size_t msg_start;
};

static void craft_init(struct craft *c, uint32_t *words)
{
	memset(words, 0, TEST_BUF_WORDS * sizeof(*words));
	c->buf = (unsigned char *)words;
	c->len = 0;
	c->msg_start = 0;
}

static void craft_bytes(struct craft *c, const void *data, size_t len)
{
	memcpy(c->buf + c->len, data, len);
	c->len += len;
}

static void craft_align(struct craft *c)
{
	c->len = NLMSG_ALIGN(c->len);
}

/* Starts a message; its nlmsg_len is set by craft_end() unless given here. */
static struct nlmsghdr *craft_msg(struct craft *c, uint16_t type, uint16_t flags)
{
	struct nlmsghdr hdr = { .nlmsg_type = type, .nlmsg_flags = flags, .nlmsg_seq = 7 };

	craft_align(c);
	c->msg_start = c->len;
	craft_bytes(c, &hdr, sizeof(hdr));
	return (struct nlmsghdr *)(c->buf + c->msg_start);
}

static void craft_end(struct craft *c)
{
	((struct nlmsghdr *)(c->buf + c->msg_start))->nlmsg_len = c->len - c->msg_start;
}

/* An attribute whose nla_len is @nla_len, whatever the size of @data. */
static void craft_attr_raw(struct craft *c, uint16_t type, uint16_t nla_len,
			   const void *data, size_t len)
{
	struct nlattr attr = { .nla_len = nla_len, .nla_type = type };

	craft_bytes(c, &attr, sizeof(attr));
	craft_bytes(c, data, len);
}

static void craft_attr(struct craft *c, uint16_t type, const void *data, size_t len)
{
	craft_attr_raw(c, type, NLA_HDRLEN + len, data, len);
	craft_align(c);
}

static void craft_u32(struct craft *c, uint16_t type, uint32_t value)
{
	craft_attr(c, type, &value, sizeof(value));
}

static void craft_str(struct craft *c, uint16_t type, const char *str)
{
	craft_attr(c, type, str, strlen(str) + 1);
}

/* The struct nlmsgerr of an NLMSG_ERROR: status, then the request's header. */
static void craft_nlmsgerr(struct craft *c, int error, uint32_t quoted_len)
{
	struct nlmsgerr e = { .error = error };

	e.msg.nlmsg_len = quoted_len;
	e.msg.nlmsg_type = 0x22;
	e.msg.nlmsg_seq = 7;
	craft_bytes(c, &e, sizeof(e));
}

/* ---- Building requests ---- */

static void test_put_genl_header(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;

	CHECK(t, !nlm_put_genl_header(words, NLMSG_LENGTH(GENL_HDRLEN) - 1, 0x22,
				      NLM_F_REQUEST, 1, 3, 1));
	nlh = nlm_put_genl_header(words, sizeof(words), 0x22, NLM_F_REQUEST | NLM_F_ACK,
				  41, 3, 1);
	CHECK(t, nlh != NULL);
	if (!nlh)
		return;
	genl = NLMSG_DATA(nlh);
	CHECK(t, nlh->nlmsg_len == NLMSG_HDRLEN + GENL_HDRLEN);
	CHECK(t, nlh->nlmsg_type == 0x22);
	CHECK(t, nlh->nlmsg_flags == (NLM_F_REQUEST | NLM_F_ACK));
	CHECK(t, nlh->nlmsg_seq == 41);
	CHECK(t, nlh->nlmsg_pid == 0);
	CHECK(t, genl->cmd == 3 && genl->version == 1 && genl->reserved == 0);
}

static void test_put_attr_pads(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	unsigned char *buf = (unsigned char *)words;
	struct nlmsghdr *nlh;
	struct nlattr *attr;

	memset(words, 0xaa, sizeof(words));
	nlh = nlm_put_genl_header(words, sizeof(words), 0x22, NLM_F_REQUEST, 1, 1, 1);
	CHECK(t, nlm_put_attr(nlh, sizeof(words), 7, "abcde", 5) == 0);
	attr = (struct nlattr *)(buf + 20);
	CHECK(t, attr->nla_len == NLA_HDRLEN + 5);
	CHECK(t, attr->nla_type == 7);
	CHECK(t, memcmp(buf + 24, "abcde", 5) == 0);
	CHECK(t, buf[29] == 0 && buf[30] == 0 && buf[31] == 0);
	CHECK(t, nlh->nlmsg_len == 32);
}

static void test_put_attr_no_room(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	struct nlmsghdr *nlh;

	nlh = nlm_put_genl_header(words, 32, 0x22, NLM_F_REQUEST, 1, 1, 1);
	CHECK(t, nlm_put_attr(nlh, 32, 1, "abcde", 5) == 0);
	CHECK(t, nlh->nlmsg_len == 32);
	CHECK(t, nlm_put_attr(nlh, 32, 1, "", 0) == -1);
	CHECK(t, nlh->nlmsg_len == 32);

	/* nla_len is 16 bits: a payload of 65532 bytes cannot be described. */
	nlh = nlm_put_genl_header(words, sizeof(words), 0x22, NLM_F_REQUEST, 1, 1, 1);
	CHECK(t, nlm_put_attr(nlh, SIZE_MAX, 1, words, UINT16_MAX - NLA_HDRLEN + 1) == -1);
	CHECK(t, nlh->nlmsg_len == NLMSG_HDRLEN + GENL_HDRLEN);
}

static void test_put_strz_u32(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	unsigned char *buf = (unsigned char *)words;
	struct nlmsghdr *nlh;
	uint32_t value;

	nlh = nlm_put_genl_header(words, sizeof(words), 0x22, NLM_F_REQUEST, 1, 1, 1);
	CHECK(t, nlm_put_strz(nlh, sizeof(words), 1, "hi") == 0);
	CHECK(t, nlm_put_u32(nlh, sizeof(words), 2, 1000) == 0);
	CHECK(t, ((struct nlattr *)(buf + 20))->nla_len == NLA_HDRLEN + 3);
	CHECK(t, memcmp(buf + 24, "hi", 3) == 0);
	CHECK(t, ((struct nlattr *)(buf + 28))->nla_len == NLA_HDRLEN + 4);
	CHECK(t, ((struct nlattr *)(buf + 28))->nla_type == 2);
	memcpy(&value, buf + 32, sizeof(value));
	CHECK(t, value == 1000);
	CHECK(t, nlh->nlmsg_len == 36);
}

/* ---- Walking messages ---- */

static void test_walk_empty(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS] = { 0 };
	const struct nlmsghdr *nlh;
	struct nlm_error err;
	struct nlm_walk walk;

	nlm_walk_init(&walk, words, 0);
	CHECK(t, nlm_walk_next(&walk, &nlh, &err) == 0);
}

static void test_walk_truncated_header(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlmsghdr *nlh;
	struct nlm_error err;
	struct nlm_walk walk;
	struct craft c;

	craft_init(&c, words);
	craft_msg(&c, NLMSG_DONE, 0);
	craft_end(&c);
	nlm_walk_init(&walk, words, 10);
	CHECK(t, nlm_walk_next(&walk, &nlh, &err) == -1);
	CHECK(t, strstr(err.text, "10 trailing bytes") != NULL);
}

static void test_walk_len_below_header(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlmsghdr *nlh;
	struct nlm_error err;
	struct nlm_walk walk;
	struct craft c;

	craft_init(&c, words);
	craft_msg(&c, NLMSG_DONE, 0)->nlmsg_len = NLMSG_HDRLEN - 1;
	nlm_walk_init(&walk, words, 32);
	CHECK(t, nlm_walk_next(&walk, &nlh, &err) == -1);
	CHECK(t, strstr(err.text, "shorter than its header") != NULL);
}

static void test_walk_len_past_end(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlmsghdr *nlh;
	struct nlm_error err;
	struct nlm_walk walk;
	struct craft c;

	craft_init(&c, words);
	craft_msg(&c, NLMSG_DONE, 0)->nlmsg_len = 21;
	nlm_walk_init(&walk, words, 20);
	CHECK(t, nlm_walk_next(&walk, &nlh, &err) == -1);
	CHECK(t, strstr(err.text, "only 20 bytes") != NULL);
}

static void test_walk_two_messages(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlmsghdr *nlh = NULL;
	struct nlm_error err;
	struct nlm_walk walk;
	struct craft c;

	/* A 21-byte message is followed by 3 bytes of padding, then the next one. */
	craft_init(&c, words);
	craft_msg(&c, 0x22, NLM_F_MULTI);
	craft_bytes(&c, "xyzw", 5);
	craft_end(&c);
	craft_msg(&c, NLMSG_DONE, NLM_F_MULTI);
	craft_end(&c);
	CHECK(t, c.len == 40);

	nlm_walk_init(&walk, words, c.len);
	CHECK(t, nlm_walk_next(&walk, &nlh, &err) == 1);
	CHECK(t, nlh == (const struct nlmsghdr *)words && nlh->nlmsg_len == 21);
	CHECK(t, nlm_walk_next(&walk, &nlh, &err) == 1);
	CHECK(t, nlh == (const struct nlmsghdr *)(c.buf + 24));
	CHECK(t, nlh->nlmsg_type == NLMSG_DONE);
	CHECK(t, nlm_walk_next(&walk, &nlh, &err) == 0);
}

static void test_walk_last_message_unpadded(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlmsghdr *nlh;
	struct nlm_error err;
	struct nlm_walk walk;
	struct craft c;

	craft_init(&c, words);
	craft_msg(&c, 0x22, 0);
	craft_bytes(&c, "x", 1);
	craft_end(&c);
	nlm_walk_init(&walk, words, 17);
	CHECK(t, nlm_walk_next(&walk, &nlh, &err) == 1);
	CHECK(t, nlm_walk_next(&walk, &nlh, &err) == 0);
}

static void test_walk_trailing_bytes(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlmsghdr *nlh;
	struct nlm_error err;
	struct nlm_walk walk;
	struct craft c;

	craft_init(&c, words);
	craft_msg(&c, 0x22, 0);
	craft_end(&c);
	nlm_walk_init(&walk, words, NLMSG_HDRLEN + 8);
	CHECK(t, nlm_walk_next(&walk, &nlh, &err) == 1);
	CHECK(t, nlm_walk_next(&walk, &nlh, &err) == -1);
}

/* ---- Attributes ---- */

enum { T_UNSPEC, T_U32, T_STR, T_U16, T_NEST, T_BIN, T_UNEXP, T_MAX = T_UNEXP };

static const struct nlm_attr_policy test_policy[T_MAX + 1] = {
	[T_U32]		= { NLM_ATTR_U32, 0, "T_U32" },
	[T_STR]		= { NLM_ATTR_STRING, 8, "T_STR" },
	[T_U16]		= { NLM_ATTR_U16, 0, "T_U16" },
	[T_NEST]	= { NLM_ATTR_NESTED, 0, "T_NEST" },
	[T_BIN]		= { NLM_ATTR_BINARY, 4, "T_BIN" },
	[T_UNEXP]	= { NLM_ATTR_UNEXPECTED, 0, "T_UNEXP" },
};

/* Parses the attribute stream crafted in @c against test_policy. */
static int parse_crafted(const struct craft *c, size_t len, const struct nlattr **tb,
			 struct nlm_error *err)
{
	return nlm_parse_attrs(c->buf, len, test_policy, T_MAX, tb, err);
}

static void test_attrs_valid(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlattr *tb[T_MAX + 1];
	struct nlm_error err;
	uint16_t u16 = 513;
	struct craft c;

	craft_init(&c, words);
	craft_u32(&c, T_U32, 0xdeadbeef);
	craft_str(&c, T_STR, "1234567");
	craft_attr(&c, T_U16, &u16, sizeof(u16));
	CHECK(t, parse_crafted(&c, c.len, tb, &err) == 0);
	CHECK(t, tb[T_UNSPEC] == NULL && tb[T_NEST] == NULL && tb[T_BIN] == NULL);
	CHECK(t, tb[T_U32] && nlm_attr_get_u32(tb[T_U32]) == 0xdeadbeef);
	CHECK(t, tb[T_STR] && strcmp(nlm_attr_get_str(tb[T_STR]), "1234567") == 0);
	CHECK(t, tb[T_U16] && nlm_attr_get_u16(tb[T_U16]) == 513);
}

static void test_attrs_empty(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlattr *tb[T_MAX + 1];
	struct nlm_error err;
	struct craft c;
	int i;

	craft_init(&c, words);
	memset(tb, 0xff, sizeof(tb));
	CHECK(t, parse_crafted(&c, 0, tb, &err) == 0);
	for (i = 0; i <= T_MAX; i++)
		CHECK(t, tb[i] == NULL);
}

static void test_attrs_len_below_header(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlattr *tb[T_MAX + 1];
	struct nlm_error err;
	struct craft c;

	craft_init(&c, words);
	craft_attr_raw(&c, T_U32, 2, "\0\0\0\0", 4);
	CHECK(t, parse_crafted(&c, c.len, tb, &err) == -1);
	CHECK(t, strstr(err.text, "shorter than its header") != NULL);
}

static void test_attrs_len_past_end(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlattr *tb[T_MAX + 1];
	struct nlm_error err;
	struct craft c;

	craft_init(&c, words);
	craft_u32(&c, T_U32, 1);
	/* The whole buffer is 8 bytes, but parse only 7 of them. */
	CHECK(t, parse_crafted(&c, c.len - 1, tb, &err) == -1);
	CHECK(t, strstr(err.text, "only 7 bytes left") != NULL);
}

static void test_attrs_stray_bytes(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlattr *tb[T_MAX + 1];
	struct nlm_error err;
	struct craft c;

	craft_init(&c, words);
	craft_u32(&c, T_U32, 1);
	CHECK(t, parse_crafted(&c, c.len + 2, tb, &err) == -1);
	CHECK(t, strstr(err.text, "2 stray bytes") != NULL);
}

static void test_attrs_wrong_int_sizes(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlattr *tb[T_MAX + 1];
	struct nlm_error err;
	uint32_t u32 = 1;
	uint16_t u16 = 1;
	struct craft c;

	craft_init(&c, words);
	craft_attr(&c, T_U32, &u16, sizeof(u16));
	CHECK(t, parse_crafted(&c, c.len, tb, &err) == -1);
	CHECK(t, strstr(err.text, "T_U32 has a payload of 2 bytes") != NULL);

	craft_init(&c, words);
	craft_attr(&c, T_U16, &u32, sizeof(u32));
	CHECK(t, parse_crafted(&c, c.len, tb, &err) == -1);
	CHECK(t, strstr(err.text, "T_U16") != NULL);
}

static void test_attrs_bad_strings(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlattr *tb[T_MAX + 1];
	struct nlm_error err;
	struct craft c;

	craft_init(&c, words);
	craft_attr(&c, T_STR, "abc", 3);
	CHECK(t, parse_crafted(&c, c.len, tb, &err) == -1);
	CHECK(t, strstr(err.text, "not a NUL-terminated string") != NULL);

	craft_init(&c, words);
	craft_attr(&c, T_STR, "", 0);
	CHECK(t, parse_crafted(&c, c.len, tb, &err) == -1);

	/* max_len 8 counts the NUL: 7 characters fit, 8 do not. */
	craft_init(&c, words);
	craft_str(&c, T_STR, "12345678");
	CHECK(t, parse_crafted(&c, c.len, tb, &err) == -1);
	CHECK(t, strstr(err.text, "T_STR has a payload of 9 bytes") != NULL);
}

static void test_attrs_unexpected_types(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlattr *tb[T_MAX + 1];
	struct nlm_error err;
	struct craft c;

	craft_init(&c, words);
	craft_u32(&c, T_UNEXP, 1);
	CHECK(t, parse_crafted(&c, c.len, tb, &err) == -1);
	CHECK(t, strstr(err.text, "unexpected attribute T_UNEXP") != NULL);

	/* Type 0 has no name in the table: it is reported by number. */
	craft_init(&c, words);
	craft_u32(&c, T_UNSPEC, 1);
	CHECK(t, parse_crafted(&c, c.len, tb, &err) == -1);
	CHECK(t, strstr(err.text, "unexpected attribute of type 0") != NULL);
}

static void test_attrs_unknown_type_skipped(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlattr *tb[T_MAX + 1];
	struct nlm_error err;
	struct craft c;

	craft_init(&c, words);
	craft_attr(&c, 42, "anything", 3);
	craft_u32(&c, T_U32, 5);
	CHECK(t, parse_crafted(&c, c.len, tb, &err) == 0);
	CHECK(t, tb[T_U32] && nlm_attr_get_u32(tb[T_U32]) == 5);
}

static void test_attrs_nested(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlattr *tb[T_MAX + 1];
	struct nlm_error err;
	struct craft c;

	/* NLA_F_NESTED is a flag on the type, not part of it. */
	craft_init(&c, words);
	craft_attr(&c, T_NEST | NLA_F_NESTED, "\x08\0\x01\0\1\0\0\0", 8);
	CHECK(t, parse_crafted(&c, c.len, tb, &err) == 0);
	CHECK(t, tb[T_NEST] != NULL);

	craft_init(&c, words);
	craft_attr(&c, T_NEST | NLA_F_NESTED, "", 0);
	CHECK(t, parse_crafted(&c, c.len, tb, &err) == 0);

	craft_init(&c, words);
	craft_attr(&c, T_NEST | NLA_F_NESTED, "ab", 2);
	CHECK(t, parse_crafted(&c, c.len, tb, &err) == -1);
}

static void test_attrs_binary_max(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlattr *tb[T_MAX + 1];
	struct nlm_error err;
	struct craft c;

	craft_init(&c, words);
	craft_attr(&c, T_BIN, "abcd", 4);
	CHECK(t, parse_crafted(&c, c.len, tb, &err) == 0);

	craft_init(&c, words);
	craft_attr(&c, T_BIN, "abcde", 5);
	CHECK(t, parse_crafted(&c, c.len, tb, &err) == -1);
}

static void test_attrs_last_unpadded(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlattr *tb[T_MAX + 1];
	struct nlm_error err;
	struct craft c;

	craft_init(&c, words);
	craft_str(&c, T_STR, "abcd");
	CHECK(t, parse_crafted(&c, NLA_HDRLEN + 5, tb, &err) == 0);
	CHECK(t, tb[T_STR] && strcmp(nlm_attr_get_str(tb[T_STR]), "abcd") == 0);
}

static void test_parse_genl(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlattr *tb[T_MAX + 1];
	struct genlmsghdr genl = { .cmd = 9, .version = 1 };
	const struct nlmsghdr *nlh;
	struct nlm_error err;
	uint8_t cmd = 0;
	struct craft c;

	craft_init(&c, words);
	nlh = craft_msg(&c, 0x22, 0);
	craft_bytes(&c, &genl, 2);
	craft_end(&c);
	CHECK(t, nlm_parse_genl(nlh, &cmd, test_policy, T_MAX, tb, &err) == -1);
	CHECK(t, strstr(err.text, "no Generic Netlink header") != NULL);

	craft_init(&c, words);
	nlh = craft_msg(&c, 0x22, 0);
	craft_bytes(&c, &genl, sizeof(genl));
	craft_u32(&c, T_U32, 77);
	craft_end(&c);
	CHECK(t, nlm_parse_genl(nlh, &cmd, test_policy, T_MAX, tb, &err) == 0);
	CHECK(t, cmd == 9);
	CHECK(t, tb[T_U32] && nlm_attr_get_u32(tb[T_U32]) == 77);

	/* The attributes are bounded by nlmsg_len, not by what follows in memory. */
	craft_init(&c, words);
	nlh = craft_msg(&c, 0x22, 0);
	craft_bytes(&c, &genl, sizeof(genl));
	craft_end(&c);
	craft_u32(&c, T_UNEXP, 1);
	CHECK(t, nlm_parse_genl(nlh, &cmd, test_policy, T_MAX, tb, &err) == 0);
	CHECK(t, tb[T_UNEXP] == NULL);
}

static void test_attr_type_at(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	struct nlmsghdr *req;

	req = nlm_put_genl_header(words, sizeof(words), 0x22, NLM_F_REQUEST, 1, 1, 1);
	nlm_put_strz(req, sizeof(words), 1, "hello");	/* bytes 20..31 */
	nlm_put_u32(req, sizeof(words), 2, 3);		/* bytes 32..39 */
	CHECK(t, nlm_attr_type_at(req, GENL_HDRLEN, 20) == 1);
	CHECK(t, nlm_attr_type_at(req, GENL_HDRLEN, 25) == 1);
	CHECK(t, nlm_attr_type_at(req, GENL_HDRLEN, 32) == 2);
	CHECK(t, nlm_attr_type_at(req, GENL_HDRLEN, 16) == -1);
	CHECK(t, nlm_attr_type_at(req, GENL_HDRLEN, 40) == -1);
}

/* ---- NLMSG_ERROR ---- */

static void test_ack_capped_success(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlmsghdr *nlh;
	struct nlm_error err;
	struct nlm_ack ack;
	struct craft c;

	craft_init(&c, words);
	nlh = craft_msg(&c, NLMSG_ERROR, NLM_F_CAPPED);
	craft_nlmsgerr(&c, 0, 36);
	craft_end(&c);
	CHECK(t, nlm_parse_error_msg(nlh, &ack, &err) == 0);
	CHECK(t, ack.error == 0 && ack.msg[0] == '\0');
	CHECK(t, !ack.has_offs && !ack.has_miss_type && !ack.has_miss_nest);
}

static void test_ack_uncapped_with_tlvs(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlmsghdr *nlh;
	struct nlm_error err;
	struct nlm_ack ack;
	struct craft c;

	/* The quoted request is 21 bytes: its 16-byte header and 5 payload bytes. */
	craft_init(&c, words);
	nlh = craft_msg(&c, NLMSG_ERROR, NLM_F_ACK_TLVS);
	craft_nlmsgerr(&c, -EINVAL, 21);
	craft_bytes(&c, "\1\2\3\4\5", 5);
	craft_align(&c);
	craft_str(&c, NLMSGERR_ATTR_MSG, "bad message");
	craft_u32(&c, NLMSGERR_ATTR_OFFS, 20);
	craft_end(&c);
	CHECK(t, nlm_parse_error_msg(nlh, &ack, &err) == 0);
	CHECK(t, ack.error == EINVAL);
	CHECK(t, strcmp(ack.msg, "bad message") == 0);
	CHECK(t, ack.has_offs && ack.offs == 20);
	CHECK(t, !ack.has_miss_type);
}

static void test_ack_capped_error_with_tlvs(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlmsghdr *nlh;
	struct nlm_error err;
	struct nlm_ack ack;
	struct craft c;

	/* Capped: the quoted header says 100 bytes, but only the header is there. */
	craft_init(&c, words);
	nlh = craft_msg(&c, NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS);
	craft_nlmsgerr(&c, -EINVAL, 100);
	craft_str(&c, NLMSGERR_ATTR_MSG, "missing");
	craft_u32(&c, NLMSGERR_ATTR_MISS_TYPE, 1);
	craft_u32(&c, NLMSGERR_ATTR_MISS_NEST, 24);
	craft_end(&c);
	CHECK(t, nlm_parse_error_msg(nlh, &ack, &err) == 0);
	CHECK(t, ack.error == EINVAL && strcmp(ack.msg, "missing") == 0);
	CHECK(t, ack.has_miss_type && ack.miss_type == 1);
	CHECK(t, ack.has_miss_nest && ack.miss_nest == 24);
}

static void test_ack_without_tlvs_flag(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlmsghdr *nlh;
	struct nlm_error err;
	struct nlm_ack ack;
	struct craft c;

	/* Bytes after the quoted request are not TLVs unless NLM_F_ACK_TLVS says so. */
	craft_init(&c, words);
	nlh = craft_msg(&c, NLMSG_ERROR, 0);
	craft_nlmsgerr(&c, -ENOENT, 16);
	craft_bytes(&c, "\xff\xff\xff\xff\xff", 5);
	craft_end(&c);
	CHECK(t, nlm_parse_error_msg(nlh, &ack, &err) == 0);
	CHECK(t, ack.error == ENOENT && ack.msg[0] == '\0' && !ack.has_offs);
}

static void test_ack_too_short(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlmsghdr *nlh;
	struct nlm_error err;
	struct nlm_ack ack;
	struct craft c;

	craft_init(&c, words);
	nlh = craft_msg(&c, NLMSG_ERROR, NLM_F_CAPPED);
	craft_bytes(&c, "\0\0\0\0\0\0\0\0", 8);
	craft_end(&c);
	CHECK(t, nlm_parse_error_msg(nlh, &ack, &err) == -1);
	CHECK(t, strstr(err.text, "shorter than struct nlmsgerr") != NULL);
}

static void test_ack_quoted_request_bad_len(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlmsghdr *nlh;
	struct nlm_error err;
	struct nlm_ack ack;
	struct craft c;

	/* Uncapped, but the quoted request claims more bytes than follow. */
	craft_init(&c, words);
	nlh = craft_msg(&c, NLMSG_ERROR, 0);
	craft_nlmsgerr(&c, -EINVAL, 24);
	craft_bytes(&c, "\0\0\0", 3);
	craft_end(&c);
	CHECK(t, nlm_parse_error_msg(nlh, &ack, &err) == -1);
	CHECK(t, strstr(err.text, "quotes a request of 24 bytes, but 19 follow") != NULL);

	/* A quoted length below a header's size is no request at all. */
	craft_init(&c, words);
	nlh = craft_msg(&c, NLMSG_ERROR, 0);
	craft_nlmsgerr(&c, -EINVAL, 8);
	craft_end(&c);
	CHECK(t, nlm_parse_error_msg(nlh, &ack, &err) == -1);
}

static void test_ack_bad_tlvs(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlmsghdr *nlh;
	struct nlm_error err;
	struct nlm_ack ack;
	struct craft c;

	craft_init(&c, words);
	nlh = craft_msg(&c, NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS);
	craft_nlmsgerr(&c, -EINVAL, 16);
	craft_attr(&c, NLMSGERR_ATTR_MSG, "unterminated", 12);
	craft_end(&c);
	CHECK(t, nlm_parse_error_msg(nlh, &ack, &err) == -1);
	CHECK(t, strstr(err.text, "NLMSGERR_ATTR_MSG is not a NUL-terminated") != NULL);

	craft_init(&c, words);
	nlh = craft_msg(&c, NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS);
	craft_nlmsgerr(&c, -EINVAL, 16);
	craft_attr(&c, NLMSGERR_ATTR_OFFS, "\0\0", 2);
	craft_end(&c);
	CHECK(t, nlm_parse_error_msg(nlh, &ack, &err) == -1);
	CHECK(t, strstr(err.text, "NLMSGERR_ATTR_OFFS has a payload of 2") != NULL);

	craft_init(&c, words);
	nlh = craft_msg(&c, NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS);
	craft_nlmsgerr(&c, -EINVAL, 16);
	craft_attr_raw(&c, NLMSGERR_ATTR_MSG, 64, "x\0\0\0", 4);
	craft_end(&c);
	CHECK(t, nlm_parse_error_msg(nlh, &ack, &err) == -1);
}

static void test_ack_bad_status(struct tally *t)
{
	static const int bad[] = { 1, EINVAL, -4096, INT_MIN };
	uint32_t words[TEST_BUF_WORDS];
	const struct nlmsghdr *nlh;
	struct nlm_error err;
	struct nlm_ack ack;
	struct craft c;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		craft_init(&c, words);
		nlh = craft_msg(&c, NLMSG_ERROR, NLM_F_CAPPED);
		craft_nlmsgerr(&c, bad[i], 16);
		craft_end(&c);
		CHECK(t, nlm_parse_error_msg(nlh, &ack, &err) == -1);
	}
	craft_init(&c, words);
	nlh = craft_msg(&c, NLMSG_ERROR, NLM_F_CAPPED);
	craft_nlmsgerr(&c, -4095, 16);
	craft_end(&c);
	CHECK(t, nlm_parse_error_msg(nlh, &ack, &err) == 0 && ack.error == 4095);
}

static void test_ack_tlvs_flag_without_tlvs(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlmsghdr *nlh;
	struct nlm_error err;
	struct nlm_ack ack;
	struct craft c;

	/* The kernel sets the flag before it knows the TLVs fit; it may send none. */
	craft_init(&c, words);
	nlh = craft_msg(&c, NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS);
	craft_nlmsgerr(&c, -ENOMEM, 16);
	craft_end(&c);
	CHECK(t, nlm_parse_error_msg(nlh, &ack, &err) == 0 && ack.error == ENOMEM);
	CHECK(t, ack.msg[0] == '\0');
}

static void test_ack_unknown_and_other_tlvs(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlmsghdr *nlh;
	struct nlm_error err;
	struct nlm_ack ack;
	struct craft c;

	craft_init(&c, words);
	nlh = craft_msg(&c, NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS);
	craft_nlmsgerr(&c, -EINVAL, 16);
	craft_attr(&c, 42, "future", 6);
	craft_attr(&c, NLMSGERR_ATTR_COOKIE, "\1\2\3\4\5\6\7\10", 8);
	craft_attr(&c, NLMSGERR_ATTR_POLICY | NLA_F_NESTED, "\x08\0\x01\0\1\0\0\0", 8);
	craft_str(&c, NLMSGERR_ATTR_MSG, "line one\nline two");
	craft_end(&c);
	CHECK(t, nlm_parse_error_msg(nlh, &ack, &err) == 0);
	CHECK(t, strcmp(ack.msg, "line one?line two") == 0);
}

static void test_ack_long_message_truncated(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlmsghdr *nlh;
	struct nlm_error err;
	struct nlm_ack ack;
	char text[300];
	struct craft c;

	memset(text, 'm', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	craft_init(&c, words);
	nlh = craft_msg(&c, NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS);
	craft_nlmsgerr(&c, -EINVAL, 16);
	craft_str(&c, NLMSGERR_ATTR_MSG, text);
	craft_end(&c);
	CHECK(t, nlm_parse_error_msg(nlh, &ack, &err) == 0);
	CHECK(t, strlen(ack.msg) == sizeof(ack.msg) - 1);
}

/* ---- NLMSG_DONE ---- */

static void test_done(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlmsghdr *nlh;
	struct nlm_error err;
	struct nlm_ack ack;
	int status = 0;
	struct craft c;

	craft_init(&c, words);
	nlh = craft_msg(&c, NLMSG_DONE, NLM_F_MULTI);
	craft_bytes(&c, &status, sizeof(status));
	craft_end(&c);
	CHECK(t, nlm_parse_done_msg(nlh, &ack, &err) == 0 && ack.error == 0);

	status = -ENOBUFS;
	craft_init(&c, words);
	nlh = craft_msg(&c, NLMSG_DONE, NLM_F_MULTI | NLM_F_ACK_TLVS);
	craft_bytes(&c, &status, sizeof(status));
	craft_str(&c, NLMSGERR_ATTR_MSG, "dump failed");
	craft_end(&c);
	CHECK(t, nlm_parse_done_msg(nlh, &ack, &err) == 0);
	CHECK(t, ack.error == ENOBUFS && strcmp(ack.msg, "dump failed") == 0);

	craft_init(&c, words);
	nlh = craft_msg(&c, NLMSG_DONE, NLM_F_MULTI);
	craft_end(&c);
	CHECK(t, nlm_parse_done_msg(nlh, &ack, &err) == -1);
	CHECK(t, strstr(err.text, "carries no status") != NULL);

	status = 3;
	craft_init(&c, words);
	nlh = craft_msg(&c, NLMSG_DONE, NLM_F_MULTI);
	craft_bytes(&c, &status, sizeof(status));
	craft_end(&c);
	CHECK(t, nlm_parse_done_msg(nlh, &ack, &err) == -1);
}

int run_nl_msg_tests(void)
{
	static void (*const tests[])(struct tally *) = {
		test_put_genl_header,
		test_put_attr_pads,
		test_put_attr_no_room,
		test_put_strz_u32,
		test_walk_empty,
		test_walk_truncated_header,
		test_walk_len_below_header,
		test_walk_len_past_end,
		test_walk_two_messages,
		test_walk_last_message_unpadded,
		test_walk_trailing_bytes,
		test_attrs_valid,
		test_attrs_empty,
		test_attrs_len_below_header,
		test_attrs_len_past_end,
		test_attrs_stray_bytes,
		test_attrs_wrong_int_sizes,
		test_attrs_bad_strings,
		test_attrs_unexpected_types,
		test_attrs_unknown_type_skipped,
		test_attrs_nested,
		test_attrs_binary_max,
		test_attrs_last_unpadded,
		test_parse_genl,
		test_attr_type_at,
		test_ack_capped_success,
		test_ack_uncapped_with_tlvs,
		test_ack_capped_error_with_tlvs,
		test_ack_without_tlvs_flag,
		test_ack_too_short,
		test_ack_quoted_request_bad_len,
		test_ack_bad_tlvs,
		test_ack_bad_status,
		test_ack_tlvs_flag_without_tlvs,
		test_ack_unknown_and_other_tlvs,
		test_ack_long_message_truncated,
		test_done,
	};
	struct tally t = { 0, 0 };
	size_t i;

	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		tests[i](&t);
	printf("nl_msg checks: %d passed, %d failed\n", t.passed, t.failed);
	return t.failed;
}
