/*
 * kpi.h - the aggregation engine of kpi-score: records in, counters per
 * (period, scope, scope id) cell, scores out; mergeable partials
 *
 * Input is any number of record streams, each of one kind (event, patrol,
 * worker, person, activity ...) with its own header.  For every cell and
 * every leaf indicator of the indicator file (indicators.h) the engine
 * keeps exact counters (dec.h millionths, never floating point); at the end
 * kpi_finish writes records of kind `kpi`, or kpi_write_partial writes the
 * counters themselves as records of kind `kpi_partial`, which any number of
 * later runs read back (kpi_begin_partial / kpi_add_partial) and finish.
 *
 * THE MERGE PROPERTY: cutting the input anywhere, into any number of parts
 * taken in any order, writing a partial per part and merging them all gives
 * the same kpi_finish bytes as one run over the whole input.  This holds
 * because the sums are exact integers, every output is sorted totally, and
 * kpi_finish reads only the state a partial carries (a single run is
 * accumulate + finish through the very same code as a merge).
 *
 * Periods.  A record's period comes from its kind's time field
 * (ind_time_field), canonical "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS+08:00",
 * read as written (wall time, not converted): KPI_MONTH "2017-03",
 * KPI_QUARTER "2017-Q1", KPI_YEAR "2017", KPI_RANGE the label
 * "2017-01-01..2017-12-31", and a record dated outside [from, to] is
 * skipped.  Records of a timeless kind (no time field: registers such as
 * person, worker) count in every period that exists at finish time: the
 * periods of the timed cells, or when there is none one period labelled
 * "all" (KPI_RANGE: the range label).  Partials carry them under period "*".
 *
 * Scopes.  For each scope of kpi_opts.scopes, in that order, a record's
 * scope id is the value of ind_scope_field(scope, kind); an empty value is
 * the id "" (the unassigned group, kept visible); scope "all" has the id "".
 * A kind whose header lacks the scope field does not contribute to that
 * scope at all (worker records have no "department"): no cell, no counter.
 * A cell exists when some record of a kind an indicator reads fell into it,
 * whether or not any filter passed.
 *
 * Counters.  Every counter (the one of count, sum, mean, median, share, the
 * numerator and denominator of a rate) reads one kind through its bound
 * `where` filter.  n counts the records that pass (for a counter with a
 * field: those with a non-empty value), sum adds the field's values.
 * Empty values are skipped; a value that is not a number (dec_parse) makes
 * kpi_add refuse the whole record before anything is counted.  median keeps
 * an exact histogram value -> count; share keeps per entity key (its parts
 * joined by TAB; "day:F" takes the first 10 bytes of F, "month:F" the first
 * 7) a count and a sum; manual leaves keep nothing.
 *
 * Output of kpi_finish, kind `kpi`, header
 *   kind period scope scope_id indicator name path type value numerator
 *   denominator target weight score grade evidence
 * for each period (sorted by bytes), each scope (opts order), each scope id
 * (sorted by bytes): the nodes in preorder without the root, then the root
 * as indicator "total".  value: count and sum exact; rate and share the
 * fraction to 6 places ("n/a" when the denominator, or the number of
 * entities, is 0); mean sum / n to 6 places; median exact (an even count:
 * the two middle values' mean rounded half-even to the millionth); manual:
 * its value or "".  numerator / denominator: rate: its two counters; share:
 * entities meeting the bound / entities; mean: sum / n; median: "" / n;
 * count and sum: the value / "".  target and weight exact or "".  score:
 * ind_score rounded half-even to 0.01, "" when not scored (an n/a scored
 * leaf scores 0); a group's score is the sum of its items' rounded scores
 * ("" when no item is scored); the total row's weight is the file's total,
 * its grade ind_grade of its score.  evidence: manual leaves only.
 *
 * Partials, kind `kpi_partial`, header
 *   kind config period scope scope_id indicator part key n sum
 * parts: "cell" (indicator "", n = records that fell into the cell), "c"
 * (count and sum counters), "num" and "den" (rate), "v" (mean), "h" (median:
 * key = the value, n = how many times), "e" (share: key = the entity key,
 * n, sum).  sum is "" where it means nothing (cell, h, counters without a
 * field).  Counters that are zero are not written.  Sorted totally by
 * period, scope index, scope id, indicator preorder index (the cell part
 * first), part, key (bytes).  Every record carries kpi_opts.config, and
 * merging refuses another.
 *
 * Performance: per stream, kpi_begin works out which counters read the kind
 * and binds their filters; per record the period label and the scope ids
 * are computed once, each scope id is interned and each cell found by
 * integers in an open-addressing table, and nothing is allocated in the
 * steady state (tables and arrays grow by doubling).  Memory grows with the number of cells (and histogram values
 * and entities), never with the number of records.
 *
 * Errors: ERR_USAGE from kpi_new for bad options; ERR_DATA for data and
 * configuration (messages name fields and kinds, never values; err.field
 * holds the field, err.line the record's line: the caller adds the file);
 * ERR_INTERNAL for out of memory, after which the struct kpi is only fit
 * for kpi_free.  A sum that leaves the dec.h range is ERR_DATA "sum out of
 * range" and also final: every later call returns it.
 *
 * Ownership: kpi_new copies the options; the indicators are borrowed (and
 * their filters bound by kpi_begin, which is why they are not const) and
 * must outlive the struct kpi, freed by kpi_free (NULL is fine).  Headers
 * and rows are borrowed for the call only.  Not thread-safe.
 */
#ifndef GRID_KPI_H
#define GRID_KPI_H

#include <stddef.h>

#include "err.h"
#include "indicators.h"
#include "out.h"
#include "rec.h"

enum kpi_period { KPI_MONTH, KPI_QUARTER, KPI_YEAR, KPI_RANGE };

#define KPI_MAX_SCOPES 16

struct kpi_opts {
	enum kpi_period period;
	char from[11], to[11];		/* KPI_RANGE: YYYY-MM-DD, inclusive */
	const char *const *scopes;	/* all, district, street, community, */
	size_t nscopes;			/* grid, worker, department; NULL/0: */
					/* {"all"} */
	const char *config;		/* identifies indicator file + options */
					/* (e.g. a sha256 hex); NULL: "" */
};

struct kpi;

/* Counters per kind, for --stats, in the order kinds were first begun. */
struct kpi_kind_stat {
	const char *kind;
	unsigned long long used;	/* records counted */
	unsigned long long skipped;	/* outside the KPI_RANGE period */
	unsigned long long ignored;	/* of a kind no indicator reads */
};

/*
 * kpi_new: an empty engine for indicators in and options o.  ERR_USAGE for
 * an unknown or repeated scope, more than KPI_MAX_SCOPES, a KPI_RANGE with
 * a bad date or from after to; ERR_INTERNAL.
 */
int kpi_new(struct kpi **kp, struct indicators *in, const struct kpi_opts *o,
    struct err *e);

/*
 * kpi_begin: a new input stream of records of `kind` with header h.  Binds
 * the filters of every counter reading this kind, finds the time field,
 * the scope fields and the measured fields.  A field an indicator needs
 * that h lacks is ERR_DATA "no field 'x' in the event records" (a
 * configuration error: fatal for the stream).  A kind no indicator reads is
 * accepted; its records are then ignored (and counted).
 */
int kpi_begin(struct kpi *k, const struct rec_header *h, const char *kind,
    struct err *e);

/*
 * kpi_add: one record of the current stream.  0 counted (or ignored), 1
 * outside the KPI_RANGE period (skipped), ERR_DATA for a bad value: an
 * empty or malformed time field, a measured field that is not a number
 * (e->field and e->line set; the record counts nowhere and the caller
 * rejects it).  ERR_INTERNAL (no stream begun, out of memory).
 */
int kpi_add(struct kpi *k, const struct rec_row *row, struct err *e);

/*
 * kpi_begin_partial: a stream of kpi_partial records with header h (it must
 * have the partial fields; ERR_DATA "no field 'x' in the kpi_partial
 * records").  kpi_add_partial: one of its records, added to the state.
 * ERR_DATA (e->field set): a config other than this engine's, a period that
 * does not fit the period option, a scope not in the options, an indicator
 * not in the file, a part that does not fit the indicator, a bad number.
 */
int kpi_begin_partial(struct kpi *k, const struct rec_header *h,
    struct err *e);
int kpi_add_partial(struct kpi *k, const struct rec_row *row, struct err *e);

/* kpi_write_partial: the whole state as kpi_partial records (with header). */
int kpi_write_partial(struct kpi *k, struct out *o, struct err *e);

/* kpi_finish: the kpi records (with header).  May be called more than once;
 * the state is not changed. */
int kpi_finish(struct kpi *k, struct out *o, struct err *e);

/* kpi_stats: per-kind counters (owned by k, valid until the next kpi_begin
 * or kpi_free); returns how many. */
size_t kpi_stats(const struct kpi *k, const struct kpi_kind_stat **st);

/* kpi_cells: cells so far (timeless ones included); kpi_partials: partial
 * records added. */
size_t kpi_cells(const struct kpi *k);
unsigned long long kpi_partials(const struct kpi *k);

void kpi_free(struct kpi *k);

#endif
