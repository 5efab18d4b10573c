/*
 * addr.h - normalising Chinese addresses, and a longest-prefix address table
 *
 * grid-assign's last method places a record by its address: the address is
 * normalised and the longest prefix of it found in an address table
 * (标准地址库, --addresses FILE: address or address prefix -> grid code).
 * Normalising makes the same place written different ways give the same
 * bytes, so that "建设路十八号３幢" in a record finds "建设路18号3栋" in
 * the table.
 *
 * addr_norm applies these rules, in this order (the output is UTF-8):
 *
 *  1. Input that is not well-formed UTF-8 is refused (ERR_DATA "not UTF-8").
 *  2. Character by character:
 *     - full-width ASCII U+FF01..U+FF5E becomes ASCII ("Ａ１＃" -> "A1#");
 *     - removed: all whitespace (ASCII, U+00A0, U+1680, U+2000..U+200A,
 *       U+2028, U+2029, U+202F, U+205F, ideographic space U+3000), control
 *       characters (U+0000..U+001F, U+007F..U+009F) and invisible ones
 *       (U+200B..U+200D, U+2060, BOM U+FEFF);
 *     - removed: the separators that carry no place: , . (and their
 *       full-width forms ， ．), 、 。 ｡ ､ and the middle dots · ・ ･.
 *       Nothing else is removed: brackets and their content are kept (the
 *       full-width （） become ()), as are - / : ; # and so on;
 *     - dashes ‐ ‑ ‒ – — ― − ﹘ ﹣ (and full-width －) become "-";
 *     - ASCII letters are upper-cased ("b座" -> "B座", later "B栋");
 *     - "#" right after an ASCII digit becomes 号 ("3#楼" -> "3号楼",
 *       "12#" -> "12号"); a "#" anywhere else is kept.
 *  3. Chinese numerals in house numbers become Arabic: a maximal run of
 *     〇零一二两三四五六七八九十百千 immediately followed by one of the unit
 *     words 号 栋 幢 座 单元 楼 层 室 户 弄 巷 组 (whitespace and the removed
 *     separators do not count as a gap) is converted when it reads as a
 *     number:
 *     - without 十百千, digit by digit: 三〇一 -> 301, 一二 -> 12, 两 -> 2;
 *     - with them, as a number up to 9999: 十 -> 10, 十二 -> 12, 二十 -> 20,
 *       二十三 -> 23, 一百零五 -> 105, 两百 -> 200, 一千零一十 -> 1010.
 *     A run that does not read as a number is left alone (百, 二三十, 一百十,
 *     and the colloquial 一百五, which may mean 150 or 105), and so is a run
 *     right after an ASCII digit ("1三号").  Numerals not before a unit word
 *     are never converted: 十里铺, 五一路, 九华, 三门 stay.  The financial
 *     forms 壹贰叁 etc. are not converted (陆巷 is a place, not 6巷).
 *  4. Unit words after a number or letter (an ASCII digit or letter right
 *     before them, after rule 3):
 *     - 幢 and 座 become 栋 ("3幢" -> "3栋", "B座" -> "B栋");
 *     - 号楼, 号栋, 号幢, 号座 become 栋 ("3号楼" -> "3栋");
 *     - a 楼 without 号 is kept: "5楼" is often the fifth floor;
 *     - 单元 stays ("2单元");
 *     - a 室 or 户 at the very end, right after an ASCII digit, is dropped
 *       ("501室" -> "501"); elsewhere it stays ("3室1厅", "住户").
 *  Compact house numbers such as "3-2-501" (building-unit-room) are left as
 *  they are: the dash form is not guessed into 3栋2单元501.
 *
 * Before -> after:
 *
 *	湘潭市 岳塘区　书院路街道		湘潭市岳塘区书院路街道
 *	建设路１８号３幢２单元５０１室		建设路18号3栋2单元501
 *	建设路十八号三号楼二单元五〇一室	建设路18号3栋2单元501
 *	建设路18#楼，2单元、501户		建设路18栋2单元501
 *	建设路一百零五号			建设路105号
 *	建设路二十号b座				建设路20号B栋
 *	五一路十号				五一路10号
 *	十里铺村三组				十里铺村3组
 *	九华小区7栋3－2－501			九华小区7栋3-2-501
 *	和平路（东段）12号			和平路(东段)12号
 *	和平路5楼				和平路5楼
 *	一百五号				一百五号
 *
 * (In the fourth line 18# becomes 18号, then 号楼 becomes 栋, the
 * separators go and the trailing 户 after 501 is dropped.)
 *
 * The rules are idempotent: addr_norm of an output gives the same output.
 *
 * Address table: struct addr_table maps normalised addresses (or address
 * prefixes) to values (grid codes) on a strmap.  addr_table_match
 * normalises a query and returns the value of the LONGEST table entry that
 * is a prefix of it.  A prefix may end at any character boundary of the
 * normalised query, except between two ASCII letters or digits: a house
 * number is not cut in the middle, so an entry "建设路1" does not match
 * "建设路18号", and an entry "…3栋501" (from "…3栋501室") does not match the
 * room "…3栋5012".  Between Chinese characters any boundary counts (there
 * is no word segmentation): an entry "建设路" matches "建设路口5号".
 *
 * Ownership: addr_norm writes into the caller's struct buf; a struct
 * addr_table lives in the caller's storage, addr_table_init makes it empty,
 * addr_table_free releases it.  Values returned by addr_table_match point
 * into the table and stay valid until addr_table_free.
 * Errors: ERR_DATA for input that is not UTF-8 and for table conflicts
 * (the messages never contain the address or the value), ERR_INTERNAL when
 * out of memory.
 */
#ifndef GRID_ADDR_H
#define GRID_ADDR_H

#include <stddef.h>

#include "buf.h"
#include "err.h"
#include "strmap.h"

/*
 * addr_norm: the canonical form of the address s[0..n) (rules above) into
 * out, which is emptied first (buf_reset) and holds only the result
 * (NUL-terminated; out->len may be 0 when nothing is left).  s may be NULL
 * when n is 0.  Returns 0, ERR_DATA "not UTF-8" or ERR_INTERNAL; on error
 * out->len is 0.  Costs O(n), one allocation for inputs over 170 bytes
 * besides the growth of out.
 */
int addr_norm(const char *s, size_t n, struct buf *out, struct err *e);

struct addr_table {
	struct strmap map;	/* normalised address -> value */
	struct buf key;		/* scratch for addr_table_add */
	size_t maxkey;		/* longest key, bytes */
	size_t repeats;		/* adds of a key already there, same value */
};

/* addr_table_init: an empty table; allocates nothing. */
void addr_table_init(struct addr_table *t);

/*
 * addr_table_add: normalise addr[0..n) and map it to val[0..vn) (copied).
 * Adding an address whose normalised form is already there with the same
 * value is fine and counted (addr_table_repeats).  Errors, with the table
 * unchanged: ERR_DATA "not UTF-8", ERR_DATA "address is empty" (nothing
 * left after normalising), ERR_DATA "address listed twice with different
 * values", ERR_INTERNAL.
 */
int addr_table_add(struct addr_table *t, const char *addr, size_t n,
    const char *val, size_t vn, struct err *e);

/*
 * addr_table_match: normalise q[0..n) into scratch and find the longest
 * table entry that is a prefix of it, cut at a character boundary that is
 * not between two ASCII letters or digits (see above).  Returns 1 when
 * found: *val is the entry's value (NUL-terminated, owned by the table),
 * *vlen its length and *matched the length of the entry, i.e. of the
 * matching prefix of scratch->p (the normalised query).  Returns 0 when no
 * entry matches (or the normalised query is empty): *val NULL, *vlen and
 * *matched 0.  Returns a negative number, the negated error code, on error:
 * -ERR_DATA when q is not UTF-8, -ERR_INTERNAL; e says which.  vlen and
 * matched may be NULL.  Costs one hash lookup per character boundary of
 * the normalised query up to the longest entry's length.
 */
int addr_table_match(const struct addr_table *t, const char *q, size_t n,
    struct buf *scratch, const char **val, size_t *vlen, size_t *matched,
    struct err *e);

/* addr_table_count: number of distinct normalised addresses. */
size_t addr_table_count(const struct addr_table *t);

/* addr_table_repeats: adds that repeated an address with its same value. */
size_t addr_table_repeats(const struct addr_table *t);

/* addr_table_free: release everything; t may be initialised again. */
void addr_table_free(struct addr_table *t);

#endif
