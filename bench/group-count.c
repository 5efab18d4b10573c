/*
 * group-count - the least a C program can do to count records by two
 * fields: getline each line, find fields A and B (0-based) with memchr,
 * take the first PREFIX bytes of A, and count the pairs in an
 * open-addressing hash table; print "a<TAB>b<TAB>count" sorted.
 *
 *   group-count A PREFIX B < records.tsv
 *
 * The baseline of bench/kpi.sh: kpi-score by month x worker does this and
 * much more (filters, exact sums, several indicators, scores).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

struct slot {
	char *key;
	size_t len;
	unsigned long long n;
};

static struct slot *tab;
static size_t cap = 1 << 16, used;

static uint64_t
hash(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	while (n--)
		h = (h ^ (unsigned char)*p++) * 1099511628211ULL;
	return h;
}

static void
grow(void)
{
	struct slot *old = tab;
	size_t oldcap = cap, i, j;

	cap = oldcap * 2;
	if ((tab = calloc(cap, sizeof *tab)) == NULL)
		exit(70);
	for (i = 0; i < oldcap; i++) {
		if (old[i].key == NULL)
			continue;
		for (j = hash(old[i].key, old[i].len) & (cap - 1); tab[j].key;
		    j = (j + 1) & (cap - 1))
			;
		tab[j] = old[i];
	}
	free(old);
}

static void
count(const char *k, size_t n)
{
	size_t j;

	for (j = hash(k, n) & (cap - 1); tab[j].key != NULL;
	    j = (j + 1) & (cap - 1))
		if (tab[j].len == n && memcmp(tab[j].key, k, n) == 0) {
			tab[j].n++;
			return;
		}
	if ((tab[j].key = malloc(n)) == NULL)
		exit(70);
	memcpy(tab[j].key, k, n);
	tab[j].len = n;
	tab[j].n = 1;
	if (++used * 2 > cap)
		grow();
}

static int
cmp(const void *a, const void *b)
{
	const struct slot *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->key, y->key, n);

	return c ? c : (x->len > y->len) - (x->len < y->len);
}

int
main(int argc, char *argv[])
{
	char *line = NULL, key[512];
	size_t lcap = 0, i, fa, fb, pre;
	ssize_t len;
	int first = 1;

	if (argc != 4)
		return 64;
	fa = (size_t)atoi(argv[1]);
	pre = (size_t)atoi(argv[2]);
	fb = (size_t)atoi(argv[3]);
	if ((tab = calloc(cap, sizeof *tab)) == NULL)
		return 70;
	while ((len = getline(&line, &lcap, stdin)) > 0) {
		const char *p = line, *end = line + len - 1, *s[64], *q;
		size_t nf = 0, la, lb;

		if (first) {
			first = 0;
			continue;
		}
		s[nf++] = p;
		while (nf < 64 && (q = memchr(p, '\t', (size_t)(end - p))) != NULL) {
			p = q + 1;
			s[nf++] = p;
		}
		if (fa >= nf || fb >= nf)
			continue;
		la = (size_t)((fa + 1 < nf ? s[fa + 1] - 1 : end) - s[fa]);
		lb = (size_t)((fb + 1 < nf ? s[fb + 1] - 1 : end) - s[fb]);
		if (pre > 0 && la > pre)
			la = pre;
		if (la + lb + 1 > sizeof key)
			continue;
		memcpy(key, s[fa], la);
		key[la] = '\t';
		memcpy(key + la + 1, s[fb], lb);
		count(key, la + 1 + lb);
	}
	for (i = 0, used = 0; i < cap; i++)
		if (tab[i].key != NULL)
			tab[used++] = tab[i];
	qsort(tab, used, sizeof *tab, cmp);
	for (i = 0; i < used; i++)
		printf("%.*s\t%llu\n", (int)tab[i].len, tab[i].key, tab[i].n);
	return 0;
}
