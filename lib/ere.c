/* ere.c - a subset of POSIX extended regular expressions; see ere.h */
#include "ere.h"

#include <stdint.h>
#include <string.h>

/*
 * A subset of POSIX extended regular expressions, compiled to a DFA.
 *
 * The pattern is parsed by recursive descent straight into a Glushkov
 * automaton: one position per character set in the expanded pattern (a
 * counted repetition is parsed again for each copy), with first, last and
 * follow sets as 128-bit masks.  Only the language matters (the caller
 * asks whether the whole subject matches, nothing about subexpressions),
 * so x{m,n} is built as m copies of x and n - m copies of x?.  The subset
 * construction then gives at most ERE_STATES states over at most
 * ERE_CLASSES classes of bytes that no set tells apart.  Whatever the
 * parser does not know, or that does not fit, is refused, and the caller
 * goes on with regexec.
 */
#define ERE_POS 128
#define ERE_DEPTH 32

struct ere_set {
	uint64_t w[2];
};

struct ere_frag {
	bool nullable;
	struct ere_set first, last;
};

struct ere_build {
	const char *p;			/* next pattern byte */
	int npos, depth;
	bool bad;			/* refused: unknown or too big */
	unsigned char cs[ERE_POS][32];	/* character set of each position */
	struct ere_set follow[ERE_POS];
};

static void
set_or(struct ere_set *a, const struct ere_set *b)
{
	a->w[0] |= b->w[0];
	a->w[1] |= b->w[1];
}

static bool
set_has(const struct ere_set *a, int i)
{
	return (a->w[i >> 6] >> (i & 63)) & 1;
}

static bool
set_empty(const struct ere_set *a)
{
	return (a->w[0] | a->w[1]) == 0;
}

static struct ere_frag
frag_empty(void)
{
	struct ere_frag f;

	memset(&f, 0, sizeof f);
	f.nullable = true;
	return f;
}

/* a then b */
static struct ere_frag
frag_cat(struct ere_build *b, struct ere_frag x, const struct ere_frag *y)
{
	int i;

	for (i = 0; i < b->npos; i++)
		if (set_has(&x.last, i))
			set_or(&b->follow[i], &y->first);
	if (x.nullable)
		set_or(&x.first, &y->first);
	if (y->nullable)
		set_or(&x.last, &y->last);
	else
		x.last = y->last;
	x.nullable = x.nullable && y->nullable;
	return x;
}

/* x repeated once or more: every last position may go back to a first */
static void
frag_loop(struct ere_build *b, const struct ere_frag *x)
{
	int i;

	for (i = 0; i < b->npos; i++)
		if (set_has(&x->last, i))
			set_or(&b->follow[i], &x->first);
}

static struct ere_frag ere_alt(struct ere_build *b);

/* Special outside brackets: these are never taken as literals here. */
static bool
ere_special(int c)
{
	return strchr("^.[]$()|*+?{}\\", c) != NULL;
}

static bool
ere_same_kind(unsigned a, unsigned b)
{
	return (a >= '0' && a <= '9' && b >= '0' && b <= '9') ||
	    (a >= 'A' && a <= 'Z' && b >= 'A' && b <= 'Z') ||
	    (a >= 'a' && a <= 'z' && b >= 'a' && b <= 'z');
}

static int
ere_bracket(struct ere_build *b, unsigned char *cs)
{
	const unsigned char *p = (const unsigned char *)b->p;
	bool neg = false, firstc = true;
	unsigned lo, hi, c;

	memset(cs, 0, 32);
	if (*p == '^') {
		neg = true;
		p++;
	}
	for (;; firstc = false) {
		c = *p;
		if (c == '\0' || c >= 0x80 || c == '\\' ||
		    (c == '[' && (p[1] == ':' || p[1] == '.' || p[1] == '=')))
			return -1;
		if (c == ']' && !firstc)
			break;
		lo = hi = c;
		p++;
		if (*p == '-' && p[1] != ']') {
			/* ranges only within digits, upper or lower case */
			hi = p[1];
			if (!ere_same_kind(lo, hi) || hi < lo)
				return -1;
			p += 2;
		} else if (c == '-' && !firstc && *p != ']')
			return -1;	/* a '-' that could end a range */
		for (c = lo; c <= hi; c++)
			cs[c >> 3] |= (unsigned char)(1u << (c & 7));
	}
	b->p = (const char *)p + 1;
	if (neg)
		for (c = 0; c < 32; c++)
			cs[c] = (unsigned char)~cs[c];
	cs[0] &= (unsigned char)~1u;	/* never NUL */
	return 0;
}

/* One atom: a character, '.', a bracket expression or a group. */
static struct ere_frag
ere_atom(struct ere_build *b)
{
	struct ere_frag f = frag_empty();
	unsigned char cs[32];
	int c = (unsigned char)*b->p, i;

	if (c == '(') {
		if (++b->depth > ERE_DEPTH) {
			b->bad = true;
			return f;
		}
		b->p++;
		f = ere_alt(b);
		if (*b->p != ')')
			b->bad = true;
		else
			b->p++;
		b->depth--;
		return f;
	}
	if (c == '.') {
		memset(cs, 0xff, sizeof cs);
		cs[0] &= (unsigned char)~1u;
		b->p++;
	} else if (c == '[') {
		b->p++;
		if (ere_bracket(b, cs) != 0) {
			b->bad = true;
			return f;
		}
	} else if (c == '\\' && b->p[1] != '\0' && ere_special(b->p[1])) {
		memset(cs, 0, sizeof cs);
		c = (unsigned char)b->p[1];
		cs[c >> 3] = (unsigned char)(1u << (c & 7));
		b->p += 2;
	} else if (c == '\0' || c >= 0x80 || ere_special(c)) {
		b->bad = true;
		return f;
	} else {
		memset(cs, 0, sizeof cs);
		cs[c >> 3] = (unsigned char)(1u << (c & 7));
		b->p++;
	}
	if (b->npos == ERE_POS) {
		b->bad = true;
		return f;
	}
	i = b->npos++;
	memcpy(b->cs[i], cs, sizeof cs);
	memset(&b->follow[i], 0, sizeof b->follow[i]);
	f.nullable = false;
	f.first.w[i >> 6] = f.last.w[i >> 6] = (uint64_t)1 << (i & 63);
	return f;
}

/* A decimal bound of an interval, 0..255 here; -1 when none. */
static int
ere_num(struct ere_build *b)
{
	int v = 0, nd = 0;

	while (*b->p >= '0' && *b->p <= '9') {
		v = v * 10 + (*b->p++ - '0');
		if (++nd > 3)
			return -1;
	}
	return nd == 0 ? -1 : v;
}

/* An atom and at most one quantifier. */
static struct ere_frag
ere_piece(struct ere_build *b)
{
	const char *start = b->p;
	struct ere_frag x = ere_atom(b), r, opt, y;
	int m, n, k;

	if (b->bad)
		return x;
	switch (*b->p) {
	case '*':
	case '+':
		frag_loop(b, &x);
		if (*b->p == '*')
			x.nullable = true;
		b->p++;
		break;
	case '?':
		x.nullable = true;
		b->p++;
		break;
	case '{':
		b->p++;
		m = n = ere_num(b);
		if (m >= 0 && *b->p == ',') {
			b->p++;
			n = *b->p == '}' ? -2 : ere_num(b);
		}
		if (m < 0 || n == -1 || *b->p != '}' || (n >= 0 && n < m) ||
		    n == 0) {
			b->bad = true;
			return x;
		}
		b->p++;
		/* m copies, then n - m optional copies or a starred one */
		r = frag_empty();
		for (k = 0; !b->bad && k < (n == -2 ? m + 1 : n); k++) {
			const char *after = b->p;

			if (k > 0) {
				b->p = start;
				y = ere_atom(b);
				b->p = after;
			} else
				y = x;
			if (k >= m) {
				opt = y;
				if (n == -2)
					frag_loop(b, &opt);
				opt.nullable = true;
				y = opt;
			}
			r = frag_cat(b, r, &y);
		}
		x = r;
		break;
	}
	if (*b->p == '*' || *b->p == '+' || *b->p == '?' || *b->p == '{')
		b->bad = true;		/* stacked quantifiers */
	return x;
}

/* One alternative: pieces up to '|', ')' or the end; never empty. */
static struct ere_frag
ere_cat(struct ere_build *b)
{
	struct ere_frag f = frag_empty(), x;
	int n = 0;

	while (!b->bad && *b->p != '\0' && *b->p != '|' && *b->p != ')') {
		x = ere_piece(b);
		f = frag_cat(b, f, &x);
		n++;
	}
	if (n == 0)
		b->bad = true;
	return f;
}

static struct ere_frag
ere_alt(struct ere_build *b)
{
	struct ere_frag f = ere_cat(b), x;

	while (!b->bad && *b->p == '|') {
		b->p++;
		x = ere_cat(b);
		f.nullable = f.nullable || x.nullable;
		set_or(&f.first, &x.first);
		set_or(&f.last, &x.last);
	}
	return f;
}

int
ere_compile(struct ere *re, const char *pattern)
{
	struct ere_build bb, *b = &bb;
	struct ere_frag root;
	struct ere_set st[ERE_STATES], cpos[ERE_CLASSES], f, t;
	int nclass = 0, nstate, i, j, k, c, s;

	memset(re, 0, sizeof *re);
	memset(b, 0, sizeof *b);
	b->p = pattern;
	root = ere_alt(b);
	if (b->bad || *b->p != '\0')
		goto refuse;

	/* Classes: bytes that are in the same character sets. */
	memset(cpos, 0, sizeof cpos);
	for (c = 1; c < 256; c++) {
		memset(&t, 0, sizeof t);
		for (i = 0; i < b->npos; i++)
			if (b->cs[i][c >> 3] & (1u << (c & 7)))
				t.w[i >> 6] |= (uint64_t)1 << (i & 63);
		for (k = 0; k < nclass; k++)
			if (memcmp(&cpos[k], &t, sizeof t) == 0)
				break;
		if (k == nclass) {
			if (nclass == ERE_CLASSES)
				goto refuse;
			cpos[k] = t;
			nclass++;
		}
		re->cls[c] = (unsigned char)k;
	}

	/* States: 0 dead (no position), 1 the start, then by need. */
	memset(st, 0, sizeof st);
	nstate = 2;
	for (s = 1; s < nstate; s++) {
		if (s == 1)
			f = root.first;
		else {
			memset(&f, 0, sizeof f);
			for (i = 0; i < b->npos; i++)
				if (set_has(&st[s], i))
					set_or(&f, &b->follow[i]);
		}
		for (k = 0; k < nclass; k++) {
			t.w[0] = f.w[0] & cpos[k].w[0];
			t.w[1] = f.w[1] & cpos[k].w[1];
			if (set_empty(&t)) {
				j = 0;
			} else {
				for (j = 2; j < nstate; j++)
					if (memcmp(&st[j], &t, sizeof t) == 0)
						break;
				if (j == nstate) {
					if (nstate == ERE_STATES)
						goto refuse;
					st[nstate++] = t;
				}
			}
			re->next[s * ERE_CLASSES + k] = (unsigned char)j;
		}
		t.w[0] = st[s].w[0] & root.last.w[0];
		t.w[1] = st[s].w[1] & root.last.w[1];
		re->accept[s] = !set_empty(&t) || (s == 1 && root.nullable);
	}
	re->ok = true;
	return 0;
refuse:
	memset(re, 0, sizeof *re);
	return -1;
}

bool
ere_match(const struct ere *re, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned st = 1;
	size_t i;

	for (i = 0; i < n && p[i] != '\0'; i++)
		if ((st = re->next[st * ERE_CLASSES + re->cls[p[i]]]) == 0)
			return false;
	return re->accept[st];
}
