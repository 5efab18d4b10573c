/*
 * ere.h - the code patterns of schemas, matched without regexec
 *
 * grid-import checks every value of a code field against its schema
 * pattern.  regexec(3) is general and slow; the patterns schemas use are
 * small (a letter, digits, a few counted repetitions), so this module
 * compiles such a pattern into a table-driven DFA that answers exactly as
 * regexec would, and refuses any pattern outside its subset, for which the
 * caller keeps using regexec.
 *
 * Ownership: a struct ere is a plain value (about 4.5 KB); nothing is
 * allocated.  Errors: ere_compile returns -1 for a pattern it refuses.
 */
#ifndef GRID_ERE_H
#define GRID_ERE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * ere_compile: compile the POSIX extended regular expression pattern,
 * to be matched against a whole subject, into a DFA in *re, when it is in
 * the subset known here: ASCII characters, '.', bracket expressions of
 * ASCII characters and ranges within digits, upper or lower case letters
 * (no [:class:], [.x.] or [=x=]), '\' before a special character, groups
 * and '|' (nothing empty), and one of '*' '+' '?' {m} {m,} {m,n} (m, n
 * below 1000) after each atom; no anchors, no back-references.  Returns
 * 0, or -1 for anything else or when the automaton would exceed
 * ERE_STATES states or ERE_CLASSES byte classes (re->ok is then
 * false): the caller uses regexec then.  Allocates nothing; *re is
 * about 4.5 KB.
 *
 * ere_match: whether the whole of s[0..n) matches, exactly as
 * regexec(3) with the pattern compiled as "^(pattern)$", REG_EXTENDED and
 * REG_NOSUB answers it on those bytes as a C string in the C locale (the
 * only locale gridkit's programs run in): a NUL ends the subject, bytes
 * are characters.  re must have been compiled (re->ok).
 */
#define ERE_STATES 128
#define ERE_CLASSES 32
struct ere {
	bool ok;			/* compiled */
	unsigned char cls[256];		/* byte class of each byte */
	bool accept[ERE_STATES];	/* state 0 is dead, 1 the start */
	unsigned char next[ERE_STATES * ERE_CLASSES];
};

int ere_compile(struct ere *re, const char *pattern);
bool ere_match(const struct ere *re, const char *s, size_t n);

#endif
