/*
 * split-loop - the least a C program can do with record lines: getline
 * each line of standard input, count its TAB-separated fields with memchr,
 * and fwrite the line to standard output.
 *
 *   split-loop < records.tsv > copy.tsv
 *
 * The baseline for rec-cat in bench/import.sh: the same read, split and
 * write, without unescaping, checking or re-escaping.  It prints the total
 * of fields on stderr so that the splitting cannot be optimised away.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

int
main(void)
{
	char *line = NULL, *p, *end;
	size_t cap = 0;
	ssize_t n;
	unsigned long long fields = 0;

	while ((n = getline(&line, &cap, stdin)) > 0) {
		p = line;
		end = line + n;
		fields++;
		while ((p = memchr(p, '\t', (size_t)(end - p))) != NULL) {
			fields++;
			p++;
		}
		if (fwrite(line, 1, (size_t)n, stdout) != (size_t)n)
			break;
	}
	free(line);
	if (ferror(stdin) || fflush(stdout) != 0 || ferror(stdout)) {
		perror("split-loop");
		return 74;
	}
	fprintf(stderr, "split-loop: %llu fields\n", fields);
	return 0;
}
