/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-demo"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "crm-contacts.h"
#include "crm-demo.h"
#include "crm-pipeline.h"
#include "crm-text.h"

/* Demo content: a believable Vietnamese small-business workspace. Everything
 * comes from one seeded generator of our own (xoshiro256**), never from
 * g_random, whose sequence GLib does not promise to keep; the same seed and
 * the same "now" therefore give the same rows on every machine. Only integer
 * arithmetic is used, so no libm rounding can creep in either.
 *
 * What a failure leaves behind: the contacts are one import (one transaction,
 * written CRM_DEMO_CONTACT_BATCH at a time), every CRM_DEMO_ROW_BATCH rows of
 * the other tables one transaction. On an error or a cancellation the import
 * or batch being written is rolled back and the batches committed before it
 * stay; cancellation is checked before every batch. So a cancelled fill keeps
 * all of its contacts or none, and no row ever points at a row that is
 * missing. */

#define MINUTE 60
#define HOUR   3600
#define DAY    86400
#define TWO_YEARS (730 * (gint64) DAY)
/* Vietnam is UTC+7 all year; office hours and dates are local. */
#define ICT_OFFSET (7 * HOUR)

#define NONE G_MAXUINT32

/* The generator */

typedef struct
{
  guint64 s[4];
} Rng;

static guint64
splitmix64 (guint64 *x)
{
  guint64 z = (*x += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

/* Each kind of row draws from its own stream, so that, say, more contacts do
 * not change the companies. */
static void
rng_init (Rng     *rng,
          guint64  seed,
          guint64  stream)
{
  guint64 x = seed ^ (stream * G_GUINT64_CONSTANT (0xd1b54a32d192ed03));

  for (guint i = 0; i < G_N_ELEMENTS (rng->s); i++)
    rng->s[i] = splitmix64 (&x);
}

static inline guint64
rotl (guint64 x,
      int     k)
{
  return (x << k) | (x >> (64 - k));
}

static inline guint64
rng_next (Rng *rng)
{
  guint64 *s = rng->s;
  guint64 result = rotl (s[1] * 5, 7) * 9;
  guint64 t = s[1] << 17;

  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);

  return result;
}

/* 0 <= result < n (0 when n is 0), by multiplying instead of dividing. */
static inline guint32
rng_below (Rng     *rng,
           guint32  n)
{
  return (guint32) (((rng_next (rng) >> 32) * (guint64) n) >> 32);
}

static inline gboolean
rng_percent (Rng   *rng,
             guint  percent)
{
  return rng_below (rng, 100) < percent;
}

/* lo <= result < hi, or lo when the range is empty. */
static inline gint64
rng_between (Rng    *rng,
             gint64  lo,
             gint64  hi)
{
  if (hi <= lo)
    return lo;
  return lo + (gint64) (rng_next (rng) % (guint64) (hi - lo));
}

#define PICK(rng, array) ((array)[rng_below ((rng), G_N_ELEMENTS (array))])

/* Weighted choices */

typedef struct
{
  const char *text;
  guint       weight;
} Weighted;

typedef struct
{
  guint32 *cumulative;
  guint    n;
  guint32  total;
} Picker;

static void
picker_init (Picker       *picker,
             const guint  *weights,
             gsize         stride,
             guint         n)
{
  guint32 total = 0;

  picker->cumulative = g_new (guint32, MAX (n, 1));
  picker->n = n;
  for (guint i = 0; i < n; i++)
    {
      total += *(const guint *) ((const char *) weights + i * stride);
      picker->cumulative[i] = total;
    }
  picker->total = total;
}

#define PICKER_INIT(picker, table) \
  picker_init ((picker), &(table)[0].weight, sizeof (table)[0], G_N_ELEMENTS (table))

static void
picker_clear (Picker *picker)
{
  g_clear_pointer (&picker->cumulative, g_free);
}

static guint
picker_pick (const Picker *picker,
             Rng          *rng)
{
  guint32 r = rng_below (rng, picker->total);
  guint lo = 0;
  guint hi;

  if (picker->n == 0)
    return 0;

  hi = picker->n - 1;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (picker->cumulative[mid] > r)
        hi = mid;
      else
        lo = mid + 1;
    }

  return lo;
}

/* People's names. Weights are per mille for family names, after the shares
 * Vietnamese surveys give (Nguyễn about 38 %). */

static const Weighted family_names[] = {
  { "Nguyễn", 380 }, { "Trần", 110 }, { "Lê", 95 }, { "Phạm", 71 }, { "Hoàng", 34 },
  { "Huỳnh", 17 }, { "Phan", 45 }, { "Vũ", 20 }, { "Võ", 19 }, { "Đặng", 21 },
  { "Bùi", 20 }, { "Đỗ", 14 }, { "Hồ", 13 }, { "Ngô", 13 }, { "Dương", 10 },
  { "Lý", 5 }, { "Trương", 8 }, { "Đinh", 7 }, { "Lâm", 5 }, { "Mai", 5 },
  { "Đào", 5 }, { "Cao", 4 }, { "Hà", 4 }, { "Lương", 4 }, { "Trịnh", 4 },
  { "Lưu", 3 }, { "Tạ", 2 }, { "Tô", 2 }, { "Châu", 2 }, { "Thái", 2 },
  { "Phùng", 2 }, { "Quách", 1 }, { "Kiều", 1 }, { "Diệp", 1 },
};

static const Weighted middle_names_female[] = {
  { "Thị", 45 }, { "Ngọc", 8 }, { "Thu", 6 }, { "Thanh", 6 }, { "Thị Thu", 4 },
  { "Thị Ngọc", 4 }, { "Thị Thanh", 3 }, { "Thị Minh", 2 }, { "Thùy", 4 }, { "Minh", 4 },
  { "Phương", 3 }, { "Hồng", 3 }, { "Kim", 3 }, { "Mai", 2 }, { "Bảo", 2 },
  { "Khánh", 2 }, { "Thị Kim", 2 }, { "Diệu", 1 }, { "Quỳnh", 1 }, { "Hoài", 1 },
  { "Xuân", 2 },
};

static const Weighted middle_names_male[] = {
  { "Văn", 40 }, { "Hữu", 8 }, { "Đức", 8 }, { "Minh", 8 }, { "Quang", 6 },
  { "Xuân", 4 }, { "Thanh", 5 }, { "Công", 5 }, { "Quốc", 5 }, { "Trọng", 4 },
  { "Anh", 3 }, { "Hoàng", 3 }, { "Gia", 3 }, { "Tuấn", 2 }, { "Ngọc", 2 },
  { "Đình", 4 }, { "Bá", 2 }, { "Tiến", 2 }, { "Mạnh", 2 }, { "Thành", 2 },
  { "Duy", 2 }, { "Hải", 1 },
};

static const Weighted given_names_female[] = {
  { "An", 2 }, { "Anh", 4 }, { "Ánh", 2 }, { "Châu", 2 }, { "Chi", 3 },
  { "Dung", 3 }, { "Diệp", 1 }, { "Giang", 2 }, { "Hà", 3 }, { "Hạnh", 3 },
  { "Hằng", 3 }, { "Hiền", 3 }, { "Hoa", 3 }, { "Hương", 4 }, { "Huyền", 3 },
  { "Lan", 3 }, { "Linh", 5 }, { "Loan", 2 }, { "Ly", 2 }, { "Mai", 3 },
  { "My", 2 }, { "Nga", 3 }, { "Ngân", 2 }, { "Ngọc", 3 }, { "Nhi", 2 },
  { "Nhung", 3 }, { "Oanh", 2 }, { "Phương", 3 }, { "Quỳnh", 3 }, { "Tâm", 2 },
  { "Thảo", 4 }, { "Thư", 2 }, { "Thủy", 3 }, { "Trang", 5 }, { "Trinh", 2 },
  { "Tuyết", 2 }, { "Uyên", 2 }, { "Vân", 2 }, { "Vy", 2 }, { "Yến", 3 },
};

static const Weighted given_names_male[] = {
  { "An", 2 }, { "Anh", 4 }, { "Bảo", 2 }, { "Bình", 3 }, { "Cường", 3 },
  { "Duy", 3 }, { "Dũng", 4 }, { "Đạt", 3 }, { "Đức", 4 }, { "Giang", 1 },
  { "Hải", 4 }, { "Hiếu", 3 }, { "Hoàng", 3 }, { "Hùng", 4 }, { "Hưng", 3 },
  { "Huy", 4 }, { "Khánh", 2 }, { "Khoa", 2 }, { "Kiên", 2 }, { "Lâm", 2 },
  { "Lộc", 2 }, { "Long", 4 }, { "Minh", 5 }, { "Nam", 4 }, { "Nghĩa", 2 },
  { "Phong", 3 }, { "Phúc", 3 }, { "Quân", 3 }, { "Quang", 3 }, { "Sơn", 3 },
  { "Tài", 2 }, { "Tâm", 1 }, { "Thắng", 3 }, { "Thành", 3 }, { "Thịnh", 2 },
  { "Toàn", 2 }, { "Trí", 2 }, { "Trung", 3 }, { "Tuấn", 5 }, { "Tùng", 3 },
  { "Việt", 3 }, { "Vinh", 2 },
};

/* Foreigners: customers' expatriate managers, importers' buyers. */
static const Weighted foreign_given_female[] = {
  { "Mary", 1 }, { "Sarah", 1 }, { "Emma", 1 }, { "Jennifer", 1 }, { "Emily", 1 },
  { "Laura", 1 }, { "Anna", 1 }, { "Kate", 1 }, { "Lisa", 1 }, { "Rachel", 1 },
};

static const Weighted foreign_given_male[] = {
  { "John", 1 }, { "Michael", 1 }, { "David", 1 }, { "James", 1 }, { "Robert", 1 },
  { "William", 1 }, { "Daniel", 1 }, { "Thomas", 1 }, { "Peter", 1 }, { "Mark", 1 },
};

static const Weighted foreign_family_names[] = {
  { "Smith", 3 }, { "Johnson", 2 }, { "Brown", 2 }, { "Williams", 2 }, { "Jones", 2 },
  { "Miller", 1 }, { "Davis", 1 }, { "Wilson", 1 }, { "Taylor", 1 }, { "Anderson", 1 },
  { "Clark", 1 }, { "Walker", 1 }, { "White", 1 }, { "Harris", 1 }, { "Martin", 1 },
};

/* Places */

static const char *const districts_hcm[] = {
  "Quận 1", "Quận 3", "Quận 7", "Quận 10", "Bình Thạnh", "Phú Nhuận", "Tân Bình",
  "Gò Vấp", "Thủ Đức", NULL
};

static const char *const districts_hanoi[] = {
  "Ba Đình", "Hoàn Kiếm", "Đống Đa", "Cầu Giấy", "Hai Bà Trưng", "Thanh Xuân",
  "Long Biên", "Nam Từ Liêm", NULL
};

static const char *const districts_danang[] = {
  "Hải Châu", "Thanh Khê", "Sơn Trà", "Ngũ Hành Sơn", "Liên Chiểu", NULL
};

typedef struct
{
  const char         *text;        /* the name, as people write it */
  guint               weight;      /* share of the customers */
  const char         *tax_prefix;  /* first two digits of tax codes issued there */
  const char         *area_code;   /* landline area code, since 2017 */
  const char *const  *districts;
} Province;

/* The 34 provinces and centrally-run cities since the reorganisation of
 * 1 July 2025, weighted roughly by where businesses are. */
static const Province provinces[] = {
  { "TP. Hồ Chí Minh", 35, "03", "28", districts_hcm },
  { "Hà Nội", 25, "01", "24", districts_hanoi },
  { "Hải Phòng", 5, "02", "225", NULL },
  { "Đà Nẵng", 5, "04", "236", districts_danang },
  { "Cần Thơ", 3, "18", "292", NULL },
  { "Huế", 2, "33", "234", NULL },
  { "Đồng Nai", 4, "36", "251", NULL },
  { "Bắc Ninh", 2, "23", "222", NULL },
  { "Khánh Hòa", 2, "42", "258", NULL },
  { "Lâm Đồng", 2, "58", "263", NULL },
  { "Quảng Ninh", 2, "57", "203", NULL },
  { "Nghệ An", 2, "29", "238", NULL },
  { "Thanh Hóa", 2, "28", "237", NULL },
  { "Hưng Yên", 1, "09", "221", NULL },
  { "Ninh Bình", 1, "27", "229", NULL },
  { "Phú Thọ", 1, "26", "210", NULL },
  { "Thái Nguyên", 1, "46", "208", NULL },
  { "Tây Ninh", 1, "39", "276", NULL },
  { "An Giang", 1, "16", "296", NULL },
  { "Gia Lai", 1, "59", "269", NULL },
  { "Đắk Lắk", 1, "60", "262", NULL },
  { "Vĩnh Long", 1, "15", "270", NULL },
  { "Đồng Tháp", 1, "14", "277", NULL },
  { "Cà Mau", 1, "20", "290", NULL },
  { "Quảng Ngãi", 1, "43", "255", NULL },
  { "Quảng Trị", 1, "32", "233", NULL },
  { "Hà Tĩnh", 1, "30", "239", NULL },
  { "Lào Cai", 1, "53", "214", NULL },
  { "Tuyên Quang", 1, "50", "207", NULL },
  { "Sơn La", 1, "55", "212", NULL },
  { "Lạng Sơn", 1, "49", "205", NULL },
  { "Cao Bằng", 1, "48", "206", NULL },
  { "Lai Châu", 1, "62", "213", NULL },
  { "Điện Biên", 1, "56", "215", NULL },
};

static const char *const streets[] = {
  "Nguyễn Huệ", "Lê Lợi", "Trần Hưng Đạo", "Hai Bà Trưng", "Lý Thường Kiệt", "Nguyễn Trãi",
  "Quang Trung", "Lê Duẩn", "Điện Biên Phủ", "Nguyễn Văn Linh", "Võ Văn Kiệt",
  "Phạm Văn Đồng", "Trần Phú", "Hùng Vương", "Lê Hồng Phong", "Nguyễn Thị Minh Khai",
  "Cách Mạng Tháng Tám", "Bạch Đằng",
};

/* Mobile prefixes (the two digits after +84) by network, weighted roughly by
 * subscribers. */
static const Weighted mobile_prefixes[] = {
  /* Viettel */
  { "32", 3 }, { "33", 3 }, { "34", 3 }, { "35", 3 }, { "36", 3 }, { "37", 3 }, { "38", 3 },
  { "39", 3 }, { "86", 4 }, { "96", 5 }, { "97", 6 }, { "98", 6 },
  /* Vinaphone */
  { "81", 2 }, { "82", 2 }, { "83", 2 }, { "84", 2 }, { "85", 2 }, { "88", 3 }, { "91", 6 },
  { "94", 5 },
  /* MobiFone */
  { "70", 2 }, { "76", 2 }, { "77", 2 }, { "78", 2 }, { "79", 2 }, { "89", 3 }, { "90", 5 },
  { "93", 4 },
  /* Vietnamobile */
  { "52", 1 }, { "56", 1 }, { "58", 1 }, { "92", 2 },
  /* Gmobile */
  { "59", 1 }, { "99", 1 },
};

/* Companies */

static const Weighted legal_forms[] = {
  { "Công ty TNHH", 45 }, { "Công ty Cổ phần", 30 }, { "Công ty TNHH MTV", 15 },
  { "Doanh nghiệp tư nhân", 7 },
};

typedef struct
{
  const char *text;      /* the trade as it appears in the company name */
  guint       weight;
  const char *industry;  /* the industry column */
} Trade;

static const Trade trades[] = {
  { "Thương mại", 20, "Bán buôn, bán lẻ" },
  { "Xây dựng", 10, "Xây dựng" },
  { "Dịch vụ", 8, "Dịch vụ doanh nghiệp" },
  { "Sản xuất", 6, "Sản xuất" },
  { "Công nghệ", 6, "Công nghệ thông tin" },
  { "Phần mềm", 3, "Công nghệ thông tin" },
  { "Vận tải", 4, "Vận tải, kho bãi" },
  { "Logistics", 3, "Vận tải, kho bãi" },
  { "Thực phẩm", 5, "Chế biến thực phẩm" },
  { "Du lịch", 3, "Du lịch, lưu trú" },
  { "Đầu tư", 3, "Tài chính, đầu tư" },
  { "Xuất nhập khẩu", 5, "Xuất nhập khẩu" },
  { "Dược phẩm", 2, "Y tế, dược phẩm" },
  { "Nội thất", 3, "Sản xuất nội thất" },
  { "In ấn", 2, "In ấn, quảng cáo" },
  { "Quảng cáo", 2, "In ấn, quảng cáo" },
  { "May mặc", 3, "Dệt may" },
  { "Thiết bị điện", 2, "Điện, điện tử" },
  { "Điện tử", 2, "Điện, điện tử" },
  { "Giáo dục", 2, "Giáo dục, đào tạo" },
  { "Nông sản", 2, "Nông nghiệp" },
  { "Thủy sản", 2, "Thủy sản" },
  { "Bất động sản", 2, "Bất động sản" },
  { "Cơ khí", 2, "Cơ khí, chế tạo" },
  { "Mỹ phẩm", 2, "Bán buôn, bán lẻ" },
};

static const char *const brands[] = {
  "Minh Phát", "Hòa Bình", "Thành Công", "Phú Thịnh", "An Khang", "Đại Việt", "Hưng Thịnh",
  "Sao Mai", "Tân Phát", "Việt Tiến", "Hoàng Long", "Bình Minh", "Thiên Long", "Phương Nam",
  "Trường An", "Kim Ngân", "Nam Á", "Đông Á", "Hà Thành", "Toàn Cầu", "Ánh Dương", "Bảo Tín",
  "Gia Phát", "Vạn Lộc", "Hải Âu", "Sông Hồng", "Cửu Long", "Tiến Đạt", "Quang Minh",
  "Nhật Quang", "Phúc An", "Thịnh Vượng", "Trí Việt", "Lạc Hồng", "Hồng Hà", "Đức Thành",
  "Vĩnh Phát", "Hợp Nhất", "Hoàn Cầu", "Kim Long", "Phú Gia", "Mạnh Hùng", "Đông Dương",
  "Ngọc Lan", "Bảo An", "Thuận Phát", "Hưng Long", "Long Hải", "Nam Việt", "Tường Vy",
  "Thăng Long", "Hạnh Phúc", "An Phú", "Trường Thịnh", "Minh Long", "Tâm An", "Sen Vàng",
  "Tân Á", "Phước Lộc", "Đại Dương",
};

static const Weighted company_sizes[] = {
  { "1-9", 30 }, { "10-49", 35 }, { "50-199", 20 }, { "200-499", 10 }, { "500+", 5 },
};

static const char *const company_mailboxes[] = {
  "info", "lienhe", "contact", "sales", "kinhdoanh", "ketoan",
};

static const char *const top_level_domains[] = {
  ".com.vn", ".com.vn", ".vn", ".vn", ".com",
};

/* People's work */

static const char *const staff[] = {
  "lan.nguyen", "minh.tran", "huong.le", "tuan.pham", "thao.vo", "duc.hoang",
};

static const Weighted job_titles[] = {
  { "Giám đốc", 10 }, { "Phó giám đốc", 5 }, { "Giám đốc kinh doanh", 5 },
  { "Trưởng phòng kinh doanh", 8 }, { "Trưởng phòng mua hàng", 6 }, { "Kế toán trưởng", 6 },
  { "Kế toán", 8 }, { "Nhân viên mua hàng", 10 }, { "Nhân viên kinh doanh", 10 },
  { "Trưởng phòng nhân sự", 4 }, { "Chuyên viên IT", 4 }, { "Trưởng phòng marketing", 4 },
  { "Thư ký", 3 }, { "Trợ lý giám đốc", 3 }, { "Quản lý dự án", 4 }, { "Kỹ sư", 4 },
};

static const char *const individual_titles[] = {
  "Chủ cửa hàng", "Kinh doanh tự do", "Giáo viên", "Bác sĩ", "Kỹ sư", "Nhân viên văn phòng",
  "Sinh viên", "Chủ hộ kinh doanh",
};

static const Weighted sources[] = {
  { "Website", 25 }, { "Facebook", 25 }, { "Zalo", 20 }, { "Giới thiệu", 15 },
  { "Hội chợ", 7 }, { "Gọi điện", 8 },
};

static const Weighted email_domains[] = {
  { "gmail.com", 70 }, { "yahoo.com.vn", 15 }, { "outlook.com", 15 },
};

/* Lifecycle stages and lead statuses are rows; these weights go by key, and
 * rows added by the user get the default weight. */
static const Weighted lifecycle_weights[] = {
  { "subscriber", 8 }, { "lead", 25 }, { "mql", 10 }, { "sql", 8 }, { "opportunity", 10 },
  { "customer", 28 }, { "evangelist", 6 }, { "other", 5 },
};

/* Stages before "customer": those contacts get a lead status. */
static const char *const lead_lifecycle_keys[] = {
  "subscriber", "lead", "mql", "sql", "opportunity",
};

static const Weighted lead_status_weights[] = {
  { "new", 20 }, { "open", 15 }, { "in_progress", 15 }, { "open_deal", 10 },
  { "unqualified", 8 }, { "attempted", 12 }, { "connected", 12 }, { "bad_timing", 8 },
};

#define DEFAULT_WEIGHT 5

/* Deals. Placeholders: {n} a quantity, {who} the customer. Prices in đồng. */

typedef struct
{
  const char *text;
  guint       weight;
  guint       qty_min;
  guint       qty_max;     /* 0: no quantity */
  guint64     unit_min;
  guint64     unit_max;
} DealTemplate;

static const DealTemplate deal_templates[] = {
  { "Cung cấp {n} máy tính cho {who}", 4, 5, 120, 12000000, 25000000 },
  { "Cung cấp {n} laptop cho {who}", 3, 3, 60, 18000000, 35000000 },
  { "Cung cấp {n} máy in văn phòng cho {who}", 2, 2, 30, 4000000, 15000000 },
  { "Cung cấp {n} máy chủ cho {who}", 1, 1, 8, 80000000, 240000000 },
  { "Lắp đặt hệ thống camera an ninh cho {who}", 3, 0, 0, 20000000, 300000000 },
  { "Triển khai phần mềm kế toán cho {who}", 3, 0, 0, 15000000, 150000000 },
  { "Thiết kế website cho {who}", 3, 0, 0, 8000000, 80000000 },
  { "Bảo trì hệ thống điều hòa cả năm cho {who}", 2, 0, 0, 10000000, 200000000 },
  { "Cung cấp {n} bộ bàn ghế văn phòng cho {who}", 3, 10, 200, 2000000, 8000000 },
  { "Cung cấp {n} tấn gạo ST25 cho {who}", 2, 5, 100, 15000000, 20000000 },
  { "Cung cấp {n} thùng nước giải khát cho {who}", 3, 100, 2000, 150000, 300000 },
  { "Cung cấp văn phòng phẩm cả năm cho {who}", 3, 0, 0, 10000000, 120000000 },
  { "Tư vấn chứng nhận ISO 9001 cho {who}", 1, 0, 0, 50000000, 250000000 },
  { "Thi công nội thất văn phòng cho {who}", 2, 0, 0, 150000000, 2000000000 },
  { "Cung cấp {n} bộ đồng phục cho {who}", 3, 50, 1000, 250000, 600000 },
  { "Gói quảng cáo Facebook 6 tháng cho {who}", 2, 0, 0, 30000000, 300000000 },
  { "Vận chuyển hàng hóa tuyến Hà Nội - TP. Hồ Chí Minh cho {who}", 2, 0, 0, 20000000,
    500000000 },
  { "Đào tạo kỹ năng bán hàng cho {who}", 2, 0, 0, 15000000, 120000000 },
  { "Cung cấp {n} máy lọc nước cho {who}", 2, 5, 80, 5000000, 12000000 },
};

#define DEAL_VALUE_MIN G_GINT64_CONSTANT (5000000)
#define DEAL_VALUE_MAX G_GINT64_CONSTANT (2000000000)
/* Đồng per US dollar, near the 2024-2025 rate; enough for demo numbers. */
#define VND_PER_USD 25000

static const char *const lost_reasons[] = {
  "Giá cao hơn đối thủ",
  "Khách hàng chọn nhà cung cấp khác",
  "Khách hàng không có ngân sách",
  "Dự án bị hoãn sang năm sau",
  "Không liên lạc được với khách hàng",
  "Thời gian giao hàng không đáp ứng",
  "Sản phẩm chưa phù hợp nhu cầu",
  "Khách hàng tự làm, không thuê ngoài",
};

static const char *const deal_notes[] = {
  "Khách hàng yêu cầu giảm giá 5% nếu thanh toán trước.",
  "Cần xuất hóa đơn VAT cho công ty.",
  "Giao hàng theo từng đợt, đợt đầu trong tháng này.",
  "Người quyết định là giám đốc, đang đi công tác.",
  "Khách hàng cũ, đã mua hàng năm ngoái.",
  "Đang chờ khách gửi thông số kỹ thuật.",
};

/* Interactions. Placeholders: {product} anything sold, {device} something
 * that gets installed, repaired and demonstrated. */

static const char *const products[] = {
  "máy tính xách tay", "máy in văn phòng", "phần mềm kế toán", "bàn ghế văn phòng",
  "camera an ninh", "đồng phục công ty", "văn phòng phẩm", "nước uống đóng chai",
  "máy lọc nước", "điều hòa", "thiết bị mạng", "gạo ST25", "cà phê rang xay",
  "dịch vụ vận chuyển", "gói bảo trì",
};

static const char *const devices[] = {
  "máy tính xách tay", "máy in văn phòng", "phần mềm kế toán", "camera an ninh",
  "máy lọc nước", "điều hòa", "thiết bị mạng", "máy chấm công",
};

typedef enum
{
  KIND_CALL,
  KIND_EMAIL,
  KIND_MEETING,
  KIND_NOTE,
  KIND_MESSAGE,
  KIND_PURCHASE,
  KIND_FEEDBACK,
  KIND_COMPLAINT,
  KIND_SUPPORT,
  KIND_SURVEY,
  KIND_VISIT,
  N_KINDS
} Kind;

/* In the order of Kind. */
static const Weighted kinds[] = {
  { "call", 20 }, { "email", 18 }, { "meeting", 8 }, { "note", 10 }, { "message", 15 },
  { "purchase", 10 }, { "feedback", 5 }, { "complaint", 3 }, { "support", 5 },
  { "survey", 3 }, { "visit", 3 },
};

G_STATIC_ASSERT (G_N_ELEMENTS (kinds) == N_KINDS);

static const char *const call_subjects[] = {
  "Gọi tư vấn {product}", "Gọi lại theo yêu cầu của khách", "Xác nhận đơn hàng {product}",
  "Hỏi thăm sau bán hàng", "Nhắc thanh toán công nợ", "Giới thiệu chương trình khuyến mãi",
};
static const char *const call_bodies[] = {
  "Khách hàng hỏi giá {product} và thời gian giao hàng.",
  "Đã trao đổi nhu cầu, khách muốn nhận báo giá chi tiết qua email.",
  "Khách hàng đang bận, hẹn gọi lại vào buổi chiều.",
  "Khách hàng hài lòng với {product} đã mua lần trước.",
  "Đã nhắc khách thanh toán hóa đơn còn nợ, khách hẹn chuyển khoản trong tuần.",
};
static const char *const call_outcomes[] = {
  "Hẹn gửi báo giá", "Không nghe máy", "Hẹn gọi lại", "Đã chốt đơn", "Khách chưa có nhu cầu",
  "Đã trao đổi xong",
};

static const char *const email_subjects[] = {
  "Báo giá {product}", "Gửi hợp đồng mua bán {product}", "Thư cảm ơn quý khách",
  "Thông báo chương trình khuyến mãi", "Xác nhận lịch giao hàng", "Hóa đơn điện tử tháng này",
};
static const char *const email_bodies[] = {
  "Kính gửi anh/chị, bên em xin gửi báo giá {product} theo yêu cầu. Báo giá có hiệu lực "
  "trong 15 ngày.",
  "Cảm ơn anh/chị đã tin tưởng sử dụng sản phẩm của công ty chúng tôi.",
  "Kính gửi quý khách, đơn hàng sẽ được giao vào sáng thứ Hai tuần sau.",
  "Bên em gửi kèm hợp đồng, anh/chị xem và phản hồi giúp em nhé.",
};
static const char *const email_outcomes[] = {
  "Đã gửi", "Khách đã trả lời", "Chờ phản hồi",
};

static const char *const meeting_subjects[] = {
  "Gặp trực tiếp giới thiệu {product}", "Họp chốt hợp đồng", "Họp đánh giá dự án",
  "Trình diễn {device} tại văn phòng khách hàng", "Họp trực tuyến trao đổi yêu cầu",
};
static const char *const meeting_bodies[] = {
  "Khách hàng quan tâm đến {product}, yêu cầu thêm tài liệu kỹ thuật.",
  "Hai bên thống nhất các điều khoản chính, chờ ban giám đốc duyệt.",
  "Khách hàng góp ý về tiến độ triển khai, cần bổ sung nhân sự.",
  "Đã trình bày giải pháp, khách muốn so sánh thêm với nhà cung cấp khác.",
};
static const char *const meeting_outcomes[] = {
  "Thống nhất bước tiếp theo", "Cần gửi thêm tài liệu", "Khách cần thêm thời gian cân nhắc",
  "Đã ký biên bản ghi nhớ",
};

static const char *const note_subjects[] = {
  "Ghi chú", "Thông tin thêm về khách hàng", "Lưu ý khi chăm sóc khách hàng",
};
static const char *const note_bodies[] = {
  "Khách hàng thích được liên hệ qua Zalo vào buổi tối.",
  "Khách hàng đang so sánh giá với đối thủ, cần ưu đãi tốt hơn.",
  "Kế toán bên khách chỉ nhận hóa đơn trước ngày 25 hằng tháng.",
  "Khách hàng sắp mở thêm chi nhánh, có nhu cầu mua thêm {product}.",
  "Sinh nhật giám đốc bên khách vào tháng sau, nhớ gửi quà.",
};

static const Weighted message_channels[] = {
  { "zalo", 60 }, { "sms", 15 }, { "facebook", 25 },
};
/* In the order of message_channels. */
static const char *const message_subjects[] = {
  "Tin nhắn Zalo", "Tin nhắn SMS", "Tin nhắn Facebook",
};
static const char *const message_bodies[] = {
  "Chào anh/chị, bên em gửi thông tin {product} ạ.",
  "Dạ em cảm ơn anh/chị, em sẽ báo lại giá trong hôm nay.",
  "Anh/chị cho em xin địa chỉ giao hàng nhé.",
  "Khách hỏi còn hàng {product} không.",
  "Khách xác nhận đã nhận được hàng.",
};
static const char *const message_outcomes[] = {
  "Đã trả lời", "Chờ khách phản hồi",
};

static const char *const purchase_bodies[] = {
  "Mua {product}", "Đặt mua {product}, giao tại văn phòng", "Mua bổ sung {product}",
};
static const char *const purchase_channels[] = {
  "store", "website", "phone", "zalo",
};
static const char *const purchase_outcomes[] = {
  "Đã thanh toán", "Thanh toán khi nhận hàng", "Công nợ 30 ngày", "Đã chuyển khoản",
};

static const char *const feedback_subjects[] = {
  "Phản hồi về {product}", "Góp ý về dịch vụ giao hàng", "Đánh giá sau khi mua hàng",
};
static const char *const feedback_positive[] = {
  "Sản phẩm dùng tốt, nhân viên tư vấn nhiệt tình.",
  "Giao hàng nhanh, đóng gói cẩn thận.",
  "Rất hài lòng, sẽ giới thiệu cho bạn bè.",
};
static const char *const feedback_neutral[] = {
  "Sản phẩm ổn nhưng giá hơi cao so với thị trường.",
  "Chất lượng tạm được, mong có thêm nhiều mẫu mã.",
};
static const char *const feedback_negative[] = {
  "Giao hàng trễ hai ngày so với hẹn.",
  "Sản phẩm không giống như mô tả trên website.",
};
static const char *const feedback_outcomes[] = {
  "Đã ghi nhận", "Đã cảm ơn khách hàng", "Chuyển bộ phận liên quan",
};

static const char *const complaint_subjects[] = {
  "Khiếu nại: giao hàng chậm", "Khiếu nại: sản phẩm bị lỗi", "Khiếu nại: thái độ nhân viên",
  "Khiếu nại: sai thông tin hóa đơn VAT", "Khiếu nại: giao thiếu hàng",
};
/* In the order of complaint_subjects. */
static const char *const complaint_bodies[] = {
  "Đơn hàng giao chậm một tuần so với cam kết, khách rất không hài lòng.",
  "Khách hàng phản ánh {device} bị lỗi sau một tuần sử dụng, yêu cầu đổi mới.",
  "Khách phản ánh nhân viên giao hàng không lịch sự.",
  "Hóa đơn ghi sai mã số thuế, khách yêu cầu xuất lại.",
  "Đơn hàng giao thiếu {product} so với đơn đặt.",
};
static const char *const complaint_outcomes[] = {
  "Đã xử lý, khách đồng ý", "Đổi sản phẩm mới", "Hoàn tiền cho khách", "Đang xử lý",
  "Xuất lại hóa đơn",
};

static const char *const support_subjects[] = {
  "Hỗ trợ cài đặt {device}", "Hướng dẫn sử dụng {device}", "Yêu cầu bảo hành {device}",
  "Hỗ trợ kỹ thuật từ xa",
};
static const char *const support_bodies[] = {
  "Khách hàng không sử dụng được {device}, đã hướng dẫn khởi động lại và cập nhật.",
  "Hướng dẫn khách cài đặt {device} qua điện thoại.",
  "Khách gửi yêu cầu bảo hành {device}, kỹ thuật viên sẽ đến kiểm tra.",
  "Đã hỗ trợ từ xa qua UltraViewer, lỗi đã được khắc phục.",
};
static const char *const support_channels[] = {
  "phone", "email", "zalo",
};
static const char *const support_outcomes[] = {
  "Đã giải quyết", "Chuyển bộ phận kỹ thuật", "Hẹn kỹ thuật viên đến tận nơi",
  "Chờ linh kiện thay thế",
};

/* By satisfaction score, 1 to 5. */
static const char *const survey_comments[] = {
  "Không hài lòng.",
  "Chưa hài lòng về thời gian phản hồi.",
  "Bình thường.",
  "Hài lòng.",
  "Rất hài lòng với dịch vụ.",
};
static const Weighted survey_scores[] = {
  { "1", 5 }, { "2", 8 }, { "3", 20 }, { "4", 37 }, { "5", 30 },
};
static const char *const survey_channels[] = {
  "email", "website", "zalo",
};

static const char *const visit_in_subjects[] = {
  "Khách hàng ghé showroom", "Khách hàng đến văn phòng ký hợp đồng",
};
static const char *const visit_out_subjects[] = {
  "Thăm khách hàng tại văn phòng", "Khảo sát mặt bằng lắp đặt {device}",
  "Giao hàng và hướng dẫn sử dụng {device}",
};
static const char *const visit_bodies[] = {
  "Khách hàng xem trực tiếp {product}, hẹn quay lại cùng người quyết định.",
  "Đã gặp khách hàng, nắm được nhu cầu mở rộng văn phòng.",
  "Khảo sát xong, sẽ gửi phương án và báo giá trong tuần.",
};
static const char *const visit_outcomes[] = {
  "Khách hẹn quay lại", "Đã chốt đơn tại chỗ", "Gửi phương án sau",
};

/* Tasks. Placeholder: {who}. */

static const char *const task_titles[] = {
  "Gọi lại cho {who}", "Gửi báo giá cho {who}", "Gửi hợp đồng cho {who} ký",
  "Hẹn gặp {who}", "Theo dõi thanh toán của {who}", "Gửi mẫu sản phẩm cho {who}",
  "Xác nhận đơn hàng với {who}", "Gửi lời chúc mừng sinh nhật {who}",
  "Gửi catalogue mới cho {who}", "Chăm sóc sau bán hàng: {who}",
};
static const char *const task_titles_alone[] = {
  "Gửi báo giá", "Cập nhật danh sách khách hàng", "Chuẩn bị báo cáo doanh số tuần",
  "Kiểm tra tồn kho",
};
static const Weighted task_priorities[] = {
  { "0", 20 }, { "1", 50 }, { "2", 20 }, { "3", 10 },
};

/* State */

/* A table of names with their folded spellings, for email addresses. */
typedef struct
{
  const Weighted *items;
  guint           n;
  Picker          picker;
  char          **fold;      /* "thi ngoc" without spaces: "thingoc" */
  char          **initials;  /* "tn" */
} NameTable;

#define FLAG_FEMALE  (1 << 0)
#define FLAG_FOREIGN (1 << 1)

/* What later rows need to know about a contact, in 8 bytes. */
typedef struct
{
  guint32 company;  /* index + 1, or 0 */
  guint8  family;
  guint8  middle;
  guint8  given;
  guint8  flags;
} Person;

typedef struct
{
  gint64      id;
  char       *name;
  const char *brand;
  char       *domain;
  const char *owner;
  guint       province;
  gint64      created;
} Company;

typedef struct
{
  gint64 id;
  char   kind;  /* 'o'pen, 'w'on, 'l'ost */
  gint64 next_position;
} Stage;

typedef struct
{
  gint64  id;
  guint32 person;   /* index, or NONE */
  guint32 company;  /* index + 1, or 0 */
  gint64  created;
  gint64  end;      /* closed, or now */
} Deal;

/* The text of one contact: CrmNewContact only points at it. */
typedef struct
{
  char email[96];
  char e164[16];
  char raw[24];
} ContactText;

typedef struct
{
  CrmDemoProgress func;
  gpointer        data;
  guint64         total;
  guint64         done;
  double          reported;
} Progress;

typedef struct
{
  CrmStore       *store;
  CrmDemoOptions  options;
  GCancellable   *cancellable;
  gboolean        in_transaction;
  Progress        progress;

  gint64 now;
  gint64 start;  /* the first contact's day */
  gint64 span;   /* over which contacts were created */

  NameTable family;
  NameTable middle_female;
  NameTable middle_male;
  NameTable given_female;
  NameTable given_male;
  NameTable foreign_given_female;
  NameTable foreign_given_male;
  NameTable foreign_family;

  Picker provinces;
  Picker mobile_prefixes;
  Picker legal_forms;
  Picker trades;
  Picker company_sizes;
  Picker job_titles;
  Picker sources;
  Picker email_domains;
  Picker deal_templates;
  Picker kinds;
  Picker message_channels;
  Picker survey_scores;
  Picker task_priorities;

  /* from the workspace */
  GArray  *lifecycle_ids;
  GArray  *lifecycle_is_lead;
  Picker   lifecycle;
  GArray  *lead_status_ids;
  Picker   lead_status;
  GArray  *stages;
  Picker   stage_picker;

  /* what was written */
  Company *companies;
  guint    n_companies;
  Person  *people;
  guint    n_people;
  gint64  *batch_first_ids;
  Deal    *deals;
  guint    n_deals;
  guint32 *deals_with_person;
  guint    n_deals_with_person;

  /* unique phone numbers: subscriber = (i * mul + add) mod 10^7 */
  guint64 phone_mul;
  guint64 phone_add;

  /* scratch buffers, reused for every row */
  GString *text;
  GString *text2;
} Demo;

/* Helpers */

/* Writes into a fixed buffer, silently cutting at its end. */
typedef struct
{
  char *p;
  char *end;
} Cursor;

static inline void
cursor_init (Cursor *c,
             char   *buffer,
             gsize   size)
{
  c->p = buffer;
  c->end = buffer + size - 1;
}

static inline void
cursor_put_c (Cursor *c,
              char    ch)
{
  if (c->p < c->end)
    *c->p++ = ch;
}

static inline void
cursor_put (Cursor     *c,
            const char *s)
{
  while (*s != '\0' && c->p < c->end)
    *c->p++ = *s++;
}

static inline void
cursor_put_uint (Cursor *c,
                 guint   value,
                 guint   width)
{
  char digits[12];
  guint n = 0;

  do
    {
      digits[n++] = (char) ('0' + value % 10);
      value /= 10;
    }
  while ((value > 0 || n < width) && n < sizeof digits);

  while (n > 0)
    cursor_put_c (c, digits[--n]);
}

static inline void
cursor_finish (Cursor *c)
{
  *c->p = '\0';
}

static void
name_table_init (NameTable      *table,
                 const Weighted *items,
                 guint           n)
{
  table->items = items;
  table->n = n;
  picker_init (&table->picker, &items[0].weight, sizeof items[0], n);
  table->fold = g_new0 (char *, n + 1);
  table->initials = g_new0 (char *, n + 1);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *folded = crm_fold (items[i].text);
      GString *joined = g_string_new (NULL);
      GString *initials = g_string_new (NULL);
      gboolean word_start = TRUE;

      for (const char *p = folded; *p != '\0'; p++)
        {
          if (*p == ' ')
            {
              word_start = TRUE;
              continue;
            }
          if (word_start)
            g_string_append_c (initials, *p);
          g_string_append_c (joined, *p);
          word_start = FALSE;
        }
      table->fold[i] = g_string_free (joined, FALSE);
      table->initials[i] = g_string_free (initials, FALSE);
    }
}

#define NAME_TABLE_INIT(table, items) name_table_init ((table), (items), G_N_ELEMENTS (items))

static void
name_table_clear (NameTable *table)
{
  picker_clear (&table->picker);
  g_clear_pointer (&table->fold, g_strfreev);
  g_clear_pointer (&table->initials, g_strfreev);
}

static guint
name_table_pick (NameTable *table,
                 Rng       *rng)
{
  return picker_pick (&table->picker, rng);
}

/* Replaces {who}, {n}, {product} and {device} in a template. */
static void
expand (GString    *out,
        const char *template,
        const char *who,
        guint       n,
        const char *product,
        const char *device)
{
  g_string_truncate (out, 0);

  for (const char *p = template; *p != '\0'; p++)
    {
      if (*p == '{')
        {
          if (g_str_has_prefix (p, "{who}"))
            {
              g_string_append (out, who != NULL ? who : "");
              p += strlen ("{who}") - 1;
              continue;
            }
          if (g_str_has_prefix (p, "{n}"))
            {
              g_string_append_printf (out, "%u", n);
              p += strlen ("{n}") - 1;
              continue;
            }
          if (g_str_has_prefix (p, "{product}"))
            {
              g_string_append (out, product != NULL ? product : "");
              p += strlen ("{product}") - 1;
              continue;
            }
          if (g_str_has_prefix (p, "{device}"))
            {
              g_string_append (out, device != NULL ? device : "");
              p += strlen ("{device}") - 1;
              continue;
            }
        }
      g_string_append_c (out, *p);
    }
}

/* The proleptic Gregorian date of a day number (days since 1970-01-01). */
static void
civil_from_days (gint64  days,
                 int    *year,
                 guint  *month,
                 guint  *day)
{
  gint64 z = days + 719468;
  gint64 era = (z >= 0 ? z : z - 146096) / 146097;
  guint doe = (guint) (z - era * 146097);
  guint yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  guint doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  guint mp = (5 * doy + 2) / 153;

  *day = doy - (153 * mp + 2) / 5 + 1;
  *month = mp < 10 ? mp + 3 : mp - 9;
  *year = (int) (yoe + era * 400 + (*month <= 2));
}

/* The local (Vietnamese) date of a time as YYYY-MM-DD. */
static void
format_date (char   *buffer,
             gsize   size,
             gint64  time)
{
  int year;
  guint month, day;

  civil_from_days ((time + ICT_OFFSET) / DAY, &year, &month, &day);
  g_snprintf (buffer, size, "%04d-%02u-%02u", year, month, day);
}

/* The UTC time of local midnight of the day that holds @time. */
static gint64
local_midnight (gint64 time)
{
  return time - (time + ICT_OFFSET) % DAY;
}

/* Moves @time into office hours (8:00 to 18:00, local) of its day when that
 * stays within [lo, hi). */
static gint64
office_hours (Rng    *rng,
              gint64  time,
              gint64  lo,
              gint64  hi)
{
  gint64 moved = local_midnight (time) + 8 * HOUR + rng_below (rng, 10 * HOUR);

  return moved >= lo && moved < hi ? moved : time;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           column,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, column, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, column);
}

static void
bind_id (sqlite3_stmt *stmt,
         int           column,
         gint64        id)
{
  if (id > 0)
    sqlite3_bind_int64 (stmt, column, id);
  else
    sqlite3_bind_null (stmt, column);
}

static gint64
step_insert (Demo          *demo,
             sqlite3_stmt  *stmt,
             const char    *doing,
             GError       **error)
{
  int rc = sqlite3_step (stmt);
  gint64 id = 0;

  if (rc == SQLITE_DONE)
    id = sqlite3_last_insert_rowid (crm_store_get_db (demo->store));
  else
    crm_store_set_error (demo->store, error, rc, doing);

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);

  return id;
}

/* Progress */

static void
progress_advance (Progress *progress,
                  guint64   units)
{
  double fraction;

  progress->done += units;
  if (progress->func == NULL || progress->total == 0)
    return;

  fraction = MIN (1.0, (double) progress->done / (double) progress->total);
  if (fraction - progress->reported >= 0.01 || (fraction >= 1.0 && progress->reported < 1.0))
    {
      progress->reported = fraction;
      progress->func (fraction, progress->data);
    }
}

static void
progress_finish (Progress *progress)
{
  if (progress->func != NULL && progress->reported < 1.0)
    {
      progress->reported = 1.0;
      progress->func (1.0, progress->data);
    }
}

/* Transactions: one per batch */

static gboolean
batch_begin (Demo    *demo,
             GError **error)
{
  if (g_cancellable_set_error_if_cancelled (demo->cancellable, error))
    return FALSE;

  if (!crm_store_begin (demo->store, error))
    return FALSE;

  demo->in_transaction = TRUE;
  return TRUE;
}

static gboolean
batch_commit (Demo        *demo,
              const char  *entity,
              GError     **error)
{
  demo->in_transaction = FALSE;
  if (!crm_store_commit (demo->store, error))
    return FALSE;

  crm_store_emit_changed (demo->store, entity, 0);
  return TRUE;
}

/* Called before row @i of a table: commits the batch before and begins a
 * new one at every batch boundary. */
static gboolean
batch_row (Demo        *demo,
           guint        i,
           const char  *entity,
           GError     **error)
{
  if (i % CRM_DEMO_ROW_BATCH != 0)
    return TRUE;

  if (i > 0 && !batch_commit (demo, entity, error))
    return FALSE;

  return batch_begin (demo, error);
}

/* Reading the workspace */

static guint
weight_of (const Weighted *table,
           guint           n,
           const char     *key)
{
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (table[i].text, key) == 0)
      return table[i].weight;

  return DEFAULT_WEIGHT;
}

static gboolean
is_lead_key (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (lead_lifecycle_keys); i++)
    if (g_strcmp0 (lead_lifecycle_keys[i], key) == 0)
      return TRUE;

  return FALSE;
}

/* Reads (id, key) rows and weights them by key. */
static gboolean
read_keyed_rows (Demo            *demo,
                 const char      *sql,
                 const Weighted  *table,
                 guint            n_table,
                 GArray          *ids,
                 GArray          *is_lead,
                 Picker          *picker,
                 const char      *doing,
                 GError         **error)
{
  g_autoptr (GArray) weights = g_array_new (FALSE, FALSE, sizeof (guint));
  sqlite3_stmt *stmt = crm_store_prepare (demo->store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      const char *key = (const char *) sqlite3_column_text (stmt, 1);
      guint weight = weight_of (table, n_table, key);

      g_array_append_val (ids, id);
      g_array_append_val (weights, weight);
      if (is_lead != NULL)
        {
          gboolean lead = is_lead_key (key);

          g_array_append_val (is_lead, lead);
        }
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      crm_store_set_error (demo->store, error, rc, doing);
      return FALSE;
    }

  picker_init (picker, (const guint *) (gpointer) weights->data, sizeof (guint), weights->len);
  return TRUE;
}

static gboolean
read_stages (Demo    *demo,
             GError **error)
{
  g_autoptr (GArray) weights = g_array_new (FALSE, FALSE, sizeof (guint));
  sqlite3_stmt *stmt;
  guint n_open = 0;
  int rc;

  stmt = crm_store_prepare (demo->store,
                            "SELECT s.id, s.kind, "
                            "(SELECT ifnull(max(d.position), 0) FROM deal d "
                            " WHERE d.stage_id = s.id) "
                            "FROM stage s WHERE s.pipeline_id = 1 ORDER BY s.position, s.id",
                            error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *kind = (const char *) sqlite3_column_text (stmt, 1);
      Stage stage = {
        .id = sqlite3_column_int64 (stmt, 0),
        .kind = kind != NULL ? kind[0] : 'o',
        .next_position = sqlite3_column_int64 (stmt, 2),
      };
      guint weight;

      /* Fewer deals get further down the pipeline; about a fifth are won
       * and a sixth lost. */
      if (stage.kind == 'w')
        weight = 22;
      else if (stage.kind == 'l')
        weight = 18;
      else
        weight = MAX (20 - 3 * (int) n_open++, 6);

      g_array_append_val (demo->stages, stage);
      g_array_append_val (weights, weight);
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      crm_store_set_error (demo->store, error, rc, _("Cannot read the pipeline stages"));
      return FALSE;
    }

  picker_init (&demo->stage_picker, (const guint *) (gpointer) weights->data, sizeof (guint),
               weights->len);
  return TRUE;
}

static gboolean
read_workspace (Demo    *demo,
                GError **error)
{
  if (!read_keyed_rows (demo, "SELECT id, key FROM lifecycle_stage ORDER BY position, id",
                        lifecycle_weights, G_N_ELEMENTS (lifecycle_weights),
                        demo->lifecycle_ids, demo->lifecycle_is_lead, &demo->lifecycle,
                        _("Cannot read the lifecycle stages"), error))
    return FALSE;

  if (!read_keyed_rows (demo, "SELECT id, key FROM lead_status ORDER BY position, id",
                        lead_status_weights, G_N_ELEMENTS (lead_status_weights),
                        demo->lead_status_ids, NULL, &demo->lead_status,
                        _("Cannot read the lead statuses"), error))
    return FALSE;

  if (!read_stages (demo, error))
    return FALSE;

  if (demo->options.deals > 0 && demo->stages->len == 0)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                           _("The default pipeline has no stages to put demo deals in"));
      return FALSE;
    }

  return TRUE;
}

/* People */

static gint64
contact_id (Demo  *demo,
            guint  person)
{
  return demo->batch_first_ids[person / CRM_DEMO_CONTACT_BATCH] + person % CRM_DEMO_CONTACT_BATCH;
}

/* Contacts were created in order over the two years; none later than this. */
static gint64
contact_created_by (Demo  *demo,
                    guint  person)
{
  return demo->start + (gint64) ((guint64) (person + 1) * (guint64) demo->span
                                 / demo->n_people);
}

static NameTable *
given_table (Demo         *demo,
             const Person *person)
{
  gboolean female = (person->flags & FLAG_FEMALE) != 0;

  if (person->flags & FLAG_FOREIGN)
    return female ? &demo->foreign_given_female : &demo->foreign_given_male;

  return female ? &demo->given_female : &demo->given_male;
}

static NameTable *
middle_table (Demo         *demo,
              const Person *person)
{
  return (person->flags & FLAG_FEMALE) ? &demo->middle_female : &demo->middle_male;
}

static NameTable *
family_table (Demo         *demo,
              const Person *person)
{
  return (person->flags & FLAG_FOREIGN) ? &demo->foreign_family : &demo->family;
}

/* How staff write a customer's name in a task or a deal: "anh Đức",
 * "chị Hương", the full name, or "John Smith". */
static void
append_person (Demo     *demo,
               guint     person_index,
               gboolean  familiar,
               GString  *out)
{
  const Person *person = &demo->people[person_index];
  const char *given = given_table (demo, person)->items[person->given].text;
  const char *family = family_table (demo, person)->items[person->family].text;

  if (person->flags & FLAG_FOREIGN)
    {
      g_string_append_printf (out, "%s %s", given, family);
    }
  else if (familiar)
    {
      g_string_append_printf (out, "%s %s", (person->flags & FLAG_FEMALE) ? "chị" : "anh", given);
    }
  else
    {
      const char *middle = middle_table (demo, person)->items[person->middle].text;

      g_string_append_printf (out, "%s %s %s", family, middle, given);
    }
}

/* Whether the middle name ends with the given name ("Minh Minh"). */
static gboolean
ends_with_word (const char *text,
                const char *word)
{
  gsize text_len = strlen (text);
  gsize word_len = strlen (word);

  return text_len >= word_len
         && strcmp (text + text_len - word_len, word) == 0
         && (text_len == word_len || text[text_len - word_len - 1] == ' ');
}

static void
make_email (Demo          *demo,
            Rng           *rng,
            const Person  *person,
            const Company *company,
            char          *buffer,
            gsize          size)
{
  const char *given = given_table (demo, person)->fold[person->given];
  const char *family = family_table (demo, person)->fold[person->family];
  gboolean foreign = (person->flags & FLAG_FOREIGN) != 0;
  const NameTable *middle_names = foreign ? NULL : middle_table (demo, person);
  Cursor c;

  cursor_init (&c, buffer, size);

  if (company != NULL && rng_percent (rng, 55))
    {
      /* Vietnamese companies like given name + initials: ducnv@. */
      if (!foreign && rng_percent (rng, 60))
        {
          cursor_put (&c, given);
          cursor_put_c (&c, family[0]);
          cursor_put (&c, middle_names->initials[person->middle]);
        }
      else
        {
          cursor_put (&c, given);
          cursor_put_c (&c, '.');
          cursor_put (&c, family);
        }
      cursor_put_c (&c, '@');
      cursor_put (&c, company->domain);
    }
  else
    {
      guint style = rng_below (rng, 100);
      guint year = 1965 + rng_below (rng, 41);

      if (foreign)
        {
          cursor_put (&c, given);
          cursor_put_c (&c, '.');
          cursor_put (&c, family);
          if (style < 50)
            cursor_put_uint (&c, year % 100, 2);
        }
      else if (style < 40)
        {
          cursor_put (&c, given);
          cursor_put_c (&c, '.');
          cursor_put (&c, family);
          cursor_put_uint (&c, year % 100, 2);
        }
      else if (style < 65)
        {
          cursor_put (&c, family);
          cursor_put (&c, middle_names->fold[person->middle]);
          cursor_put (&c, given);
          if (style < 52)
            cursor_put_uint (&c, year % 100, 2);
        }
      else if (style < 85)
        {
          cursor_put (&c, given);
          cursor_put (&c, family);
          cursor_put_uint (&c, year, 4);
        }
      else
        {
          cursor_put (&c, given);
          cursor_put_c (&c, family[0]);
          cursor_put (&c, middle_names->initials[person->middle]);
          cursor_put_uint (&c, year % 100, 2);
        }
      cursor_put_c (&c, '@');
      cursor_put (&c, email_domains[picker_pick (&demo->email_domains, rng)].text);
    }

  cursor_finish (&c);
}

/* A mobile number: +84, a network prefix, seven digits. Contact i gets the
 * subscriber number (i * mul + add) mod 10^7; mul is prime to 10^7, so no two
 * contacts of one fill (up to ten million) share a number. */
static void
make_mobile (Demo  *demo,
             Rng   *rng,
             guint  person,
             char  *e164,
             char  *raw)
{
  const char *prefix = mobile_prefixes[picker_pick (&demo->mobile_prefixes, rng)].text;
  guint32 subscriber = (guint32) (((guint64) person * demo->phone_mul + demo->phone_add)
                                  % 10000000);
  char national[11];
  Cursor c;

  national[0] = '0';
  national[1] = prefix[0];
  national[2] = prefix[1];
  for (int i = 9; i >= 3; i--)
    {
      national[i] = (char) ('0' + subscriber % 10);
      subscriber /= 10;
    }
  national[10] = '\0';

  cursor_init (&c, e164, 16);
  cursor_put (&c, "+84");
  cursor_put (&c, national + 1);
  cursor_finish (&c);

  /* The number as people type it. */
  cursor_init (&c, raw, 24);
  switch (rng_below (rng, 20))
    {
    case 0: case 1: case 2: case 3: case 4: case 5: case 6: case 7: case 8:
      /* 0903 123 456 */
      for (int i = 0; i < 10; i++)
        {
          if (i == 4 || i == 7)
            cursor_put_c (&c, ' ');
          cursor_put_c (&c, national[i]);
        }
      break;

    case 9: case 10: case 11: case 12: case 13: case 14:
      cursor_put (&c, national);
      break;

    case 15: case 16:
      /* +84 903 123 456 */
      cursor_put (&c, "+84");
      for (int i = 1; i < 10; i++)
        {
          if (i == 1 || i == 4 || i == 7)
            cursor_put_c (&c, ' ');
          cursor_put_c (&c, national[i]);
        }
      break;

    case 17: case 18:
      /* 0903.123.456 */
      for (int i = 0; i < 10; i++)
        {
          if (i == 4 || i == 7)
            cursor_put_c (&c, '.');
          cursor_put_c (&c, national[i]);
        }
      break;

    default:
      cursor_put (&c, "84");
      cursor_put (&c, national + 1);
      break;
    }
  cursor_finish (&c);
}

static void
make_contact (Demo          *demo,
              Rng           *rng,
              guint          person_index,
              CrmNewContact *contact,
              ContactText   *text)
{
  Person *person = &demo->people[person_index];
  const Company *company = NULL;
  gboolean female = rng_below (rng, 2) == 0;
  gboolean foreign = rng_percent (rng, 5);
  NameTable *given_names;
  guint province;

  memset (contact, 0, sizeof *contact);
  person->flags = (female ? FLAG_FEMALE : 0) | (foreign ? FLAG_FOREIGN : 0);
  given_names = given_table (demo, person);
  person->family = (guint8) name_table_pick (family_table (demo, person), rng);
  person->given = (guint8) name_table_pick (given_names, rng);
  person->middle = 0;

  contact->given_name = given_names->items[person->given].text;
  contact->family_name = family_table (demo, person)->items[person->family].text;
  contact->given_name_first = foreign;

  if (!foreign)
    {
      NameTable *middle_names = middle_table (demo, person);

      person->middle = (guint8) name_table_pick (middle_names, rng);
      /* Nobody is called "Minh Minh". */
      for (guint tries = 0;
           tries < 4 && ends_with_word (middle_names->items[person->middle].text,
                                        contact->given_name);
           tries++)
        {
          person->given = (guint8) name_table_pick (given_names, rng);
          contact->given_name = given_names->items[person->given].text;
        }
      contact->middle_name = middle_names->items[person->middle].text;
    }

  person->company = 0;
  if (demo->n_companies > 0 && rng_percent (rng, 60))
    {
      guint32 c = rng_below (rng, demo->n_companies);

      person->company = c + 1;
      company = &demo->companies[c];
      contact->company_id = company->id;
    }

  if (company != NULL)
    contact->job_title = job_titles[picker_pick (&demo->job_titles, rng)].text;
  else if (rng_percent (rng, 60))
    contact->job_title = PICK (rng, individual_titles);

  make_email (demo, rng, person, company, text->email, sizeof text->email);
  contact->email = text->email;

  make_mobile (demo, rng, person_index, text->e164, text->raw);
  contact->phone_e164 = text->e164;
  contact->phone_raw = text->raw;

  if (company != NULL && rng_percent (rng, 70))
    province = company->province;
  else
    province = picker_pick (&demo->provinces, rng);
  contact->province = provinces[province].text;

  contact->source = sources[picker_pick (&demo->sources, rng)].text;
  contact->owner = company != NULL && rng_percent (rng, 70) ? company->owner : PICK (rng, staff);

  if (demo->lifecycle_ids->len > 0)
    {
      guint stage = picker_pick (&demo->lifecycle, rng);

      contact->lifecycle_stage_id = g_array_index (demo->lifecycle_ids, gint64, stage);
      if (g_array_index (demo->lifecycle_is_lead, gboolean, stage)
          && demo->lead_status_ids->len > 0)
        contact->lead_status_id = g_array_index (demo->lead_status_ids, gint64,
                                                 picker_pick (&demo->lead_status, rng));
    }

  /* Spread evenly over the two years, in id order. */
  {
    gint64 from = demo->start + (gint64) ((guint64) person_index * (guint64) demo->span
                                          / demo->n_people);
    gint64 to = contact_created_by (demo, person_index);

    contact->created = rng_between (rng, from, to + 1);
  }
}

static gboolean
fill_contacts (Demo    *demo,
               GError **error)
{
  guint n = demo->options.contacts;
  guint batch_size = MIN (n, CRM_DEMO_CONTACT_BATCH);
  g_autofree CrmNewContact *batch = g_new (CrmNewContact, batch_size);
  g_autofree ContactText *texts = g_new (ContactText, batch_size);
  g_autoptr (CrmContactImport) import = NULL;
  gint64 started = g_get_monotonic_time ();
  Rng rng;

  rng_init (&rng, demo->options.seed, 2);

  import = crm_contact_import_begin (demo->store, n, error);
  if (import == NULL)
    return FALSE;

  for (guint done = 0; done < n;)
    {
      guint count = MIN (CRM_DEMO_CONTACT_BATCH, n - done);
      gint64 first_id = 0;

      if (g_cancellable_set_error_if_cancelled (demo->cancellable, error))
        return FALSE;

      for (guint j = 0; j < count; j++)
        make_contact (demo, &rng, done + j, &batch[j], &texts[j]);

      if (!crm_contact_import_add (import, batch, count, &first_id, error))
        return FALSE;

      demo->batch_first_ids[done / CRM_DEMO_CONTACT_BATCH] = first_id;
      done += count;
      progress_advance (&demo->progress, count);
    }

  if (!crm_contact_import_finish (import, error))
    return FALSE;

  if (n > 0)
    {
      double seconds = (double) (g_get_monotonic_time () - started) / G_USEC_PER_SEC;

      g_debug ("%u contacts in %.2f s: %.0f contacts/s", n, seconds,
               seconds > 0 ? n / seconds : 0.0);
    }

  return TRUE;
}

/* Companies */

/* The folded text without spaces or punctuation: "Hòa Bình" -> "hoabinh". */
static void
append_slug (GString    *out,
             const char *text)
{
  g_autofree char *folded = crm_fold (text);

  for (const char *p = folded; *p != '\0'; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (out, *p);
}

/* A mã số thuế: two digits of the province, seven of a serial number, and a
 * check digit over the first nine, weighted 31 29 23 19 17 13 7 5 3; serials
 * whose check would be 10 are never issued. */
static void
make_tax_code (Rng        *rng,
               const char *prefix,
               GHashTable *used,
               char        code[11])
{
  static const guint weights[] = { 31, 29, 23, 19, 17, 13, 7, 5, 3 };

  for (;;)
    {
      guint32 serial = 1 + rng_below (rng, 9999999);
      guint sum = 0;

      g_snprintf (code, 11, "%c%c%07u", prefix[0], prefix[1], serial);
      for (guint i = 0; i < G_N_ELEMENTS (weights); i++)
        sum += weights[i] * (guint) (code[i] - '0');
      if (sum % 11 == 0)
        continue;
      code[9] = (char) ('0' + 10 - sum % 11);
      code[10] = '\0';

      if (!g_hash_table_contains (used, code))
        {
          g_hash_table_add (used, g_strdup (code));
          return;
        }
    }
}

static void
make_company_name (Demo       *demo,
                   Rng        *rng,
                   Company    *company,
                   const Trade *trade,
                   GHashTable *used)
{
  GString *name = demo->text;

  for (guint tries = 0;; tries++)
    {
      const char *form = legal_forms[picker_pick (&demo->legal_forms, rng)].text;

      company->brand = PICK (rng, brands);
      g_string_assign (name, form);
      if (!g_str_equal (form, "Doanh nghiệp tư nhân"))
        {
          g_string_append_c (name, ' ');
          g_string_append (name, trade->text);
          if (!g_str_equal (trade->text, "Dịch vụ") && rng_percent (rng, 20))
            g_string_append (name, " và Dịch vụ");
        }
      g_string_append_c (name, ' ');
      g_string_append (name, company->brand);

      /* After a few tries (thousands of companies), a second company of the
       * same name goes by its province, as real ones do. */
      if (tries >= 8)
        {
          g_string_append_c (name, ' ');
          g_string_append (name, provinces[company->province].text);
          if (tries >= 12)
            g_string_append_printf (name, " %u", tries - 10);
        }

      if (!g_hash_table_contains (used, name->str))
        break;
    }

  company->name = g_strdup (name->str);
  g_hash_table_add (used, company->name);
}

static void
make_company_domain (Demo        *demo,
                     Rng         *rng,
                     Company     *company,
                     const Trade *trade,
                     GHashTable  *used)
{
  GString *domain = demo->text;
  const char *tld = PICK (rng, top_level_domains);

  for (guint tries = 0;; tries++)
    {
      g_string_truncate (domain, 0);
      if (tries > 0)
        append_slug (domain, trade->text);
      append_slug (domain, company->brand);
      if (tries > 1)
        g_string_append_printf (domain, "%u", tries);
      g_string_append (domain, tld);

      if (!g_hash_table_contains (used, domain->str))
        break;
    }

  company->domain = g_strdup (domain->str);
  g_hash_table_add (used, company->domain);
}

/* A landline (+84, the area code, the subscriber: ten digits in all) or a
 * mobile for the smallest firms. */
static void
make_company_phone (Demo       *demo,
                    Rng        *rng,
                    const char *area_code,
                    GString    *out)
{
  g_string_assign (out, "+84");

  if (rng_percent (rng, 75))
    {
      gsize digits = 10 - strlen (area_code);

      g_string_append (out, area_code);
      g_string_append_c (out, rng_percent (rng, 70) ? '3' : '6');
      for (gsize i = 1; i < digits; i++)
        g_string_append_c (out, (char) ('0' + rng_below (rng, 10)));
    }
  else
    {
      g_string_append (out, mobile_prefixes[picker_pick (&demo->mobile_prefixes, rng)].text);
      for (guint i = 0; i < 7; i++)
        g_string_append_c (out, (char) ('0' + rng_below (rng, 10)));
    }
}

static gboolean
fill_companies (Demo    *demo,
                GError **error)
{
  g_autoptr (GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) domains = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) tax_codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                            NULL);
  g_autoptr (GString) phone = g_string_new (NULL);
  g_autoptr (GString) street = g_string_new (NULL);
  g_autoptr (GString) website = g_string_new (NULL);
  g_autoptr (GString) email = g_string_new (NULL);
  guint n = demo->options.companies;
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;
  Rng rng;

  if (n == 0)
    return TRUE;

  rng_init (&rng, demo->options.seed, 1);

  stmt = crm_store_prepare (demo->store,
                            "INSERT INTO company (name, tax_code, industry, size, website, "
                            "street, district, province, country, phone, email, owner, "
                            "created, updated) "
                            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'VN', ?9, ?10, ?11, "
                            "?12, ?12)",
                            error);
  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; i < n; i++)
    {
      Company *company = &demo->companies[i];
      const Trade *trade = &trades[picker_pick (&demo->trades, &rng)];
      const Province *province;
      const char *district = NULL;
      char tax_code[11];

      if (!batch_row (demo, i, "company", error))
        goto out;

      company->province = picker_pick (&demo->provinces, &rng);
      province = &provinces[company->province];
      company->owner = PICK (&rng, staff);
      company->created = rng_between (&rng, demo->start, demo->start + 60 * DAY);
      make_company_name (demo, &rng, company, trade, names);
      make_company_domain (demo, &rng, company, trade, domains);
      make_tax_code (&rng, province->tax_prefix, tax_codes, tax_code);
      make_company_phone (demo, &rng, province->area_code, phone);

      g_string_printf (street, "%u %s", 1 + rng_below (&rng, 350), PICK (&rng, streets));
      if (province->districts != NULL)
        district = province->districts[rng_below (&rng,
                                                  g_strv_length ((char **) province->districts))];

      g_string_printf (website, "https://%s%s", rng_percent (&rng, 40) ? "www." : "",
                       company->domain);
      g_string_printf (email, "%s@%s", PICK (&rng, company_mailboxes), company->domain);

      company->id = 0;
      sqlite3_bind_text (stmt, 1, company->name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, tax_code, -1, SQLITE_TRANSIENT);
      bind_text (stmt, 3, trade->industry);
      bind_text (stmt, 4, company_sizes[picker_pick (&demo->company_sizes, &rng)].text);
      bind_text (stmt, 5, rng_percent (&rng, 85) ? website->str : NULL);
      bind_text (stmt, 6, street->str);
      bind_text (stmt, 7, district);
      bind_text (stmt, 8, province->text);
      bind_text (stmt, 9, phone->str);
      bind_text (stmt, 10, email->str);
      bind_text (stmt, 11, company->owner);
      sqlite3_bind_int64 (stmt, 12, company->created);

      company->id = step_insert (demo, stmt, _("Cannot save a demo company"), error);
      if (company->id == 0)
        goto out;

      progress_advance (&demo->progress, 1);
    }

  ok = batch_commit (demo, "company", error);

out:
  sqlite3_finalize (stmt);
  return ok;
}

/* Deals */

static gint64
round_value (gint64 value)
{
  gint64 step = value < 100000000 ? 100000 : 1000000;

  return CLAMP (value / step * step, DEAL_VALUE_MIN, DEAL_VALUE_MAX);
}

static void
pick_deal_parties (Demo    *demo,
                   Rng     *rng,
                   guint32 *person,
                   guint32 *company)
{
  *person = NONE;
  *company = 0;

  if (demo->n_people > 0)
    {
      /* Mostly business to business: look for someone who works at a
       * company, and sell to that company. */
      if (rng_percent (rng, 85))
        for (guint tries = 0; tries < 6; tries++)
          {
            guint32 candidate = rng_below (rng, demo->n_people);

            if (demo->people[candidate].company != 0)
              {
                *person = candidate;
                break;
              }
          }

      if (*person == NONE)
        *person = rng_below (rng, demo->n_people);
      *company = demo->people[*person].company;
    }
  else if (demo->n_companies > 0)
    {
      *company = 1 + rng_below (rng, demo->n_companies);
    }
}

static gboolean
fill_deals (Demo    *demo,
            GError **error)
{
  guint n = demo->options.deals;
  guint n_stages = demo->stages->len;
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;
  Rng rng;

  if (n == 0)
    return TRUE;

  rng_init (&rng, demo->options.seed, 3);

  stmt = crm_store_prepare (demo->store,
                            "INSERT INTO deal (title, contact_id, company_id, stage_id, value, "
                            "currency, expected_close, owner, status, lost_reason, position, "
                            "stage_entered, closed, notes, created, updated) "
                            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
                            "?14, ?15, ?16)",
                            error);
  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; i < n; i++)
    {
      Deal *deal = &demo->deals[i];
      const DealTemplate *template = &deal_templates[picker_pick (&demo->deal_templates, &rng)];
      /* The first deals go one to each stage, so that every column of the
       * board has something in it. */
      guint stage_index = i < n_stages ? i : picker_pick (&demo->stage_picker, &rng);
      Stage *stage = &g_array_index (demo->stages, Stage, stage_index);
      const Company *company = NULL;
      const char *currency = "VND";
      const char *status;
      gint64 value, lower, stage_entered, closed = 0;
      guint qty = 1;
      char expected[16];

      if (!batch_row (demo, i, "deal", error))
        goto out;

      pick_deal_parties (demo, &rng, &deal->person, &deal->company);
      if (deal->company != 0)
        company = &demo->companies[deal->company - 1];

      /* Who the deal is for, as the title says it. */
      g_string_truncate (demo->text2, 0);
      if (company != NULL)
        g_string_append (demo->text2, rng_percent (&rng, 50) ? company->name : company->brand);
      else if (deal->person != NONE)
        append_person (demo, deal->person, FALSE, demo->text2);
      else
        g_string_append (demo->text2, "khách lẻ");

      if (template->qty_max > 0)
        qty = template->qty_min + rng_below (&rng, template->qty_max - template->qty_min + 1);
      expand (demo->text, template->text, demo->text2->str, qty, NULL, NULL);

      value = round_value ((gint64) qty * rng_between (&rng, (gint64) template->unit_min,
                                                       (gint64) template->unit_max + 1));
      if ((deal->person != NONE && (demo->people[deal->person].flags & FLAG_FOREIGN))
          || rng_percent (&rng, 5))
        {
          /* In cents, rounded to ten dollars. */
          currency = "USD";
          value = MAX (value / VND_PER_USD / 10 * 10, 200) * 100;
        }

      if (deal->person != NONE)
        lower = contact_created_by (demo, deal->person);
      else if (company != NULL)
        lower = company->created;
      else
        lower = demo->start;
      deal->created = rng_between (&rng, lower, demo->now - DAY);

      if (stage->kind == 'o')
        {
          status = "open";
          stage_entered = rng_between (&rng, deal->created, demo->now);
          format_date (expected, sizeof expected,
                       demo->now + rng_between (&rng, -30 * DAY, 120 * DAY));
          deal->end = demo->now;
        }
      else
        {
          status = stage->kind == 'w' ? "won" : "lost";
          closed = rng_between (&rng, deal->created + HOUR, demo->now);
          closed = MIN (closed, demo->now);
          stage_entered = closed;
          format_date (expected, sizeof expected,
                       closed + rng_between (&rng, -20 * DAY, 20 * DAY));
          deal->end = closed;
        }

      sqlite3_bind_text (stmt, 1, demo->text->str, -1, SQLITE_TRANSIENT);
      bind_id (stmt, 2, deal->person != NONE ? contact_id (demo, deal->person) : 0);
      bind_id (stmt, 3, company != NULL ? company->id : 0);
      sqlite3_bind_int64 (stmt, 4, stage->id);
      sqlite3_bind_int64 (stmt, 5, value);
      bind_text (stmt, 6, currency);
      bind_text (stmt, 7, expected);
      bind_text (stmt, 8, company != NULL && rng_percent (&rng, 80) ? company->owner
                                                                    : PICK (&rng, staff));
      bind_text (stmt, 9, status);
      bind_text (stmt, 10, stage->kind == 'l' ? PICK (&rng, lost_reasons) : NULL);
      sqlite3_bind_int64 (stmt, 11, stage->next_position += CRM_DEAL_POSITION_GAP);
      sqlite3_bind_int64 (stmt, 12, stage_entered);
      bind_id (stmt, 13, closed);
      bind_text (stmt, 14, rng_percent (&rng, 30) ? PICK (&rng, deal_notes) : NULL);
      sqlite3_bind_int64 (stmt, 15, deal->created);
      sqlite3_bind_int64 (stmt, 16, MAX (stage_entered, closed));

      deal->id = step_insert (demo, stmt, _("Cannot save a demo deal"), error);
      if (deal->id == 0)
        goto out;

      if (deal->person != NONE)
        demo->deals_with_person[demo->n_deals_with_person++] = i;
      demo->n_deals = i + 1;
      progress_advance (&demo->progress, 1);
    }

  ok = batch_commit (demo, "deal", error);

out:
  sqlite3_finalize (stmt);
  return ok;
}

/* Interactions */

typedef struct
{
  const char *channel;
  const char *direction;
  gint64      duration;     /* -1: none */
  const char *subject;      /* a template, unless subject_done */
  gboolean    subject_done; /* the subject is in demo->text already */
  const char *body;         /* a template, unless body_done */
  gboolean    body_done;
  gint64      amount;       /* with currency */
  const char *currency;
  const char *sentiment;
  guint       satisfaction; /* 0: none */
  const char *outcome;
} Content;

static const char *
sentiment_of_score (guint score)
{
  return score >= 4 ? "positive" : score == 3 ? "neutral" : "negative";
}

static const char *
either_direction (Rng   *rng,
                  guint  outbound_percent)
{
  return rng_percent (rng, outbound_percent) ? "outbound" : "inbound";
}

static void
make_content (Demo         *demo,
              Rng          *rng,
              Kind          kind,
              const Person *person,
              gint64        happened,
              Content      *content)
{
  memset (content, 0, sizeof *content);
  content->duration = -1;

  switch (kind)
    {
    case KIND_CALL:
      content->channel = "phone";
      content->direction = either_direction (rng, 60);
      content->duration = rng_percent (rng, 30) ? 15 + rng_below (rng, 60)
                                                : 60 + rng_below (rng, 1200);
      content->subject = PICK (rng, call_subjects);
      content->body = PICK (rng, call_bodies);
      content->outcome = PICK (rng, call_outcomes);
      break;

    case KIND_EMAIL:
      content->channel = "email";
      content->direction = either_direction (rng, 65);
      content->subject = PICK (rng, email_subjects);
      content->body = PICK (rng, email_bodies);
      content->outcome = PICK (rng, email_outcomes);
      break;

    case KIND_MEETING:
      content->channel = rng_percent (rng, 65) ? "in_person" : "video";
      content->direction = "outbound";
      content->duration = (6 + rng_below (rng, 19)) * 5 * MINUTE;
      content->subject = PICK (rng, meeting_subjects);
      content->body = PICK (rng, meeting_bodies);
      content->outcome = PICK (rng, meeting_outcomes);
      break;

    case KIND_NOTE:
      content->subject = PICK (rng, note_subjects);
      content->body = PICK (rng, note_bodies);
      break;

    case KIND_MESSAGE:
      {
        guint channel = picker_pick (&demo->message_channels, rng);

        content->channel = message_channels[channel].text;
        content->direction = either_direction (rng, 50);
        content->subject = message_subjects[channel];
        content->body = PICK (rng, message_bodies);
        content->outcome = rng_percent (rng, 60) ? PICK (rng, message_outcomes) : NULL;
      }
      break;

    case KIND_PURCHASE:
      {
        guint tier = rng_below (rng, 10);
        gint64 amount;

        /* Most orders are small; a few are large. */
        if (tier < 5)
          amount = rng_between (rng, 200000, 5000000);
        else if (tier < 9)
          amount = rng_between (rng, 5000000, 30000000);
        else
          amount = rng_between (rng, 30000000, 80000000);
        amount = amount / 1000 * 1000;

        content->channel = PICK (rng, purchase_channels);
        content->direction = "inbound";
        g_string_printf (demo->text, "Đơn hàng DH%06u", 1 + rng_below (rng, 999999));
        content->subject_done = TRUE;
        content->body = PICK (rng, purchase_bodies);
        if ((person->flags & FLAG_FOREIGN) && rng_percent (rng, 50))
          {
            content->currency = "USD";
            content->amount = MAX (amount / VND_PER_USD, 10) * 100;
          }
        else
          {
            content->currency = "VND";
            content->amount = amount;
          }
        content->outcome = PICK (rng, purchase_outcomes);
      }
      break;

    case KIND_FEEDBACK:
      {
        guint mood = rng_below (rng, 100);

        content->channel = rng_percent (rng, 50) ? "zalo" : "website";
        content->direction = "inbound";
        content->subject = PICK (rng, feedback_subjects);
        if (mood < 60)
          {
            content->satisfaction = 4 + rng_below (rng, 2);
            content->body = PICK (rng, feedback_positive);
          }
        else if (mood < 85)
          {
            content->satisfaction = 3;
            content->body = PICK (rng, feedback_neutral);
          }
        else
          {
            content->satisfaction = 1 + rng_below (rng, 2);
            content->body = PICK (rng, feedback_negative);
          }
        content->sentiment = sentiment_of_score (content->satisfaction);
        content->outcome = PICK (rng, feedback_outcomes);
      }
      break;

    case KIND_COMPLAINT:
      {
        guint which = rng_below (rng, G_N_ELEMENTS (complaint_subjects));
        static const char *const channels[] = { "phone", "email", "zalo", "in_person" };

        content->channel = PICK (rng, channels);
        content->direction = "inbound";
        content->subject = complaint_subjects[which];
        content->body = complaint_bodies[which];
        content->satisfaction = rng_percent (rng, 85) ? 1 + rng_below (rng, 2) : 3;
        content->sentiment = sentiment_of_score (content->satisfaction);
        content->outcome = PICK (rng, complaint_outcomes);
      }
      break;

    case KIND_SUPPORT:
      content->channel = PICK (rng, support_channels);
      content->direction = "inbound";
      if (g_str_equal (content->channel, "phone"))
        content->duration = 120 + rng_below (rng, 1500);
      content->subject = PICK (rng, support_subjects);
      content->body = PICK (rng, support_bodies);
      content->outcome = PICK (rng, support_outcomes);
      break;

    case KIND_SURVEY:
      {
        int year;
        guint month, day;

        civil_from_days ((happened + ICT_OFFSET) / DAY, &year, &month, &day);
        content->channel = PICK (rng, survey_channels);
        content->direction = "inbound";
        content->satisfaction = 1 + picker_pick (&demo->survey_scores, rng);
        content->sentiment = sentiment_of_score (content->satisfaction);
        g_string_printf (demo->text, "Khảo sát mức độ hài lòng quý %u/%d", (month + 2) / 3,
                         year);
        content->subject_done = TRUE;
        g_string_printf (demo->text2, "Điểm hài lòng: %u/5. %s", content->satisfaction,
                         survey_comments[content->satisfaction - 1]);
        content->body_done = TRUE;
        content->outcome = "Đã ghi nhận";
      }
      break;

    case KIND_VISIT:
      content->channel = "in_person";
      if (rng_percent (rng, 40))
        {
          content->direction = "inbound";
          content->subject = PICK (rng, visit_in_subjects);
        }
      else
        {
          content->direction = "outbound";
          content->subject = PICK (rng, visit_out_subjects);
        }
      content->duration = (3 + rng_below (rng, 16)) * 5 * MINUTE;
      content->body = PICK (rng, visit_bodies);
      content->outcome = PICK (rng, visit_outcomes);
      break;

    case N_KINDS:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
kind_fits_deal (Kind kind)
{
  return kind == KIND_CALL || kind == KIND_EMAIL || kind == KIND_MEETING || kind == KIND_NOTE
         || kind == KIND_MESSAGE || kind == KIND_VISIT;
}

static gboolean
fill_interactions (Demo    *demo,
                   GError **error)
{
  guint n = demo->options.interactions;
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;
  Rng rng;

  if (n == 0)
    return TRUE;

  rng_init (&rng, demo->options.seed, 4);

  stmt = crm_store_prepare (demo->store,
                            "INSERT INTO interaction (contact_id, deal_id, kind, channel, "
                            "direction, happened, duration, subject, body, amount, currency, "
                            "sentiment, satisfaction, outcome, created) "
                            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
                            "?14, ?6)",
                            error);
  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; i < n; i++)
    {
      /* The first interactions are one of each kind. */
      Kind kind = i < N_KINDS ? (Kind) i : (Kind) picker_pick (&demo->kinds, &rng);
      const Deal *deal = NULL;
      const char *product = PICK (&rng, products);
      const char *device = PICK (&rng, devices);
      guint32 person;
      gint64 lo, hi, happened;
      Content content;

      if (!batch_row (demo, i, "interaction", error))
        goto out;

      if (kind_fits_deal (kind) && demo->n_deals_with_person > 0 && rng_percent (&rng, 30))
        {
          deal = &demo->deals[demo->deals_with_person[rng_below (&rng,
                                                                 demo->n_deals_with_person)]];
          person = deal->person;
          lo = deal->created;
          hi = deal->end;
        }
      else
        {
          /* Older customers have a longer history. */
          person = MIN (rng_below (&rng, demo->n_people), rng_below (&rng, demo->n_people));
          lo = contact_created_by (demo, person);
          hi = demo->now;
        }

      happened = rng_between (&rng, lo, hi);
      happened = office_hours (&rng, happened, lo, hi);
      happened = CLAMP (happened, demo->now - TWO_YEARS + 1, demo->now);

      make_content (demo, &rng, kind, &demo->people[person], happened, &content);
      if (!content.subject_done)
        expand (demo->text, content.subject, NULL, 0, product, device);
      if (!content.body_done)
        expand (demo->text2, content.body, NULL, 0, product, device);

      sqlite3_bind_int64 (stmt, 1, contact_id (demo, person));
      bind_id (stmt, 2, deal != NULL ? deal->id : 0);
      bind_text (stmt, 3, kinds[kind].text);
      bind_text (stmt, 4, content.channel);
      bind_text (stmt, 5, content.direction);
      sqlite3_bind_int64 (stmt, 6, happened);
      if (content.duration >= 0)
        sqlite3_bind_int64 (stmt, 7, content.duration);
      bind_text (stmt, 8, demo->text->str);
      bind_text (stmt, 9, demo->text2->str);
      if (content.currency != NULL)
        {
          sqlite3_bind_int64 (stmt, 10, content.amount);
          bind_text (stmt, 11, content.currency);
        }
      bind_text (stmt, 12, content.sentiment);
      if (content.satisfaction > 0)
        sqlite3_bind_int (stmt, 13, (int) content.satisfaction);
      bind_text (stmt, 14, content.outcome);

      if (step_insert (demo, stmt, _("Cannot save a demo interaction"), error) == 0)
        goto out;

      progress_advance (&demo->progress, 1);
    }

  ok = batch_commit (demo, "interaction", error);

out:
  sqlite3_finalize (stmt);
  return ok;
}

/* Tasks */

static gboolean
fill_tasks (Demo    *demo,
            GError **error)
{
  guint n = crm_demo_count_tasks (&demo->options);
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;
  Rng rng;

  if (n == 0)
    return TRUE;

  rng_init (&rng, demo->options.seed, 5);

  stmt = crm_store_prepare (demo->store,
                            "INSERT INTO task (title, due, remind_at, done, done_at, priority, "
                            "contact_id, deal_id, owner, created, updated) "
                            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                            error);
  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; i < n; i++)
    {
      /* The first task is open and the second done; then a little more
       * than half are done. */
      gboolean done = i == 1 || (i > 1 && rng_percent (&rng, 55));
      const Deal *deal = NULL;
      guint32 person = NONE;
      const Company *company = NULL;
      gint64 lo = demo->start;
      gint64 due, day, created, done_at = 0, remind_at = 0;

      if (!batch_row (demo, i, "task", error))
        goto out;

      if (demo->n_deals > 0 && (demo->n_people == 0 || rng_percent (&rng, 40)))
        {
          deal = &demo->deals[rng_below (&rng, demo->n_deals)];
          person = deal->person;
          if (deal->company != 0)
            company = &demo->companies[deal->company - 1];
          lo = deal->created;
        }
      else if (demo->n_people > 0)
        {
          person = rng_below (&rng, demo->n_people);
          lo = contact_created_by (demo, person);
        }

      g_string_truncate (demo->text2, 0);
      if (person != NONE)
        append_person (demo, person, rng_percent (&rng, 50), demo->text2);
      else if (company != NULL)
        g_string_append (demo->text2, company->brand);

      if (demo->text2->len > 0)
        expand (demo->text, PICK (&rng, task_titles), demo->text2->str, 0, NULL, NULL);
      else
        g_string_assign (demo->text, PICK (&rng, task_titles_alone));

      /* Due at 9:00 or 14:00, local time. */
      if (done)
        day = local_midnight (rng_between (&rng, MAX (lo, demo->start + 7 * DAY),
                                           demo->now - 2 * DAY));
      else if (rng_percent (&rng, 30))
        day = local_midnight (demo->now - rng_between (&rng, 1, 15) * DAY);  /* overdue */
      else
        day = local_midnight (demo->now + rng_between (&rng, 1, 31) * DAY);
      due = day + (rng_percent (&rng, 50) ? 9 : 14) * HOUR;

      if (rng_percent (&rng, 60))
        remind_at = due - (rng_percent (&rng, 50) ? HOUR : DAY);
      created = MIN (MAX (lo, due - rng_between (&rng, DAY, 14 * DAY)), demo->now);
      if (done)
        done_at = CLAMP (due + rng_between (&rng, -2 * DAY, DAY), created, demo->now);

      sqlite3_bind_text (stmt, 1, demo->text->str, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, due);
      bind_id (stmt, 3, remind_at);
      sqlite3_bind_int (stmt, 4, done ? 1 : 0);
      bind_id (stmt, 5, done_at);
      sqlite3_bind_int (stmt, 6, (int) picker_pick (&demo->task_priorities, &rng));
      bind_id (stmt, 7, person != NONE ? contact_id (demo, person) : 0);
      bind_id (stmt, 8, deal != NULL ? deal->id : 0);
      bind_text (stmt, 9, PICK (&rng, staff));
      sqlite3_bind_int64 (stmt, 10, created);
      sqlite3_bind_int64 (stmt, 11, MAX (created, done_at));

      if (step_insert (demo, stmt, _("Cannot save a demo task"), error) == 0)
        goto out;

      progress_advance (&demo->progress, 1);
    }

  ok = batch_commit (demo, "task", error);

out:
  sqlite3_finalize (stmt);
  return ok;
}

/* Setting up and tearing down */

static void
demo_init (Demo                 *demo,
           CrmStore             *store,
           const CrmDemoOptions *options,
           GCancellable         *cancellable)
{
  guint n_batches;
  Rng rng;

  memset (demo, 0, sizeof *demo);
  demo->store = store;
  demo->options = *options;
  demo->cancellable = cancellable;

  demo->now = options->now != 0 ? options->now : g_get_real_time () / G_USEC_PER_SEC;
  /* Contacts came in from two years ago to yesterday. */
  demo->start = demo->now - TWO_YEARS + DAY;
  demo->span = TWO_YEARS - 2 * DAY;

  NAME_TABLE_INIT (&demo->family, family_names);
  NAME_TABLE_INIT (&demo->middle_female, middle_names_female);
  NAME_TABLE_INIT (&demo->middle_male, middle_names_male);
  NAME_TABLE_INIT (&demo->given_female, given_names_female);
  NAME_TABLE_INIT (&demo->given_male, given_names_male);
  NAME_TABLE_INIT (&demo->foreign_given_female, foreign_given_female);
  NAME_TABLE_INIT (&demo->foreign_given_male, foreign_given_male);
  NAME_TABLE_INIT (&demo->foreign_family, foreign_family_names);

  PICKER_INIT (&demo->provinces, provinces);
  PICKER_INIT (&demo->mobile_prefixes, mobile_prefixes);
  PICKER_INIT (&demo->legal_forms, legal_forms);
  PICKER_INIT (&demo->trades, trades);
  PICKER_INIT (&demo->company_sizes, company_sizes);
  PICKER_INIT (&demo->job_titles, job_titles);
  PICKER_INIT (&demo->sources, sources);
  PICKER_INIT (&demo->email_domains, email_domains);
  PICKER_INIT (&demo->deal_templates, deal_templates);
  PICKER_INIT (&demo->kinds, kinds);
  PICKER_INIT (&demo->message_channels, message_channels);
  PICKER_INIT (&demo->survey_scores, survey_scores);
  PICKER_INIT (&demo->task_priorities, task_priorities);

  demo->lifecycle_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  demo->lifecycle_is_lead = g_array_new (FALSE, FALSE, sizeof (gboolean));
  demo->lead_status_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  demo->stages = g_array_new (FALSE, FALSE, sizeof (Stage));

  demo->n_companies = options->companies;
  demo->companies = g_new0 (Company, MAX (options->companies, 1));
  demo->n_people = options->contacts;
  demo->people = g_new0 (Person, MAX (options->contacts, 1));
  n_batches = options->contacts / CRM_DEMO_CONTACT_BATCH + 1;
  demo->batch_first_ids = g_new0 (gint64, n_batches);
  demo->deals = g_new0 (Deal, MAX (options->deals, 1));
  demo->deals_with_person = g_new0 (guint32, MAX (options->deals, 1));

  /* A multiplier prime to 10^7 (odd, not a multiple of 5) and large enough
   * that neighbours' numbers look unrelated. */
  rng_init (&rng, options->seed, 0);
  demo->phone_mul = 1000003 + 2 * (guint64) rng_below (&rng, 4000000);
  while (demo->phone_mul % 5 == 0)
    demo->phone_mul += 2;
  demo->phone_add = rng_below (&rng, 10000000);

  demo->text = g_string_sized_new (256);
  demo->text2 = g_string_sized_new (256);

  demo->progress.total = (guint64) options->companies + options->contacts + options->deals
                         + options->interactions + crm_demo_count_tasks (options);
}

static void
demo_clear (Demo *demo)
{
  if (demo->in_transaction)
    {
      crm_store_rollback (demo->store);
      demo->in_transaction = FALSE;
    }

  name_table_clear (&demo->family);
  name_table_clear (&demo->middle_female);
  name_table_clear (&demo->middle_male);
  name_table_clear (&demo->given_female);
  name_table_clear (&demo->given_male);
  name_table_clear (&demo->foreign_given_female);
  name_table_clear (&demo->foreign_given_male);
  name_table_clear (&demo->foreign_family);

  picker_clear (&demo->provinces);
  picker_clear (&demo->mobile_prefixes);
  picker_clear (&demo->legal_forms);
  picker_clear (&demo->trades);
  picker_clear (&demo->company_sizes);
  picker_clear (&demo->job_titles);
  picker_clear (&demo->sources);
  picker_clear (&demo->email_domains);
  picker_clear (&demo->deal_templates);
  picker_clear (&demo->kinds);
  picker_clear (&demo->message_channels);
  picker_clear (&demo->survey_scores);
  picker_clear (&demo->task_priorities);
  picker_clear (&demo->lifecycle);
  picker_clear (&demo->lead_status);
  picker_clear (&demo->stage_picker);

  g_clear_pointer (&demo->lifecycle_ids, g_array_unref);
  g_clear_pointer (&demo->lifecycle_is_lead, g_array_unref);
  g_clear_pointer (&demo->lead_status_ids, g_array_unref);
  g_clear_pointer (&demo->stages, g_array_unref);

  for (guint i = 0; i < demo->n_companies && demo->companies != NULL; i++)
    {
      g_free (demo->companies[i].name);
      g_free (demo->companies[i].domain);
    }
  g_clear_pointer (&demo->companies, g_free);
  g_clear_pointer (&demo->people, g_free);
  g_clear_pointer (&demo->batch_first_ids, g_free);
  g_clear_pointer (&demo->deals, g_free);
  g_clear_pointer (&demo->deals_with_person, g_free);

  if (demo->text != NULL)
    g_string_free (g_steal_pointer (&demo->text), TRUE);
  if (demo->text2 != NULL)
    g_string_free (g_steal_pointer (&demo->text2), TRUE);
}

/* Public API */

/**
 * crm_demo_options_init:
 *
 * Fills in the defaults: 200 contacts, 40 companies, 60 deals, 600
 * interactions, seed 1, now 0 (the current time).
 */
void
crm_demo_options_init (CrmDemoOptions *options)
{
  g_return_if_fail (options != NULL);

  options->contacts = 200;
  options->companies = 40;
  options->deals = 60;
  options->interactions = 600;
  options->seed = 1;
  options->now = 0;
}

/**
 * crm_demo_count_tasks:
 *
 * Tasks have no option of their own: a fill makes one for every ten
 * interactions and one for every two deals (90 with the defaults).
 *
 * Returns: how many tasks crm_demo_fill() writes with @options
 */
guint
crm_demo_count_tasks (const CrmDemoOptions *options)
{
  g_return_val_if_fail (options != NULL, 0);

  return options->interactions / 10 + options->deals / 2;
}

/**
 * crm_demo_fill:
 * @store: an open workspace; it may hold data already, which is kept
 * @options: (nullable): what to make; %NULL for the defaults
 * @progress: (nullable) (scope call): told the fraction done after each batch
 *   of contacts and every percent of the other rows, and 1.0 at the end
 * @cancellable: (nullable): checked before every batch
 *
 * Fills a workspace with demo data: companies, contacts (through
 * crm_contacts_add_many()), deals in every stage of the default pipeline,
 * interactions of every kind over the two years before @options->now, and
 * tasks (see crm_demo_count_tasks()). The same options give the same rows.
 *
 * The contacts are one transaction, and each batch of the other rows is
 * one. On an error or a cancellation (%G_IO_ERROR_CANCELLED) the one in
 * progress is rolled back and those written before it stay: the contacts
 * are all there or none, and the rows kept never refer to rows that are
 * missing.
 *
 * Returns: %TRUE when everything was written
 */
gboolean
crm_demo_fill (CrmStore              *store,
               const CrmDemoOptions  *options,
               CrmDemoProgress        progress,
               gpointer               user_data,
               GCancellable          *cancellable,
               GError               **error)
{
  CrmDemoOptions defaults;
  Demo demo;
  gboolean ok;

  g_return_val_if_fail (CRM_IS_STORE (store), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (options == NULL)
    {
      crm_demo_options_init (&defaults);
      options = &defaults;
    }

  if (options->interactions > 0 && options->contacts == 0)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                           _("Demo interactions need at least one demo contact"));
      return FALSE;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  demo_init (&demo, store, options, cancellable);
  demo.progress.func = progress;
  demo.progress.data = user_data;

  ok = read_workspace (&demo, error)
       && fill_companies (&demo, error)
       && fill_contacts (&demo, error)
       && fill_deals (&demo, error)
       && fill_interactions (&demo, error)
       && fill_tasks (&demo, error);

  if (ok)
    progress_finish (&demo.progress);

  /* Rolls back the batch in progress, if any. */
  demo_clear (&demo);

  /* Some sample deals are in dollars: a rate, as an office would type it,
   * lets the board count them in dong. */
  if (ok && options->deals > 0)
    ok = crm_currency_set_rate (store, "USD", "25400", error);

  return ok;
}
