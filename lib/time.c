/* time.c - dates and datetimes to canonical ISO 8601; see time.h */
#include "time.h"

#include <string.h>

#define MAX_RAW 512		/* longer input is never a date */
#define MAX_NORM 128		/* normalised bytes we look at */
#define MAX_OFFSET 1439		/* 23:59 in minutes */
#define SERIAL_MAX 2958465	/* Excel serial of 9999-12-31 */
#define SERIAL_FRAC_DIGITS 13	/* 10^13 * 172800 fits in int64 */
#define DAY 86400

/* Marker bytes the normaliser writes for the Chinese date and time words. */
enum {
	M_YEAR = 1,		/* 年 */
	M_MONTH,		/* 月 */
	M_DAY,			/* 日 号 號 */
	M_HOUR,			/* 时 時 点 點 */
	M_MIN,			/* 分 */
	M_SEC			/* 秒 */
};

/* Parse outcomes before validation, in the order they are reported. */
enum {
	P_OK = 0,
	P_SYNTAX,		/* does not have the shape of a date (and time) */
	P_OFFSET,		/* an offset is there but malformed or out of range */
	P_YEAR,			/* year or serial out of range */
	P_DATE,			/* impossible date */
	P_TIME			/* impossible time */
};

static const struct {
	const char *utf8;
	char to;
} wide[] = {
	{ "\xef\xbc\x9a", ':' },	/* ： */
	{ "\xef\xbc\x8d", '-' },	/* － */
	{ "\xef\xbc\x8f", '/' },	/* ／ */
	{ "\xef\xbc\x8e", '.' },	/* ． */
	{ "\xef\xbc\x8b", '+' },	/* ＋ */
	{ "\xe3\x80\x80", ' ' },	/* ideographic space */
	{ "\xe5\xb9\xb4", M_YEAR },	/* 年 */
	{ "\xe6\x9c\x88", M_MONTH },	/* 月 */
	{ "\xe6\x97\xa5", M_DAY },	/* 日 */
	{ "\xe5\x8f\xb7", M_DAY },	/* 号 */
	{ "\xe8\x99\x9f", M_DAY },	/* 號 */
	{ "\xe6\x97\xb6", M_HOUR },	/* 时 */
	{ "\xe6\x99\x82", M_HOUR },	/* 時 */
	{ "\xe7\x82\xb9", M_HOUR },	/* 点 */
	{ "\xe9\xbb\x9e", M_HOUR },	/* 點 */
	{ "\xe5\x88\x86", M_MIN },	/* 分 */
	{ "\xe7\xa7\x92", M_SEC }	/* 秒 */
};

/* A parsed date and time, before validation. */
struct fields {
	long y;
	int m, d, hh, mi, ss;
	bool has_time, has_off;
	int off;
};

/* A cursor over normalised bytes. */
struct scan {
	const char *p;
	size_t n, i;
};

int64_t
time_days_from_civil(int y, int m, int d)
{
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t mm = m, era, yoe, doy, doe;

	era = (yy >= 0 ? yy : yy - 399) / 400;
	yoe = yy - era * 400;
	doy = (153 * (mm > 2 ? mm - 3 : mm + 9) + 2) / 5 + (int64_t)d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
time_civil_from_days(int64_t days, int *y, int *m, int *d)
{
	const int64_t lim = (int64_t)1 << 40;
	int64_t z, era, doe, yoe, doy, mp, yy;

	if (days > lim)
		days = lim;
	if (days < -lim)
		days = -lim;
	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yy = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yy + (*m <= 2));
}

static bool
leap(long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
month_days(long y, int m)
{
	static const int len[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	return m == 2 && leap(y) ? 29 : len[m - 1];
}

bool
time_valid_date(int y, int m, int d)
{
	return y >= 1900 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
	    d <= month_days(y, m);
}

/*
 * Copy s[0..n) to out as one byte per character: ASCII as it is (tabs become
 * spaces), the full-width forms and Chinese words of the table above as
 * their ASCII form or marker byte.  Spaces at both ends are dropped.
 * Control bytes and any other non-ASCII character fail (-1), as does
 * output longer than MAX_NORM.
 */
static int
normalise(const char *s, size_t n, char out[MAX_NORM], size_t *outn)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, o = 0, k;
	char c;

	if (s == NULL || n > MAX_RAW)
		return -1;
	while (i < n) {
		if (p[i] >= 0x80) {
			for (k = 0; k < sizeof wide / sizeof wide[0]; k++)
				if (n - i >= 3 && memcmp(p + i, wide[k].utf8, 3) == 0)
					break;
			if (k < sizeof wide / sizeof wide[0]) {
				c = wide[k].to;
				i += 3;
			} else if (n - i >= 3 && p[i] == 0xef && p[i + 1] == 0xbc &&
			    p[i + 2] >= 0x90 && p[i + 2] <= 0x99) {
				c = (char)('0' + (p[i + 2] - 0x90));	/* ０..９ */
				i += 3;
			} else
				return -1;
		} else if (p[i] == '\t') {
			c = ' ';
			i++;
		} else if (p[i] < 0x20 || p[i] == 0x7f)
			return -1;
		else
			c = (char)p[i++];
		if (c == ' ' && o == 0)
			continue;
		if (o == MAX_NORM)
			return -1;
		out[o++] = c;
	}
	while (o > 0 && out[o - 1] == ' ')
		o--;
	*outn = o;
	return 0;
}

static bool
isdig(int c)
{
	return c >= '0' && c <= '9';
}

static bool
at_end(const struct scan *sc)
{
	return sc->i == sc->n;
}

static int
peek(const struct scan *sc)
{
	return sc->i < sc->n ? (unsigned char)sc->p[sc->i] : -1;
}

static void
skip_spaces(struct scan *sc)
{
	while (sc->i < sc->n && sc->p[sc->i] == ' ')
		sc->i++;
}

/*
 * Read a run of digits: its value (saturated past 9 digits) into *v and its
 * length into *len.  Returns the length (0: no digit here).
 */
static size_t
digits(struct scan *sc, long *v, size_t *len)
{
	size_t k = 0;

	*v = 0;
	while (sc->i < sc->n && isdig(sc->p[sc->i])) {
		if (k < 9)
			*v = *v * 10 + (sc->p[sc->i] - '0');
		sc->i++;
		k++;
	}
	*len = k;
	return k;
}

/* A run of min..max digits into *v, or -1 (cursor then unspecified). */
static int
number(struct scan *sc, size_t min, size_t max, long *v)
{
	size_t k;

	digits(sc, v, &k);
	return k >= min && k <= max ? 0 : -1;
}

/*
 * The Chinese word m, with any spaces around it (" 年 "); 0, or -1 with the
 * cursor left where it was.
 */
static int
marker(struct scan *sc, int m)
{
	size_t at = sc->i;

	skip_spaces(sc);
	if (peek(sc) != m) {
		sc->i = at;
		return -1;
	}
	sc->i++;
	skip_spaces(sc);
	return 0;
}

static bool
ieq3(const char *s, const char *t)
{
	size_t k;

	for (k = 0; k < 3; k++)
		if ((s[k] | 0x20) != t[k])
			return false;
	return true;
}

/* Does s[0..n) start like an offset (so that failing to read it is a bad
 * offset rather than stray text)? */
static bool
offset_start(const char *s, size_t n)
{
	if (n == 0)
		return false;
	if (s[0] == '+' || s[0] == '-' || s[0] == 'Z' || s[0] == 'z')
		return true;
	return n >= 3 && (ieq3(s, "utc") || ieq3(s, "gmt"));
}

/* An offset, the whole of normalised s[0..n), into minutes east; 0 or -1. */
static int
offset_scan(const char *s, size_t n, int *minutes)
{
	struct scan sc = { s, n, 0 };
	long h, m = 0;
	size_t k;
	int sign;

	if (n == 1 && (s[0] == 'Z' || s[0] == 'z')) {
		*minutes = 0;
		return 0;
	}
	if (n >= 3 && (ieq3(s, "utc") || ieq3(s, "gmt"))) {
		sc.i = 3;
		if (at_end(&sc)) {
			*minutes = 0;
			return 0;
		}
	}
	if (peek(&sc) != '+' && peek(&sc) != '-')
		return -1;
	sign = peek(&sc) == '-' ? -1 : 1;
	sc.i++;
	digits(&sc, &h, &k);
	if (k == 4) {
		m = h % 100;
		h /= 100;
	} else if (k == 1 || k == 2) {
		if (peek(&sc) == ':') {
			sc.i++;
			if (number(&sc, 2, 2, &m) == -1)
				return -1;
		}
	} else
		return -1;
	if (!at_end(&sc) || h > 23 || m > 59)
		return -1;
	*minutes = sign * (int)(h * 60 + m);
	return 0;
}

int
time_parse_offset(const char *s, int *minutes, struct err *e)
{
	char b[MAX_NORM];
	size_t n;

	if (s == NULL || normalise(s, strlen(s), b, &n) == -1 ||
	    offset_scan(b, n, minutes) == -1)
		return err_set(e, ERR_USAGE, "bad time zone offset");
	return 0;
}

/* Split a civil day count (days from 1970) and seconds into f. */
static void
set_from_days(struct fields *f, int64_t days, long secs)
{
	int y, m, d;

	time_civil_from_days(days, &y, &m, &d);
	f->y = y;
	f->m = m;
	f->d = d;
	f->hh = (int)(secs / 3600);
	f->mi = (int)(secs / 60 % 60);
	f->ss = (int)(secs % 60);
}

/*
 * An Excel serial: the whole input is digits, optionally '.' and digits.
 * Returns P_SYNTAX when it is not one, else the outcome with f filled.
 * Eight digits and no fraction are a compact date YYYYMMDD instead.
 */
static int
parse_serial(const char *b, size_t n, struct fields *f)
{
	size_t i = 0, ni, k, fd = 0;
	int64_t day = 0, frac = 0, scale = 1, total, base;

	while (i < n && isdig(b[i]))
		i++;
	ni = i;
	if (ni == 0)
		return P_SYNTAX;
	if (i < n && b[i] == '.') {
		for (i++; i < n && isdig(b[i]); i++)
			if (fd < SERIAL_FRAC_DIGITS) {
				frac = frac * 10 + (b[i] - '0');
				scale *= 10;
				fd++;
			}
		if (i == ni + 1)
			return P_SYNTAX;	/* "42808." */
		f->has_time = true;
	}
	if (i != n)
		return P_SYNTAX;
	if (ni == 8 && !f->has_time) {
		f->y = (b[0] - '0') * 1000 + (b[1] - '0') * 100 +
		    (b[2] - '0') * 10 + (b[3] - '0');
		f->m = (b[4] - '0') * 10 + (b[5] - '0');
		f->d = (b[6] - '0') * 10 + (b[7] - '0');
		return P_OK;
	}
	for (k = 0; k < ni; k++) {
		day = day * 10 + (b[k] - '0');
		if (day > SERIAL_MAX)
			return P_YEAR;
	}
	/* Round the fraction of a day to the nearest second, half up. */
	total = day * DAY + (frac * 2 * DAY + scale) / (2 * scale);
	day = total / DAY;
	if (day < 1 || day > SERIAL_MAX)
		return P_YEAR;
	if (day == 60)
		return P_DATE;		/* 1900-02-29 never was */
	base = time_days_from_civil(1899, 12, day < 60 ? 31 : 30);
	set_from_days(f, base + day, (long)(total % DAY));
	return P_OK;
}

/*
 * The date part at the cursor: YYYY-M-D, YYYY/M/D, YYYY.M.D, YYYY年M月D日,
 * or YYYYMMDD.  *cjk tells whether it ended with the day word.
 */
static int
parse_date_part(struct scan *sc, struct fields *f, bool *cjk)
{
	size_t k;
	long y, v;
	int sep;

	*cjk = false;
	digits(sc, &y, &k);
	if (k == 8 && (at_end(sc) || peek(sc) == ' ' || peek(sc) == 'T' ||
	    peek(sc) == 't')) {
		f->y = y / 10000;
		f->m = (int)(y / 100 % 100);
		f->d = (int)(y % 100);
		return P_OK;
	}
	if (k < 4)
		return P_SYNTAX;
	f->y = k > 4 ? -1 : y;		/* more digits: out of range */
	if (marker(sc, M_YEAR) == 0) {
		*cjk = true;
		if (number(sc, 1, 2, &v) == -1)
			return P_SYNTAX;
		f->m = (int)v;
		if (marker(sc, M_MONTH) == -1 || number(sc, 1, 2, &v) == -1)
			return P_SYNTAX;
		f->d = (int)v;
		if (marker(sc, M_DAY) == -1)
			return P_SYNTAX;
		return P_OK;
	}
	sep = peek(sc);
	if (sep != '-' && sep != '/' && sep != '.')
		return P_SYNTAX;
	sc->i++;
	if (number(sc, 1, 2, &v) == -1)
		return P_SYNTAX;
	f->m = (int)v;
	if (peek(sc) != sep)
		return P_SYNTAX;
	sc->i++;
	if (number(sc, 1, 2, &v) == -1)
		return P_SYNTAX;
	f->d = (int)v;
	return P_OK;
}

/* The time part at the cursor: H:MM[:SS[.fff]] or H时[M分[S秒]]. */
static int
parse_time_part(struct scan *sc, struct fields *f)
{
	long v;
	size_t k;

	if (number(sc, 1, 2, &v) == -1)
		return P_SYNTAX;
	f->hh = (int)v;
	f->has_time = true;
	if (peek(sc) == ':') {
		sc->i++;
		if (number(sc, 2, 2, &v) == -1)
			return P_SYNTAX;
		f->mi = (int)v;
		if (peek(sc) != ':')
			return P_OK;
		sc->i++;
		if (number(sc, 2, 2, &v) == -1)
			return P_SYNTAX;
		f->ss = (int)v;
		if (peek(sc) == '.') {
			sc->i++;
			if (digits(sc, &v, &k) == 0)
				return P_SYNTAX;	/* fraction dropped */
		}
		return P_OK;
	}
	if (marker(sc, M_HOUR) == -1)
		return P_SYNTAX;
	if (digits(sc, &v, &k) == 0)
		return P_OK;			/* "9时" */
	if (k > 2 || marker(sc, M_MIN) == -1)
		return P_SYNTAX;
	f->mi = (int)v;
	if (digits(sc, &v, &k) == 0)
		return P_OK;
	if (k > 2 || marker(sc, M_SEC) == -1)
		return P_SYNTAX;
	f->ss = (int)v;
	return P_OK;
}

/* Range checks on parsed fields. */
static int
validate(const struct fields *f)
{
	if (f->y < 1900 || f->y > 9999)
		return P_YEAR;
	if (!time_valid_date((int)f->y, f->m, f->d))
		return P_DATE;
	if (f->hh > 23 || f->mi > 59 || f->ss > 59)
		return P_TIME;
	return P_OK;
}

/*
 * Parse s[0..n) into f.  want_time: a time part (and offset) may follow the
 * date, and fractional serials are allowed.
 */
static int
parse(const char *s, size_t n, bool want_time, struct fields *f)
{
	char b[MAX_NORM];
	struct scan sc;
	bool cjk;
	size_t bn;
	int r;

	memset(f, 0, sizeof *f);
	if (normalise(s, n, b, &bn) == -1 || bn == 0)
		return P_SYNTAX;
	sc.p = b;
	sc.n = bn;
	sc.i = 0;
	if ((r = parse_serial(b, bn, f)) != P_SYNTAX) {
		if (r == P_OK && f->has_time && !want_time)
			return P_SYNTAX;
		return r != P_OK ? r : validate(f);
	}
	memset(f, 0, sizeof *f);
	if ((r = parse_date_part(&sc, f, &cjk)) != P_OK)
		return r;
	if (!at_end(&sc)) {
		if (!want_time)
			return P_SYNTAX;
		if (peek(&sc) == 'T' || peek(&sc) == 't')
			sc.i++;
		else if (peek(&sc) == ' ')
			skip_spaces(&sc);
		else if (!cjk)
			return P_SYNTAX;
		if ((r = parse_time_part(&sc, f)) != P_OK)
			return r;
		skip_spaces(&sc);
		if (!at_end(&sc)) {
			if (!offset_start(b + sc.i, bn - sc.i))
				return P_SYNTAX;
			if (offset_scan(b + sc.i, bn - sc.i, &f->off) == -1)
				return P_OFFSET;
			f->has_off = true;
		}
	}
	return validate(f);
}

static int
report(int r, bool want_time, struct err *e)
{
	switch (r) {
	case P_OFFSET:
		return err_set(e, ERR_DATA, "bad time zone offset");
	case P_YEAR:
		return err_set(e, ERR_DATA, "year out of range");
	case P_DATE:
		return err_set(e, ERR_DATA, "impossible date");
	case P_TIME:
		return err_set(e, ERR_DATA, "impossible time");
	default:
		return err_set(e, ERR_DATA, want_time ? "not a date and time" :
		    "not a date");
	}
}

/* Write v as exactly w decimal digits (v >= 0 and fits). */
static char *
put(char *o, long v, int w)
{
	int k;

	for (k = w - 1; k >= 0; k--) {
		o[k] = (char)('0' + v % 10);
		v /= 10;
	}
	return o + w;
}

static void
format_date(char *o, long y, int m, int d)
{
	o = put(o, y, 4);
	*o++ = '-';
	o = put(o, m, 2);
	*o++ = '-';
	o = put(o, d, 2);
	*o = '\0';
}

static void
format_datetime(char *o, const struct fields *f, int off)
{
	format_date(o, f->y, f->m, f->d);
	o += TIME_DATE_LEN;
	*o++ = 'T';
	o = put(o, f->hh, 2);
	*o++ = ':';
	o = put(o, f->mi, 2);
	*o++ = ':';
	o = put(o, f->ss, 2);
	*o++ = off < 0 ? '-' : '+';
	if (off < 0)
		off = -off;
	o = put(o, off / 60, 2);
	*o++ = ':';
	o = put(o, off % 60, 2);
	*o = '\0';
}

int
time_parse_date(const char *s, size_t n, char out[TIME_DATE_LEN + 1],
    struct err *e)
{
	struct fields f;
	int r;

	out[0] = '\0';
	if ((r = parse(s, n, false, &f)) != P_OK)
		return report(r, false, e);
	format_date(out, f.y, f.m, f.d);
	return 0;
}

int
time_parse_datetime(const char *s, size_t n, int default_offset,
    char out[TIME_DATETIME_LEN + 1], struct err *e)
{
	struct fields f;
	int r;

	out[0] = '\0';
	if (default_offset < -MAX_OFFSET || default_offset > MAX_OFFSET)
		return err_set(e, ERR_USAGE, "bad time zone offset");
	if ((r = parse(s, n, true, &f)) != P_OK)
		return report(r, true, e);
	format_datetime(out, &f, f.has_off ? f.off : default_offset);
	return 0;
}

/* "00" "01" ... "99": two digits at a time. */
static const char digit_pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233"
    "34353637383940414243444546474849505152535455565758596061626364656667"
    "6869707172737475767778798081828384858687888990919293949596979899";

static inline void
put2(char *o, unsigned v)
{
	memcpy(o, digit_pairs + 2 * v, 2);
}

/* The 8 bytes at s, s[0] lowest, on any machine (one load where it can). */
static inline uint64_t
load64(const unsigned char *s)
{
	return (uint64_t)s[0] | (uint64_t)s[1] << 8 | (uint64_t)s[2] << 16 |
	    (uint64_t)s[3] << 24 | (uint64_t)s[4] << 32 |
	    (uint64_t)s[5] << 40 | (uint64_t)s[6] << 48 |
	    (uint64_t)s[7] << 56;
}

#define ONES UINT64_C(0x0101010101010101)

/*
 * A word of 8 bytes of the canonical form, checked and read at once: the
 * bytes flagged 0xff in seps must equal those of want (the separators),
 * every other byte must be an ASCII digit.  Returns false, or true with
 * *pairs holding in its byte k the number 10 * d[k] + d[k + 1] (k = 0..6)
 * of the digits d (a separator counting as 0), so that a field of two
 * digits at k is (*pairs >> 8k) & 0xff.
 */
static inline bool
word_digits(uint64_t w, uint64_t seps, uint64_t want, uint64_t *pairs)
{
	uint64_t x, d;

	if ((w & seps) != want)
		return false;
	x = (w & ~seps) | (ONES * '0' & seps);	/* separators as '0' */
	if ((x & ONES * 0xf0) != ONES * '0' ||
	    ((x + ONES * 6) & ONES * 0xf0) != ONES * '0')
		return false;
	d = x - ONES * '0';			/* bytes 0..9: no carries */
	*pairs = d * 10 + (d >> 8);
	return true;
}

#define PAIR(w, k) ((unsigned)((w) >> (8 * (k))) & 0xff)

/*
 * time_iso_to_epoch runs for every timestamp of every record, so it reads
 * the fixed layout a word at a time (word_digits), and the days are
 * time_days_from_civil's for years >= 1900, in unsigned arithmetic (no
 * era below 0).
 */
int
time_iso_to_epoch(const char *s, size_t n, int64_t *epoch, int *offset)
{
	/* "YYYY-MM-" "DDThh:mm" ":ss+hh:m" "m": separators and their masks */
	const uint64_t sep0 = UINT64_C(0xff0000ff00000000);
	const uint64_t want0 = UINT64_C(0x2d00002d00000000);
	const uint64_t sep1 = UINT64_C(0x0000ff0000ff0000);
	const uint64_t want1 = UINT64_C(0x00003a0000540000);
	const uint64_t sep2 = UINT64_C(0x00ff0000ff0000ff);
	const uint64_t want2p = UINT64_C(0x003a00002b00003a);
	const uint64_t want2m = UINT64_C(0x003a00002d00003a);
	const unsigned char *u = (const unsigned char *)s;
	uint64_t w0, w1, w2, p0, p1, p2;
	unsigned y, m, d, hh, mi, ss, oh, om, last, yy, era, yoe, doy, doe;
	int off;

	if (s == NULL || n != TIME_DATETIME_LEN)
		return -1;
	w0 = load64(u);
	w1 = load64(u + 8);
	w2 = load64(u + 16);
	last = (unsigned)u[24] - '0';
	if (!word_digits(w0, sep0, want0, &p0) ||
	    !word_digits(w1, sep1, want1, &p1) || last > 9 ||
	    (!word_digits(w2, sep2, want2p, &p2) &&
	    !word_digits(w2, sep2, want2m, &p2)))
		return -1;
	y = PAIR(p0, 0) * 100 + PAIR(p0, 2);
	m = PAIR(p0, 5);
	d = PAIR(p1, 0);
	hh = PAIR(p1, 3);
	mi = PAIR(p1, 6);
	ss = PAIR(p2, 1);
	oh = PAIR(p2, 4);
	om = PAIR(p2, 7) + last;	/* byte 7 is 10 * its digit */
	if (hh > 23 || mi > 59 || ss > 59 || oh > 23 || om > 59)
		return -1;
	if (y < 1900 || m < 1 || m > 12 || d < 1 ||
	    d > (m == 2 ? 28u + leap(y) : 30u + ((0x15aau >> m) & 1)))
		return -1;
	off = (int)(oh * 60 + om);
	if (s[19] == '-') {
		if (off == 0)
			return -1;	/* canonical zero is "+00:00" */
		off = -off;
	}
	yy = y - (m <= 2);
	era = yy / 400;
	yoe = yy - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	*epoch = ((int64_t)era * 146097 + doe - 719468) * DAY +
	    (int64_t)(hh * 3600 + mi * 60 + ss) - (int64_t)off * 60;
	*offset = off;
	return 0;
}

/*
 * time_epoch_to_iso: the date by Neri and Schneider's civil-from-days
 * ("Euclidean affine functions and their application to calendar
 * algorithms", 2022: the same dates as time_civil_from_days in a few
 * multiplications), on days counted from 0000-03-01 less one era of 400
 * years (146097 days), so that every day in range is positive and fits
 * 32 bits; then the fields two digits at a time.
 */
void
time_epoch_to_iso(int64_t epoch, int offset, char out[TIME_DATETIME_LEN + 1])
{
	/* 0000-01-01 and 10000-01-01, in days from 1970 */
	const int64_t lo = -719528, hi = 2932897;
	int64_t wall, days;
	uint32_t n1, c, nc, n2, z, ny, n3, m, d, secs, a, j;
	uint64_t p2;
	int y;

	out[0] = '\0';
	if (offset < -MAX_OFFSET || offset > MAX_OFFSET)
		return;
	if (epoch < lo * DAY - DAY || epoch > hi * DAY + DAY)
		return;			/* also keeps the sums below in range */
	wall = epoch + (int64_t)offset * 60;
	days = wall / DAY - (wall % DAY < 0);
	if (days < lo || days >= hi)
		return;
	secs = (uint32_t)(wall - days * DAY);
	n1 = 4 * (uint32_t)(days + 719468 + 146097) + 3;
	c = n1 / 146097;
	nc = n1 % 146097 / 4;
	n2 = 4 * nc + 3;
	p2 = (uint64_t)2939745 * n2;
	z = (uint32_t)(p2 >> 32);
	ny = (uint32_t)p2 / 2939745 / 4;
	n3 = 2141 * ny + 197913;
	j = ny >= 306;
	m = j ? (n3 >> 16) - 12 : n3 >> 16;
	d = (n3 & 0xffff) / 2141 + 1;
	y = (int)(100 * c + z + j) - 400;
	put2(out, (unsigned)y / 100);
	put2(out + 2, (unsigned)y % 100);
	out[4] = '-';
	put2(out + 5, m);
	out[7] = '-';
	put2(out + 8, d);
	out[10] = 'T';
	put2(out + 11, secs / 3600);
	out[13] = ':';
	put2(out + 14, secs / 60 % 60);
	out[16] = ':';
	put2(out + 17, secs % 60);
	out[19] = offset < 0 ? '-' : '+';
	a = (uint32_t)(offset < 0 ? -offset : offset);
	put2(out + 20, a / 60);
	out[22] = ':';
	put2(out + 23, a % 60);
	out[25] = '\0';
}
