/*
 * gen-events - write a synthetic event CSV for the grid-import benchmark
 *
 *   gen-events [rows]          (default 1000000) > events.csv
 *
 * The file looks like the events export of a district's grid platform (the
 * workers' phone app): Chinese headers that schemas/event.yaml maps by its
 * aliases, Chinese titles, descriptions and addresses built from a few dozen
 * phrases, GCJ-02 positions around 112.90E 27.85N (Xiangtan, Hunan), fake
 * grid workers with fake names and well-formed mobile numbers, datetimes as
 * "2017-03-14 09:30:00", the six steps of the closed loop with some events
 * still open, and RFC 4180 quoting where a value holds a comma, a double
 * quote or a line break.  Every value is one grid-import accepts, so the
 * whole file imports without a reject.
 *
 * Deterministic: its own PRNG (splitmix64) with a fixed seed; no rand(), no
 * clock, no locale.  The same row count gives the same bytes on every run
 * and machine.  The names and phone numbers are made up.
 *
 * Built by bench/import.sh with cc directly; not part of the Makefile.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- PRNG: splitmix64, fixed seed ---- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL ^ 20170314ULL;

static uint64_t
rnd64(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* uniform in [0, n), n > 0 (the bias is far below what matters here) */
static uint32_t
rnd(uint32_t n)
{
	return (uint32_t)(((rnd64() >> 32) * (uint64_t)n) >> 32);
}

/* a stateless hash, for values fixed per grid (worker name, phone) */
static uint64_t
mix(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* ---- vocabularies ---- */

struct weighted {
	const char *s;
	unsigned w;		/* weight out of the sum of the table */
};

/* All of these are keys of the schema's value map for source. */
static const struct weighted sources[] = {
	{ "网格员上报", 750 }, { "12345热线", 100 }, { "群众举报", 60 },
	{ "巡查发现", 50 }, { "领导交办", 20 }, { "信访", 10 },
	{ "媒体曝光", 10 },
};

/* Keys of the schema's value map for severity. */
static const struct weighted severities[] = {
	{ "一般", 700 }, { "较大", 200 }, { "重大", 70 }, { "紧急", 30 },
};

/* Category codes (pattern [0-9]{2}([0-9]{2,3}([0-9]{2})?)?) and names. */
static const struct {
	const char *code, *name;
} categories[] = {
	{ "0101", "暴露垃圾" }, { "0102", "积存垃圾渣土" },
	{ "0103", "道路不洁" }, { "0106", "乱堆物堆料" },
	{ "0108", "私搭乱建" }, { "0201", "非法小广告" },
	{ "0301", "施工扰民" }, { "0302", "施工废弃料" },
	{ "0401", "路面塌陷" }, { "0402", "自来水管破裂" },
	{ "0501", "无照经营游商" }, { "0502", "占道经营" },
	{ "0503", "店外经营" }, { "0505", "机动车乱停放" },
	{ "060101", "邻里纠纷" }, { "060203", "劳资纠纷" },
	{ "07011", "消防通道堵塞" }, { "07012", "电动车楼道充电" },
	{ "0802", "井盖缺失" }, { "0803", "路灯不亮" },
	{ "0805", "下水道堵塞" }, { "0901", "噪声扰民" },
};

static const char *const districts[] = { "雨湖区", "岳塘区" };

static const char *const streets[] = {
	"广场街道", "城正街街道", "雨湖路街道", "云塘街道", "先锋街道",
	"窑湾街道", "书院路街道", "下摄司街道", "建设路街道", "岳塘街道",
	"东坪街道", "宝塔街道",
};

static const char *const communities[] = {
	"车站路社区", "和平社区", "金侨社区", "杉山社区", "韶山西路社区",
	"雨湖路社区", "湘江社区", "滨江社区",
};

static const char *const roads[] = {
	"建设北路", "韶山中路", "基建营路", "河东大道", "车站路", "湖湘西路",
	"人民路", "宝塔路", "双拥路", "滨江路", "芙蓉路", "解放南路",
	"和平路", "平政路", "雨湖路", "建设南路", "晓塘路", "板塘路",
};

static const char *const landmarks[] = {
	"菜市场门口", "公交站旁", "小区东门", "学校对面", "超市前坪",
	"加油站附近", "居民楼下", "十字路口", "停车场内", "农贸市场",
	"桥底", "巷子口",
};

static const char *const phrases[] = {
	"影响周边居民出行", "群众反映强烈", "网格员已拍照取证",
	"请相关部门尽快处理", "网格员已现场劝导", "经初步核实情况属实",
	"存在一定安全隐患", "已通知社区物业", "当事人拒不整改",
	"夜间尤为严重", "已多次劝阻无效", "周边商户意见较大",
	"现场有积水", "影响市容市貌", "涉及老旧小区改造区域",
	"附近有幼儿园", "已设置临时警示标志", "需协调多个部门联合处置",
	"天气转晴后仍未清理", "建议纳入下月专项整治",
	"居民多次拨打热线反映", "物业表示无权处理",
};

static const char *const departments[] = {
	"城管执法局", "住建局", "生态环境分局", "市场监管局", "交警大队",
	"水务局", "供电公司", "消防救援大队", "街道综治中心", "市政设施管理处",
	"应急管理局", "公安分局",
};

static const char *const surnames[] = {
	"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐",
	"孙", "朱", "马", "胡", "郭", "林", "何", "高", "罗", "郑", "梁",
	"谢", "宋", "唐", "许", "邓", "冯", "韩", "曹", "曾", "彭", "萧",
	"蔡", "潘", "田", "董", "袁", "于", "余", "蒋", "杜", "叶", "程",
	"魏", "苏", "吕", "丁", "任", "卢", "欧阳", "易", "谭", "廖",
};

static const char *const given[] = {
	"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇",
	"艳", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平", "刚", "桂英",
	"华", "建国", "建华", "志强", "红", "玉兰", "海燕", "小红", "晓东",
	"湘", "楚", "韶华", "立新", "春梅", "文", "斌", "俊", "鹏",
};

/* Mobile prefixes: 1[3-9] and a third digit, as issued. */
static const char *const mobile[] = {
	"130", "131", "132", "133", "135", "136", "137", "138", "139", "150",
	"151", "152", "153", "155", "156", "157", "158", "159", "166", "173",
	"175", "176", "177", "180", "181", "182", "183", "186", "187", "188",
	"189", "191", "198", "199",
};

static const char *
pick_weighted(const struct weighted *t, size_t n)
{
	unsigned sum = 0, r;
	size_t i;

	for (i = 0; i < n; i++)
		sum += t[i].w;
	r = rnd(sum);
	for (i = 0; i < n - 1; i++) {
		if (r < t[i].w)
			break;
		r -= t[i].w;
	}
	return t[i].s;
}

#define PICK(a) ((a)[rnd(NELEM(a))])

/* ---- a growing byte string ---- */

struct str {
	char *p;
	size_t len, cap;
};

static void
grow(struct str *s, size_t more)
{
	if (s->len + more <= s->cap)
		return;
	while (s->len + more > s->cap)
		s->cap = s->cap ? s->cap * 2 : 4096;
	if ((s->p = realloc(s->p, s->cap)) == NULL) {
		perror("gen-events");
		exit(1);
	}
}

static void
add(struct str *s, const char *p, size_t n)
{
	grow(s, n);
	memcpy(s->p + s->len, p, n);
	s->len += n;
}

static void
adds(struct str *s, const char *p)
{
	add(s, p, strlen(p));
}

/* unsigned number, zero-padded to width digits */
static void
addnum(struct str *s, unsigned long long v, int width)
{
	char tmp[24];
	int i = 24;

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0 || 24 - i < width);
	add(s, tmp + i, (size_t)(24 - i));
}

/* ---- the output row ---- */

static struct str row, field;
static struct str outbuf;

/* Append field to the row, quoted when it must be (RFC 4180). */
static void
put(const char *p, size_t n, int first)
{
	size_t i;

	if (!first)
		add(&row, ",", 1);
	if (memchr(p, ',', n) == NULL && memchr(p, '"', n) == NULL &&
	    memchr(p, '\n', n) == NULL && memchr(p, '\r', n) == NULL) {
		add(&row, p, n);
		return;
	}
	add(&row, "\"", 1);
	for (i = 0; i < n; i++) {
		if (p[i] == '"')
			add(&row, "\"", 1);
		add(&row, p + i, 1);
	}
	add(&row, "\"", 1);
}

static void
putf(void)
{
	put(field.p, field.len, 0);
	field.len = 0;
}

static void
puts_field(const char *p)
{
	put(p, strlen(p), 0);
}

/* ---- time: seconds since 2017-01-01 00:00:00 (local, no zone) ---- */

#define DAY 86400LL

/* days since 1970-01-01 to y-m-d (Hinnant's days_from_civil) and back */
static void
civil_from_days(long long z, int *y, int *m, int *d)
{
	long long era, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	yoe = z - era * 146097;
	yoe = (yoe - yoe / 1460 + yoe / 36524 - yoe / 146096) / 365;
	doy = z - era * 146097 - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

#define EPOCH_2017 17167LL	/* days from 1970-01-01 to 2017-01-01 */

static void
put_time(long long t)
{
	int y, m, d;
	long long days = t / DAY, sec = t % DAY;

	civil_from_days(EPOCH_2017 + days, &y, &m, &d);
	addnum(&field, (unsigned)y, 4);
	adds(&field, "-");
	addnum(&field, (unsigned)m, 2);
	adds(&field, "-");
	addnum(&field, (unsigned)d, 2);
	adds(&field, " ");
	addnum(&field, (unsigned long long)(sec / 3600), 2);
	adds(&field, ":");
	addnum(&field, (unsigned long long)(sec / 60 % 60), 2);
	adds(&field, ":");
	addnum(&field, (unsigned long long)(sec % 60), 2);
	putf();
}

/* An empty field for a step not yet reached, else its time. */
static void
put_step(long long t, int reached)
{
	if (reached)
		put_time(t);
	else
		put("", 0, 0);
}

/* ---- grids and their workers ---- */

#define NSTREET NELEM(streets)
#define NCOMM NELEM(communities)
#define NGRIDPER 6
#define NGRID (NSTREET * NCOMM * NGRIDPER)

/* The worker of grid g: a name and a phone fixed by g. */
static void
worker_name(unsigned g, struct str *s)
{
	uint64_t h = mix(g * 2 + 1);

	adds(s, surnames[h % NELEM(surnames)]);
	adds(s, given[(h >> 16) % NELEM(given)]);
	if ((h >> 32) % 3 == 0)
		adds(s, given[(h >> 40) % NELEM(given)]);
}

static void
worker_phone(unsigned g, struct str *s)
{
	uint64_t h = mix(g * 2 + 2);

	adds(s, mobile[h % NELEM(mobile)]);
	addnum(s, (h >> 16) % 100000000ULL, 8);
}

static const char header[] =
	"事件编号,事件来源,事件类别,紧急程度,事件标题,事件描述,地址,"
	"经度,纬度,所属网格,上报人编号,上报人,上报人电话,是否自行处理,"
	"上报时间,立案时间,派遣时间,处置时间,核查时间,结案时间,处置部门,"
	"返工次数,回退次数,挂账开始时间,挂账结束时间,是否作废,作废原因\n";

static void
flush_out(int force)
{
	if (outbuf.len == 0 || (!force && outbuf.len < (1u << 20)))
		return;
	if (fwrite(outbuf.p, 1, outbuf.len, stdout) != outbuf.len) {
		perror("gen-events: write");
		exit(1);
	}
	outbuf.len = 0;
}

static void
gen_row(unsigned long long i, unsigned long long n)
{
	unsigned g, street, comm, cat, k, nph, ph, step, steps;
	const char *src;
	int self, quoted;
	long long t0, t1, t2, t3, t4, t5, span = 365 * DAY;

	g = rnd(NGRID);
	street = g / (NCOMM * NGRIDPER);
	comm = g / NGRIDPER % NCOMM;
	cat = rnd(NELEM(categories));
	src = pick_weighted(sources, NELEM(sources));

	/* 事件编号 */
	adds(&field, "SJ-2017-");
	addnum(&field, i + 1, 8);
	put(field.p, field.len, 1);
	field.len = 0;
	/* 事件来源, 事件类别, 紧急程度 */
	puts_field(src);
	puts_field(categories[cat].code);
	puts_field(pick_weighted(severities, NELEM(severities)));
	/* 事件标题: road, landmark, category */
	adds(&field, PICK(roads));
	adds(&field, PICK(landmarks));
	adds(&field, categories[cat].name);
	putf();
	/* 事件描述: 2 to 4 phrases; an ASCII comma now and then, a quote,
	 * rarely a second line */
	quoted = rnd(100) < 3;
	adds(&field, "现场发现");
	adds(&field, categories[cat].name);
	adds(&field, "问题");
	nph = 2 + rnd(3);
	ph = rnd(NELEM(phrases));	/* distinct phrases: a random stride */
	step = 1 + rnd(10);	/* 22 phrases: no repeat within 4 */
	for (k = 0; k < nph; k++) {
		adds(&field, rnd(100) < 15 ? ", " : "，");
		adds(&field, phrases[ph]);
		ph = (ph + step) % NELEM(phrases);
	}
	if (quoted) {
		adds(&field, "，居民称\"已反映");
		addnum(&field, 2 + rnd(5), 1);
		adds(&field, "次\"");
	}
	adds(&field, "。");
	if (rnd(1000) < 5) {
		adds(&field, "\n补充说明：");
		adds(&field, PICK(phrases));
		adds(&field, "。");
	}
	putf();
	/* 地址 */
	adds(&field, "湖南省湘潭市");
	adds(&field, districts[street * NELEM(districts) / NSTREET]);
	adds(&field, streets[street]);
	adds(&field, PICK(roads));
	addnum(&field, 1 + rnd(300), 1);
	adds(&field, "号");
	if (rnd(100) < 40) {
		adds(&field, rnd(100) < 10 ? ", " : "");
		adds(&field, communities[comm]);
		addnum(&field, 1 + rnd(30), 1);
		adds(&field, "栋");
		addnum(&field, 1 + rnd(4), 1);
		adds(&field, "单元");
	}
	putf();
	/* 经度, 纬度: GCJ-02, six decimals, around 112.90E 27.85N */
	adds(&field, "112.");
	addnum(&field, 840000 + rnd(120000), 6);
	putf();
	adds(&field, "27.");
	addnum(&field, 800000 + rnd(100000), 6);
	putf();
	/* 所属网格: 4303 + district + street + community + grid */
	adds(&field, "43030");
	addnum(&field, 2 + street * NELEM(districts) / NSTREET, 1);
	addnum(&field, street + 1, 3);
	addnum(&field, comm + 1, 3);
	addnum(&field, g % NGRIDPER + 1, 2);
	putf();
	/* 上报人编号, 上报人, 上报人电话: the grid's worker */
	adds(&field, "WG");
	addnum(&field, g + 1, 5);
	putf();
	worker_name(g, &field);
	putf();
	worker_phone(g, &field);
	putf();
	/* 是否自行处理 */
	self = src == sources[0].s && rnd(100) < 40;
	puts_field(self ? "是" : "否");
	/* the six steps, reports spread over 2017 in order of their ids */
	t0 = (long long)(i * (unsigned long long)(span - 600) / n) + rnd(600);
	t0 = t0 / DAY * DAY + 7 * 3600 + (long long)((t0 % DAY) * 14 / 24);
	t1 = t0 + 60 + rnd(7200);
	t2 = t1 + 300 + rnd(14400);
	t3 = (self ? t1 : t2) + 1800 + rnd(3 * 86400);
	t4 = t3 + 600 + rnd(86400);
	t5 = t4 + 60 + rnd(3600);
	/* steps reached: most events closed, some still open */
	k = rnd(100);
	steps = k < 90 ? 6 : k < 93 ? 5 : k < 96 ? 4 : k < 98 ? 3 : k < 99 ? 2 : 1;
	put_time(t0);
	put_step(t1, steps >= 2);
	put_step(t2, steps >= 3 && !self);
	put_step(t3, steps >= 4);
	put_step(t4, steps >= 5);
	put_step(t5, steps >= 6);
	/* 处置部门 */
	if (self) {
		adds(&field, communities[comm]);
		adds(&field, "居委会");
		putf();
	} else if (steps >= 3) {
		puts_field(PICK(departments));
	} else {
		put("", 0, 0);
	}
	/* 返工次数, 回退次数 */
	k = rnd(100);
	addnum(&field, k < 95 ? 0 : k < 99 ? 1 : 2, 1);
	putf();
	addnum(&field, rnd(100) < 97 ? 0 : 1, 1);
	putf();
	/* 挂账开始时间, 挂账结束时间 */
	if (!self && steps >= 4 && rnd(100) < 2) {
		put_time(t2 + 3600);
		put_time(t2 + 3600 + DAY * (1 + rnd(5)));
	} else {
		put("", 0, 0);
		put("", 0, 0);
	}
	/* 是否作废, 作废原因 */
	if (rnd(1000) < 5) {
		puts_field("作废");
		puts_field(rnd(2) ? "重复上报" : "非本辖区事件，已退回");
	} else {
		puts_field("正常");
		put("", 0, 0);
	}
	add(&row, "\n", 1);
	add(&outbuf, row.p, row.len);
	row.len = 0;
	flush_out(0);
}

int
main(int argc, char *argv[])
{
	unsigned long long n = 1000000, i;
	char *end;

	if (argc > 2 || (argc == 2 && (argv[1][0] < '0' || argv[1][0] > '9'))) {
		fputs("usage: gen-events [rows]\n", stderr);
		return 64;
	}
	if (argc == 2) {
		n = strtoull(argv[1], &end, 10);
		if (*end != '\0' || n == 0) {
			fputs("usage: gen-events [rows]\n", stderr);
			return 64;
		}
	}
	adds(&outbuf, header);
	for (i = 0; i < n; i++)
		gen_row(i, n);
	flush_out(1);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("gen-events: write");
		return 1;
	}
	return 0;
}
