/* test_ere.c - the schema pattern matcher, against regexec */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ere.h"

static uint64_t xs = 0x2545f4914f6cdd1dULL;

static uint64_t
rnd64(void)
{
	xs ^= xs << 13;
	xs ^= xs >> 7;
	xs ^= xs << 17;
	return xs;
}

static unsigned
rnd(unsigned n)
{
	return (unsigned)(rnd64() % n);
}

/* ---- the regular-expression subset, against regexec ---- */

static bool
re_ref(const regex_t *re, const char *s, size_t n)
{
	char buf[256];

	assert_true(n < sizeof buf);
	memcpy(buf, s, n);
	buf[n] = '\0';
	return regexec(re, buf, 0, NULL, 0) == 0;
}

static void
re_compile_ref(regex_t *re, const char *pattern)
{
	char w[600];

	snprintf(w, sizeof w, "^(%s)$", pattern);
	assert_int_equal(regcomp(re, w, REG_EXTENDED | REG_NOSUB), 0);
}

/*
 * n random subjects: half from the bytes of alpha (and now and then any
 * byte), half the example (a match) with a few bytes changed, added or
 * taken away.
 */
static long
re_compare(const char *pattern, const char *alpha, const char *example,
    int n, int maxlen)
{
	static struct ere d;
	regex_t re;
	char s[128];
	size_t na = strlen(alpha), len, k;
	long hits = 0;
	bool a, b;
	int i;

	re_compile_ref(&re, pattern);
	if (ere_compile(&d, pattern) != 0)
		fail_msg("pattern %s refused", pattern);
	assert_true(d.ok);
	for (i = 0; i < n; i++) {
		if (i % 2) {
			len = rnd((unsigned)maxlen + 1);
			for (k = 0; k < len; k++)
				s[k] = rnd(16) ? alpha[rnd((unsigned)na)] :
				    (char)(1 + rnd(255));
		} else {
			len = strlen(example);
			memcpy(s, example, len);
			for (k = rnd(3); k > 0; k--) {
				size_t at = rnd((unsigned)len + 1);

				switch (rnd(3)) {
				case 0:
					if (at < len)
						s[at] = alpha[rnd((unsigned)na)];
					break;
				case 1:
					memmove(s + at + 1, s + at, len - at);
					s[at] = alpha[rnd((unsigned)na)];
					len++;
					break;
				default:
					if (at < len) {
						memmove(s + at, s + at + 1,
						    len - at - 1);
						len--;
					}
				}
			}
		}
		a = re_ref(&re, s, len);
		b = ere_match(&d, s, len);
		if (a != b)
			fail_msg("pattern %s, subject %.*s: regexec %d, dfa %d",
			    pattern, (int)len, s, a, b);
		hits += a;
	}
	regfree(&re);
	return hits;
}

static void
gen_pattern(char *o, size_t *len, int depth)
{
	static const char lits[] = "ab0-_Z ,:";
	static const char *const sets[] = {
		"[ab]", "[0-9]", "[a-z0]", "[^a]", "[-a]", "[a-]", "[]a]",
		"[^]b]", ".", "\\.", "[A-Z_-]", "[[a]", "\\(", "[0-9A-HJ-N]",
		"\\*", "\\|"
	};
	static const char *const quant[] = {
		"*", "+", "?", "{2}", "{1,3}", "{0,2}", "{2,}", "{0,}", "{1}",
		"{3,3}", "{0,1}"
	};
	const char *c;
	unsigned k = depth > 3 ? rnd(3) : rnd(8);

	if (k < 2)
		o[(*len)++] = lits[rnd(sizeof lits - 1)];
	else if (k == 2) {
		c = sets[rnd(sizeof sets / sizeof *sets)];
		memcpy(o + *len, c, strlen(c));
		*len += strlen(c);
	} else if (k == 3) {
		o[(*len)++] = '(';
		gen_pattern(o, len, depth + 1);
		while (rnd(2)) {
			o[(*len)++] = '|';
			gen_pattern(o, len, depth + 1);
		}
		o[(*len)++] = ')';
	} else {
		gen_pattern(o, len, depth + 1);
		gen_pattern(o, len, depth + 1);
		return;		/* no quantifier on a sequence */
	}
	if (rnd(3) == 0) {
		c = quant[rnd(sizeof quant / sizeof *quant)];
		memcpy(o + *len, c, strlen(c));
		*len += strlen(c);
	}
}

static void
test_ere(void **state)
{
	static const char *const refused[] = {
		"", "^a", "a$", "(a)\\1", "[[:digit:]]", "[[.a.]]", "[[=a=]]",
		"[a-9]", "[0-z]", "[!--]", "[a-z-9]", "a**", "a+?", "a{2}{3}",
		"()", "a|", "|a", "(|a)", "(a", "a)", "a)|(b", "\\d", "\\w",
		"[\\d]", "é", "[é]", "{1}", "*a", "a{", "a{1", "a{,2}",
		"a{2,1}", "a{0}", "a{1000}", "[z-a]", "[a", "]", "}",
		"(a{0,100}){0,100}", "[0-9]{200}", "a{1,2", "(((((((((((((((((((((((((((((((((a)))))))))))))))))))))))))))))))))"
	};
	static const char *const patterns[][3] = {
		/* schemas/ *.yaml and the CLI test schema */
		{ "[A-Za-z0-9-]{1,32}", "aZ09-_ ", "E2017-000123" },
		{ "[0-9]{2}([0-9]{2,3}([0-9]{2})?)?", "0123456789a", "0102301" },
		{ "[0-9]{6,20}", "0123456789x", "430302001001" },
		{ "[A-Za-z0-9][A-Za-z0-9_-]{0,39}", "aZ0_-.中", "W0731_0001" },
		{ "[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}",
		  "0123456789AHIJOSZYX", "91430300MA4L12345X" },
		{ "R[0-9]{3}", "R0123r", "R001" },
		/* more shapes */
		{ "(ab|a)(bc|c)?", "abc", "abc" },
		{ "a*b+c?", "abc", "aabbc" },
		{ "(a|b)*abb", "ab", "babb" },
		{ "x(y(z)?)+", "xyz", "xyzyy" },
		{ "[^0-9]+", "0a中\n", "a中" },
		{ ".+", "a\n\xff", "a\xff" },
		{ "[]a-]{2,}", "]-ab", "]-a" },
		{ "[^]a]", "]ab", "b" },
		{ "\\.\\*\\(\\)", ".*()a", ".*()" },
		{ "(0|1|2){3,5}", "0123", "0120" },
		{ "((a|b)(c|d)){0,3}", "abcd", "acbd" },
	};
	static struct ere d;
	char pat[512], sub[64];
	size_t len;
	long hits, compiled = 0;
	regex_t re;
	size_t i;
	int t, k;

	(void)state;
	for (i = 0; i < sizeof refused / sizeof *refused; i++) {
		memset(&d, 0x55, sizeof d);
		if (ere_compile(&d, refused[i]) != -1)
			fail_msg("pattern %s compiled", refused[i]);
		assert_false(d.ok);
	}
	for (i = 0; i < sizeof patterns / sizeof *patterns; i++) {
		hits = re_compare(patterns[i][0], patterns[i][1],
		    patterns[i][2], 20000, 45);
		assert_true(hits > 1000);
	}
	/* Subjects that must match, and a NUL ends the subject. */
	assert_int_equal(ere_compile(&d, "R[0-9]{3}"), 0);
	assert_true(ere_match(&d, "R001", 4));
	assert_true(ere_match(&d, "R001\0x", 6));
	assert_false(ere_match(&d, "R0001", 5));
	assert_false(ere_match(&d, "R00", 3));
	assert_false(ere_match(&d, "", 0));
	assert_int_equal(ere_compile(&d, "[0-9]{2}([0-9]{2,3}([0-9]{2})?)?"),
	    0);
	for (k = 0; k <= 9; k++) {
		memset(sub, '7', sizeof sub);
		assert_int_equal(ere_match(&d, sub, (size_t)k),
		    k == 2 || k == 4 || k == 5 || k == 6 || k == 7);
	}

	/* Random patterns: every one compiled matches as regexec does. */
	for (t = 0; t < 20000; t++) {
		len = 0;
		gen_pattern(pat, &len, 0);
		pat[len] = '\0';
		if (len > 200 || ere_compile(&d, pat) != 0)
			continue;
		compiled++;
		re_compile_ref(&re, pat);
		for (k = 0; k < 200; k++) {
			size_t n = rnd(12), j;

			for (j = 0; j < n; j++)
				sub[j] = rnd(10) ? "ab0-_Z ,:.*(|]^["[rnd(16)] :
				    (char)(1 + rnd(255));
			if (re_ref(&re, sub, n) != ere_match(&d, sub, n))
				fail_msg("pattern %s, subject %.*s", pat, (int)n,
				    sub);
		}
		regfree(&re);
	}
	assert_true(compiled > 10000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ere),
	};

	return cmocka_run_group_tests_name("ere", tests, NULL, NULL);
}
