/* addr.c - normalising Chinese addresses, longest-prefix table; see addr.h */
#include "addr.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "mem.h"
#include "str.h"

/* Code points the rules name. */
enum {
	CP_HAO = 0x53F7,	/* 号 */
	CP_DONG = 0x680B,	/* 栋 */
	CP_ZHUANG = 0x5E62,	/* 幢 */
	CP_ZUO = 0x5EA7,	/* 座 */
	CP_DAN = 0x5355,	/* 单 */
	CP_YUAN = 0x5143,	/* 元 */
	CP_LOU = 0x697C,	/* 楼 */
	CP_CENG = 0x5C42,	/* 层 */
	CP_SHI = 0x5BA4,	/* 室 */
	CP_HU = 0x6237,		/* 户 */
	CP_NONG = 0x5F04,	/* 弄 */
	CP_XIANG = 0x5DF7,	/* 巷 */
	CP_ZU = 0x7EC4,		/* 组 */
	CP_SHI10 = 0x5341,	/* 十 */
	CP_BAI = 0x767E,	/* 百 */
	CP_QIAN = 0x5343	/* 千 */
};

#define STACK_CPS 512

/* Decode one code point of well-formed UTF-8 at s[*i], advancing *i. */
static uint32_t
decode(const unsigned char *s, size_t *i)
{
	uint32_t c = s[*i];

	if (c < 0x80) {
		*i += 1;
		return c;
	}
	if (c < 0xE0) {
		c = (c & 0x1F) << 6 | (s[*i + 1] & 0x3F);
		*i += 2;
		return c;
	}
	if (c < 0xF0) {
		c = (c & 0x0F) << 12 | (uint32_t)(s[*i + 1] & 0x3F) << 6 |
		    (s[*i + 2] & 0x3F);
		*i += 3;
		return c;
	}
	c = (c & 0x07) << 18 | (uint32_t)(s[*i + 1] & 0x3F) << 12 |
	    (uint32_t)(s[*i + 2] & 0x3F) << 6 | (s[*i + 3] & 0x3F);
	*i += 4;
	return c;
}

static int
encode(struct buf *b, uint32_t c)
{
	unsigned char u[4];
	size_t n;

	if (c < 0x80) {
		u[0] = (unsigned char)c;
		n = 1;
	} else if (c < 0x800) {
		u[0] = (unsigned char)(0xC0 | c >> 6);
		u[1] = (unsigned char)(0x80 | (c & 0x3F));
		n = 2;
	} else if (c < 0x10000) {
		u[0] = (unsigned char)(0xE0 | c >> 12);
		u[1] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
		u[2] = (unsigned char)(0x80 | (c & 0x3F));
		n = 3;
	} else {
		u[0] = (unsigned char)(0xF0 | c >> 18);
		u[1] = (unsigned char)(0x80 | (c >> 12 & 0x3F));
		u[2] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
		u[3] = (unsigned char)(0x80 | (c & 0x3F));
		n = 4;
	}
	return buf_add(b, u, n);
}

/* Whitespace, control and invisible characters: removed. */
static bool
is_space(uint32_t c)
{
	return c <= 0x20 || (c >= 0x7F && c <= 0xA0) || c == 0x1680 ||
	    (c >= 0x2000 && c <= 0x200D) || c == 0x2028 || c == 0x2029 ||
	    c == 0x202F || c == 0x205F || c == 0x2060 || c == 0x3000 ||
	    c == 0xFEFF;
}

/* Separators that carry no place: removed. */
static bool
is_sep(uint32_t c)
{
	return c == ',' || c == '.' || c == 0x3001 || c == 0x3002 ||
	    c == 0xFF61 || c == 0xFF64 || c == 0x00B7 || c == 0x30FB ||
	    c == 0xFF65;
}

static bool
is_dash(uint32_t c)
{
	return (c >= 0x2010 && c <= 0x2015) || c == 0x2212 || c == 0xFE58 ||
	    c == 0xFE63;
}

static bool
is_digit(uint32_t c)
{
	return c >= '0' && c <= '9';
}

static bool
is_alnum(uint32_t c)
{
	return is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* Value of a Chinese numeral character: 0..9, 10/100/1000, or -1. */
static int
cn_value(uint32_t c)
{
	switch (c) {
	case 0x3007: case 0x96F6: return 0;	/* 〇 零 */
	case 0x4E00: return 1;			/* 一 */
	case 0x4E8C: case 0x4E24: return 2;	/* 二 两 */
	case 0x4E09: return 3;			/* 三 */
	case 0x56DB: return 4;			/* 四 */
	case 0x4E94: return 5;			/* 五 */
	case 0x516D: return 6;			/* 六 */
	case 0x4E03: return 7;			/* 七 */
	case 0x516B: return 8;			/* 八 */
	case 0x4E5D: return 9;			/* 九 */
	case CP_SHI10: return 10;
	case CP_BAI: return 100;
	case CP_QIAN: return 1000;
	default: return -1;
	}
}

/* Length of the unit word starting at a[i] (1, 2 for 单元), or 0. */
static size_t
unit_word(const uint32_t *a, size_t i, size_t n)
{
	if (i >= n)
		return 0;
	switch (a[i]) {
	case CP_HAO: case CP_DONG: case CP_ZHUANG: case CP_ZUO: case CP_LOU:
	case CP_CENG: case CP_SHI: case CP_HU: case CP_NONG: case CP_XIANG:
	case CP_ZU:
		return 1;
	case CP_DAN:
		return i + 1 < n && a[i + 1] == CP_YUAN ? 2 : 0;
	default:
		return 0;
	}
}

/*
 * The run r[0..k) of Chinese numerals as ASCII digits into d (room for
 * max(k, 4) digits); returns the number of digits, or 0 when the run does
 * not read as a number.
 */
static size_t
cn_number(const uint32_t *r, size_t k, uint32_t *d)
{
	int v, digit = -1, last = 10000, total = 0;
	bool units = false, zero = false;
	char tmp[8];
	size_t i, nd;

	for (i = 0; i < k; i++)
		if (cn_value(r[i]) >= 10)
			units = true;
	if (!units) {
		for (i = 0; i < k; i++)
			d[i] = (uint32_t)('0' + cn_value(r[i]));
		return k;
	}
	for (i = 0; i < k; i++) {
		v = cn_value(r[i]);
		if (v == 0) {
			/* 零 only after a unit, once, before a smaller part */
			if (digit != -1 || total == 0 || zero)
				return 0;
			zero = true;
		} else if (v < 10) {
			if (digit != -1)
				return 0;
			digit = v;
		} else {
			if (v >= last)
				return 0;
			if (digit == -1) {
				if (v != 10 || total != 0 || zero)
					return 0;
				digit = 1;	/* 十二: 12 */
			}
			if (zero && v * 10 >= last)
				return 0;	/* 零 skipped no unit */
			total += digit * v;
			last = v;
			digit = -1;
			zero = false;
		}
	}
	if (digit != -1) {
		if (zero ? last < 100 : last > 10)
			return 0;	/* 一百五: 105 or 150? */
		total += digit;
	} else if (zero)
		return 0;
	nd = str_fmt_int(tmp, total);
	for (i = 0; i < nd; i++)
		d[i] = (uint32_t)tmp[i];
	return nd;
}

/* Rule 2, character by character: s -> a; returns the count. */
static size_t
pass_chars(const char *s, size_t n, uint32_t *a)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, k = 0;
	uint32_t c;

	while (i < n) {
		c = decode(u, &i);
		if (c >= 0xFF01 && c <= 0xFF5E)
			c -= 0xFEE0;
		if (is_space(c) || is_sep(c))
			continue;
		if (is_dash(c))
			c = '-';
		else if (c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		else if (c == '#' && k > 0 && is_digit(a[k - 1]))
			c = CP_HAO;
		a[k++] = c;
	}
	return k;
}

/* Rule 3, numerals before unit words: a[0..n) -> b; returns the count. */
static size_t
pass_numerals(const uint32_t *a, size_t n, uint32_t *b)
{
	size_t i = 0, j, k = 0, nd;

	while (i < n) {
		if (cn_value(a[i]) < 0) {
			b[k++] = a[i++];
			continue;
		}
		for (j = i; j < n && cn_value(a[j]) >= 0; j++)
			;
		nd = 0;
		if (unit_word(a, j, n) > 0 && (i == 0 || !is_digit(a[i - 1])))
			nd = cn_number(a + i, j - i, b + k);
		if (nd == 0) {
			memcpy(b + k, a + i, (j - i) * sizeof *a);
			nd = j - i;
		}
		k += nd;
		i = j;
	}
	return k;
}

/* Rule 4, unit words, and the UTF-8 output. */
static int
pass_units(const uint32_t *b, size_t n, struct buf *out)
{
	uint32_t prev = 0, c;
	size_t i;

	for (i = 0; i < n; i++) {
		c = b[i];
		if (is_alnum(prev)) {
			if (c == CP_ZHUANG || c == CP_ZUO)
				c = CP_DONG;
			else if (c == CP_HAO && i + 1 < n && (b[i + 1] ==
			    CP_LOU || b[i + 1] == CP_DONG || b[i + 1] ==
			    CP_ZHUANG || b[i + 1] == CP_ZUO)) {
				c = CP_DONG;
				i++;
			} else if (i + 1 == n && is_digit(prev) &&
			    (c == CP_SHI || c == CP_HU))
				break;
		}
		if (encode(out, c) < 0)
			return -1;
		prev = c;
	}
	return 0;
}

int
addr_norm(const char *s, size_t n, struct buf *out, struct err *e)
{
	uint32_t stack[STACK_CPS], *a = stack, *b;
	size_t na, nb;
	int rc = 0;

	buf_reset(out);
	if (n > 0 && !str_utf8_valid(s, n))
		return err_set(e, ERR_DATA, "not UTF-8");
	/* a: at most n code points; b: at most twice as many as a ("十"). */
	if (n > (SIZE_MAX / sizeof *a - 2) / 3)
		return err_nomem(e);
	if (3 * n + 2 > STACK_CPS &&
	    (a = mem_reallocarray(NULL, 3 * n + 2, sizeof *a)) == NULL)
		return err_nomem(e);
	b = a + n;
	na = n > 0 ? pass_chars(s, n, a) : 0;
	nb = pass_numerals(a, na, b);
	if (buf_grow(out, nb) < 0 || pass_units(b, nb, out) < 0) {
		buf_reset(out);
		rc = err_nomem(e);
	} else
		out->p[out->len] = '\0';
	if (a != stack)
		mem_free(a);
	return rc;
}

void
addr_table_init(struct addr_table *t)
{
	strmap_init(&t->map);
	t->key = (struct buf)BUF_INIT;
	t->maxkey = 0;
	t->repeats = 0;
}

int
addr_table_add(struct addr_table *t, const char *addr, size_t n,
    const char *val, size_t vn, struct err *e)
{
	const char *old;
	size_t olen;
	int rc, existed;

	if ((rc = addr_norm(addr, n, &t->key, e)) != 0)
		return rc;
	if (t->key.len == 0)
		return err_set(e, ERR_DATA, "address is empty");
	if ((rc = strmap_put(&t->map, t->key.p, t->key.len, val, vn, &existed,
	    &old, e)) != 0)
		return rc;
	if (existed) {
		(void)strmap_get(&t->map, t->key.p, t->key.len, &olen);
		if (olen != vn || (vn > 0 && memcmp(old, val, vn) != 0))
			return err_set(e, ERR_DATA,
			    "address listed twice with different values");
		t->repeats++;
	} else if (t->key.len > t->maxkey)
		t->maxkey = t->key.len;
	return 0;
}

int
addr_table_match(const struct addr_table *t, const char *q, size_t n,
    struct buf *scratch, const char **val, size_t *vlen, size_t *matched,
    struct err *e)
{
	const unsigned char *u;
	const char *v;
	size_t p, len, l;
	int rc;

	*val = NULL;
	if (vlen != NULL)
		*vlen = 0;
	if (matched != NULL)
		*matched = 0;
	if ((rc = addr_norm(q, n, scratch, e)) != 0)
		return -rc;
	len = scratch->len;
	u = (const unsigned char *)scratch->p;
	for (p = len < t->maxkey ? len : t->maxkey; p > 0; p--) {
		if (p < len && ((u[p] & 0xC0) == 0x80 ||
		    (is_alnum(u[p - 1]) && is_alnum(u[p]))))
			continue;
		if ((v = strmap_get(&t->map, scratch->p, p, &l)) != NULL) {
			*val = v;
			if (vlen != NULL)
				*vlen = l;
			if (matched != NULL)
				*matched = p;
			return 1;
		}
	}
	return 0;
}

size_t
addr_table_count(const struct addr_table *t)
{
	return strmap_count(&t->map);
}

size_t
addr_table_repeats(const struct addr_table *t)
{
	return t->repeats;
}

void
addr_table_free(struct addr_table *t)
{
	strmap_free(&t->map);
	buf_free(&t->key);
	t->maxkey = 0;
	t->repeats = 0;
}
