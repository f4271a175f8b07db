"""Deterministic generator of a realistic cchc-site corpus for the benchmark.

Usage: python bench/corpus.py N OUTDIR [--seed S]

Writes a complete site into OUTDIR:

    config.yaml
    content/articles/<year>/<slug>.md   N articles
    content/plans/<year>/<slug>.md      N/20 plans (at least 5)
    content/services/<field>/<slug>.md  N/50 services (at least 12)
    content/pages/<slug>.md             2 pages

Front matter follows SPEC section 3 exactly (no unknown keys). Bodies are
Vietnamese text with full diacritics assembled from a vocabulary of CCHC
phrases, with ## headings, lists, some tables, abbreviations and relative
links to other articles and plans (always to files that exist). The same N
and seed always give byte-identical files. No date is later than 2026-10-31.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

# --- provinces (from shared/provinces.yaml, state of 2025-07-01) ------------

CURRENT: list[tuple[str, str, str]] = [
    ("ha-noi", "Hà Nội", "thành phố"),
    ("hue", "Huế", "thành phố"),
    ("lai-chau", "Lai Châu", "tỉnh"),
    ("dien-bien", "Điện Biên", "tỉnh"),
    ("son-la", "Sơn La", "tỉnh"),
    ("lang-son", "Lạng Sơn", "tỉnh"),
    ("quang-ninh", "Quảng Ninh", "tỉnh"),
    ("thanh-hoa", "Thanh Hóa", "tỉnh"),
    ("nghe-an", "Nghệ An", "tỉnh"),
    ("ha-tinh", "Hà Tĩnh", "tỉnh"),
    ("cao-bang", "Cao Bằng", "tỉnh"),
    ("tuyen-quang", "Tuyên Quang", "tỉnh"),
    ("lao-cai", "Lào Cai", "tỉnh"),
    ("thai-nguyen", "Thái Nguyên", "tỉnh"),
    ("phu-tho", "Phú Thọ", "tỉnh"),
    ("bac-ninh", "Bắc Ninh", "tỉnh"),
    ("hung-yen", "Hưng Yên", "tỉnh"),
    ("hai-phong", "Hải Phòng", "thành phố"),
    ("ninh-binh", "Ninh Bình", "tỉnh"),
    ("quang-tri", "Quảng Trị", "tỉnh"),
    ("da-nang", "Đà Nẵng", "thành phố"),
    ("quang-ngai", "Quảng Ngãi", "tỉnh"),
    ("gia-lai", "Gia Lai", "tỉnh"),
    ("khanh-hoa", "Khánh Hòa", "tỉnh"),
    ("lam-dong", "Lâm Đồng", "tỉnh"),
    ("dak-lak", "Đắk Lắk", "tỉnh"),
    ("ho-chi-minh", "Hồ Chí Minh", "thành phố"),
    ("dong-nai", "Đồng Nai", "tỉnh"),
    ("tay-ninh", "Tây Ninh", "tỉnh"),
    ("can-tho", "Cần Thơ", "thành phố"),
    ("vinh-long", "Vĩnh Long", "tỉnh"),
    ("dong-thap", "Đồng Tháp", "tỉnh"),
    ("ca-mau", "Cà Mau", "tỉnh"),
    ("an-giang", "An Giang", "tỉnh"),
]
# (slug, name, kind, merged_into) of the 29 former units whose name no longer exists
FORMER: list[tuple[str, str, str, str]] = [
    ("ha-giang", "Hà Giang", "tỉnh", "tuyen-quang"),
    ("yen-bai", "Yên Bái", "tỉnh", "lao-cai"),
    ("bac-kan", "Bắc Kạn", "tỉnh", "thai-nguyen"),
    ("vinh-phuc", "Vĩnh Phúc", "tỉnh", "phu-tho"),
    ("hoa-binh", "Hòa Bình", "tỉnh", "phu-tho"),
    ("bac-giang", "Bắc Giang", "tỉnh", "bac-ninh"),
    ("thai-binh", "Thái Bình", "tỉnh", "hung-yen"),
    ("hai-duong", "Hải Dương", "tỉnh", "hai-phong"),
    ("ha-nam", "Hà Nam", "tỉnh", "ninh-binh"),
    ("nam-dinh", "Nam Định", "tỉnh", "ninh-binh"),
    ("quang-binh", "Quảng Bình", "tỉnh", "quang-tri"),
    ("quang-nam", "Quảng Nam", "tỉnh", "da-nang"),
    ("kon-tum", "Kon Tum", "tỉnh", "quang-ngai"),
    ("binh-dinh", "Bình Định", "tỉnh", "gia-lai"),
    ("ninh-thuan", "Ninh Thuận", "tỉnh", "khanh-hoa"),
    ("dak-nong", "Đắk Nông", "tỉnh", "lam-dong"),
    ("binh-thuan", "Bình Thuận", "tỉnh", "lam-dong"),
    ("phu-yen", "Phú Yên", "tỉnh", "dak-lak"),
    ("binh-duong", "Bình Dương", "tỉnh", "ho-chi-minh"),
    ("ba-ria-vung-tau", "Bà Rịa - Vũng Tàu", "tỉnh", "ho-chi-minh"),
    ("binh-phuoc", "Bình Phước", "tỉnh", "dong-nai"),
    ("long-an", "Long An", "tỉnh", "tay-ninh"),
    ("soc-trang", "Sóc Trăng", "tỉnh", "can-tho"),
    ("hau-giang", "Hậu Giang", "tỉnh", "can-tho"),
    ("ben-tre", "Bến Tre", "tỉnh", "vinh-long"),
    ("tra-vinh", "Trà Vinh", "tỉnh", "vinh-long"),
    ("tien-giang", "Tiền Giang", "tỉnh", "dong-thap"),
    ("bac-lieu", "Bạc Liêu", "tỉnh", "ca-mau"),
    ("kien-giang", "Kiên Giang", "tỉnh", "an-giang"),
]
REORG_DATE = dt.date(2025, 7, 1)
FIRST_DATE = dt.date(2019, 1, 1)
LAST_DATE = dt.date(2026, 10, 31)  # never in the future of the benchmark runs

# --- vocabulary ---------------------------------------------------------------

SUBJECTS = [
    "UBND {p}",
    "Sở Nội vụ {p}",
    "Văn phòng UBND {p}",
    "Trung tâm Phục vụ hành chính công {p}",
    "Sở Khoa học và Công nghệ",
    "các sở, ban, ngành",
    "UBND cấp xã",
    "Bộ phận một cửa các cấp",
    "đội ngũ CBCCVC",
    "Ban Chỉ đạo CCHC {p}",
    "Sở Tư pháp",
    "Công an {p}",
    "HĐND {p}",
    "Thanh tra tỉnh",
    "Sở Tài chính",
    "các cơ quan chuyên môn",
]
VERBS = [
    "đã triển khai",
    "tiếp tục đẩy mạnh",
    "tổ chức kiểm tra",
    "ban hành kế hoạch về",
    "tăng cường",
    "rà soát, đơn giản hóa",
    "nâng cao chất lượng",
    "quán triệt",
    "phối hợp thực hiện",
    "đánh giá kết quả",
    "chỉ đạo quyết liệt",
    "tập trung thực hiện",
    "số hóa",
    "công khai",
    "hướng dẫn người dân về",
    "theo dõi, đôn đốc",
]
OBJECTS = [
    "công tác cải cách hành chính",
    "việc giải quyết TTHC",
    "cung cấp DVC trực tuyến toàn trình",
    "chuyển đổi số trong cơ quan nhà nước",
    "số hóa hồ sơ, kết quả giải quyết TTHC",
    "thanh toán trực tuyến nghĩa vụ tài chính",
    "kỷ luật, kỷ cương hành chính",
    "chỉ số PAR Index và SIPAS",
    "tiếp nhận hồ sơ qua dịch vụ bưu chính công ích",
    "cơ chế một cửa, một cửa liên thông",
    "đề án 06 về dữ liệu dân cư",
    "sử dụng tài khoản định danh điện tử VNeID",
    "cắt giảm thời gian xử lý hồ sơ",
    "phản ánh, kiến nghị của người dân và DN",
    "ứng dụng chữ ký số",
    "tinh gọn bộ máy",
    "đào tạo, bồi dưỡng CBCCVC",
    "văn hóa công vụ",
    "liên thông đăng ký khai sinh, thường trú",
    "môi trường đầu tư, kinh doanh",
]
COMPLEMENTS = [
    "trên địa bàn",
    "theo đúng quy định",
    "trong năm {y}",
    "đạt kết quả tích cực",
    "nhằm phục vụ người dân và doanh nghiệp tốt hơn",
    "bảo đảm công khai, minh bạch",
    "góp phần nâng cao sự hài lòng của người dân",
    "với tỷ lệ hồ sơ đúng hạn trên {pct}%",
    "theo chỉ đạo của Chính phủ",
    "gắn với trách nhiệm người đứng đầu",
    "tại {n} đơn vị cấp xã",
    "từ quý {q} năm {y}",
    "một cách thực chất, hiệu quả",
]
CONNECTORS = [
    "Bên cạnh đó,",
    "Đồng thời,",
    "Ngoài ra,",
    "Cụ thể,",
    "Theo báo cáo,",
    "Qua đó,",
    "Trong thời gian tới,",
    "Tuy nhiên,",
    "Nhờ vậy,",
    "",
]
HEADINGS = [
    "Kết quả nổi bật",
    "Đẩy mạnh chuyển đổi số",
    "Những tồn tại, hạn chế",
    "Nhiệm vụ trọng tâm",
    "Giải pháp thực hiện",
    "Đánh giá chung",
    "Tổ chức thực hiện",
    "Kiến nghị, đề xuất",
    "Cải cách thủ tục hành chính",
    "Hiện đại hóa nền hành chính",
    "Mục đích, yêu cầu",
    "Nâng cao chất lượng phục vụ",
]
LIST_ITEMS = [
    "Công khai đầy đủ, kịp thời các TTHC trên Cổng DVC quốc gia",
    "Tiếp nhận và trả kết quả đúng hạn, không để hồ sơ tồn đọng",
    "Xin lỗi người dân khi hồ sơ bị trễ hạn",
    "Tăng tỷ lệ hồ sơ nộp trực tuyến so với cùng kỳ",
    "Số hóa 100% kết quả giải quyết TTHC còn hiệu lực",
    "Kiểm tra đột xuất Bộ phận một cửa cấp xã",
    "Khảo sát mức độ hài lòng (SIPAS) định kỳ",
    "Bồi dưỡng kỹ năng số cho đội ngũ CBCCVC",
    "Rà soát, bãi bỏ các quy định không còn phù hợp",
    "Triển khai thanh toán không dùng tiền mặt",
    "Tuyên truyền về lợi ích của DVC trực tuyến",
    "Bố trí kinh phí cho công tác CCHC",
]
TAGS = [
    "cải cách hành chính",
    "chuyển đổi số",
    "dịch vụ công",
    "một cửa",
    "đề án 06",
    "PAR Index",
    "SIPAS",
    "thủ tục hành chính",
    "kiểm tra công vụ",
    "văn hóa công vụ",
    "chính quyền số",
    "tinh gọn bộ máy",
]
TITLE_PATTERNS = [
    "{p} {v} {o}",
    "{o} tại {p}: {c}",
    "{p}: {o} {c}",
    "Hội nghị triển khai {o} tại {p}",
    "Kiểm tra {o} ở {p}",
    "{p} sơ kết {o} quý {q} năm {y}",
    "Tập huấn {o} cho CBCCVC {p}",
]
PLAN_KINDS = [
    ("KH-UBND", "Kế hoạch cải cách hành chính năm {y}"),
    ("KH-UBND", "Kế hoạch kiểm tra công tác CCHC năm {y}"),
    ("KH-UBND", "Kế hoạch tuyên truyền cải cách hành chính năm {y}"),
    ("QĐ-UBND", "Quyết định ban hành Bộ chỉ số đánh giá CCHC năm {y}"),
    ("KH-UBND", "Kế hoạch nâng cao chỉ số PAR Index và SIPAS năm {y}"),
    ("KH-UBND", "Kế hoạch chuyển đổi số và triển khai Đề án 06 năm {y}"),
]
SERVICE_FIELDS: list[tuple[str, str, list[str]]] = [
    (
        "Hộ tịch",
        "UBND cấp xã",
        ["Đăng ký khai sinh", "Đăng ký kết hôn", "Đăng ký khai tử", "Trích lục hộ tịch", "Đăng ký nhận cha, mẹ, con"],
    ),
    ("Cư trú", "Công an cấp xã", ["Đăng ký thường trú", "Đăng ký tạm trú", "Khai báo tạm vắng"]),
    (
        "Thành lập và hoạt động doanh nghiệp",
        "Sở Tài chính",
        [
            "Đăng ký thành lập doanh nghiệp tư nhân",
            "Đăng ký thay đổi nội dung đăng ký doanh nghiệp",
            "Thông báo tạm ngừng kinh doanh",
        ],
    ),
    (
        "Đất đai",
        "Văn phòng đăng ký đất đai",
        ["Đăng ký biến động đất đai", "Cấp đổi giấy chứng nhận quyền sử dụng đất", "Cung cấp thông tin đất đai"],
    ),
    ("Lý lịch tư pháp", "Sở Tư pháp", ["Cấp phiếu lý lịch tư pháp cho công dân Việt Nam"]),
    ("Giao thông vận tải", "Sở Xây dựng", ["Cấp đổi giấy phép lái xe", "Cấp phù hiệu xe kinh doanh vận tải"]),
    ("Bảo trợ xã hội", "UBND cấp xã", ["Trợ cấp xã hội hằng tháng", "Hỗ trợ chi phí mai táng"]),
    ("Xây dựng", "Sở Xây dựng", ["Cấp giấy phép xây dựng nhà ở riêng lẻ", "Điều chỉnh giấy phép xây dựng"]),
    (
        "Giáo dục và Đào tạo",
        "Sở Giáo dục và Đào tạo",
        ["Cấp bản sao văn bằng, chứng chỉ", "Chuyển trường cho học sinh trung học"],
    ),
    (
        "Y tế",
        "Sở Y tế",
        ["Cấp chứng chỉ hành nghề khám bệnh, chữa bệnh", "Cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm"],
    ),
]
DOCUMENTS = [
    "Tờ khai theo mẫu",
    "Bản sao giấy tờ tùy thân",
    "Giấy ủy quyền (nếu có)",
    "Giấy tờ chứng minh chỗ ở hợp pháp",
    "Bản chính giấy chứng nhận cũ",
    "Ảnh chân dung 4x6",
    "Giấy chứng sinh",
    "Văn bản đề nghị",
]
WORDS_PER_BODY = (300, 800)


def fold(text: str) -> str:
    """Vietnamese slug folding: đ->d, marks dropped, [a-z0-9-]."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    out: list[str] = []
    for c in text:
        if c.isascii() and c.isalnum():
            out.append(c)
        elif out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-")


@dataclass
class Item:
    kind: str  # article | plan | service | page
    slug: str
    rel: str  # path relative to content/
    meta: dict[str, object]
    links: list[str] = field(default_factory=list)  # rel paths this body links to


def province_for(rng: random.Random, day: dt.date) -> tuple[str, str]:
    """A province slug and display name valid at the given date."""
    if day < REORG_DATE and rng.random() < 0.45:
        slug, name, _, _ = rng.choice(FORMER)
        return slug, name
    slug, name, _ = rng.choice(CURRENT)
    return slug, name


def random_date(rng: random.Random, start: dt.date = FIRST_DATE, end: dt.date = LAST_DATE) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def fill(rng: random.Random, template: str, pname: str, year: int) -> str:
    return template.format(
        p=pname,
        y=year,
        pct=rng.randint(90, 99),
        n=rng.randint(12, 180),
        q=rng.choice(["I", "II", "III", "IV"]),
        v="",
        o="",
        c="",
    )


def sentence(rng: random.Random, pname: str, year: int) -> str:
    s = " ".join(
        x
        for x in (
            rng.choice(CONNECTORS),
            fill(rng, rng.choice(SUBJECTS), pname, year),
            rng.choice(VERBS),
            rng.choice(OBJECTS),
            fill(rng, rng.choice(COMPLEMENTS), pname, year),
        )
        if x
    )
    s = s[0].upper() + s[1:]
    return s + "."


def paragraph(rng: random.Random, pname: str, year: int, words: list[int]) -> str:
    sents = [sentence(rng, pname, year) for _ in range(rng.randint(3, 6))]
    text = " ".join(sents)
    words[0] += len(text.split())
    return text


def title_for(rng: random.Random, pname: str, year: int) -> str:
    t = rng.choice(TITLE_PATTERNS).format(
        p=pname,
        v=rng.choice(VERBS),
        o=rng.choice(OBJECTS),
        c=fill(rng, rng.choice(COMPLEMENTS), pname, year),
        q=rng.choice(["I", "II", "III", "IV"]),
        y=year,
    )
    return t[0].upper() + t[1:]


def relpath(src_rel: str, dst_rel: str) -> str:
    """Relative link from one content file to another (both relative to content/)."""
    src_parts = src_rel.split("/")[:-1]
    dst_parts = dst_rel.split("/")
    i = 0
    while i < len(src_parts) and i < len(dst_parts) - 1 and src_parts[i] == dst_parts[i]:
        i += 1
    return "/".join([".."] * (len(src_parts) - i) + dst_parts[i:])


def body(rng: random.Random, item: Item, pname: str, year: int, targets: list[Item]) -> str:
    goal = rng.randint(*WORDS_PER_BODY)
    words = [0]
    parts: list[str] = [paragraph(rng, pname, year, words)]
    headings = rng.sample(HEADINGS, k=len(HEADINGS))
    h = 0
    link_budget = rng.randint(1, 3)
    while words[0] < goal:
        parts.append(f"## {headings[h % len(headings)]}")
        h += 1
        parts.append(paragraph(rng, pname, year, words))
        r = rng.random()
        if r < 0.35:
            items = rng.sample(LIST_ITEMS, k=rng.randint(3, 5))
            marker = rng.choice(["-", "1."])
            parts.append("\n".join(f"{marker} {x}." for x in items))
            words[0] += sum(len(x.split()) for x in items)
        elif r < 0.5:
            rows = ["| Chỉ tiêu | Năm trước | Năm nay |", "|---|---:|---:|"]
            for label in rng.sample(
                [
                    "Hồ sơ tiếp nhận",
                    "Hồ sơ trực tuyến",
                    "Tỷ lệ đúng hạn (%)",
                    "TTHC được công khai",
                    "Hồ sơ số hóa",
                    "Chỉ số SIPAS (%)",
                ],
                k=rng.randint(3, 5),
            ):
                a = rng.randint(50, 9000)
                rows.append(f"| {label} | {a:,} | {a + rng.randint(1, 900):,} |".replace(",", "."))
            parts.append("\n".join(rows))
            words[0] += 30
        if link_budget and targets and rng.random() < 0.6:
            link_budget -= 1
            t = rng.choice(targets)
            if t is not item:
                item.links.append(t.rel)
                label = t.meta["title"]
                parts.append(
                    rng.choice(
                        [
                            f"Xem thêm: [{label}]({relpath(item.rel, t.rel)}).",
                            f"Nội dung này triển khai theo [{label}]({relpath(item.rel, t.rel)}).",
                            f"Thông tin liên quan đã được đăng tại [đây]({relpath(item.rel, t.rel)}).",
                        ]
                    )
                )
    return "\n\n".join(parts) + "\n"


def front_matter(meta: dict[str, object]) -> str:
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000) + "---\n\n"


def generate(n: int, out: Path, seed: int = 20250701) -> dict[str, int]:
    rng = random.Random(f"{seed}:{n}")
    n_plans = max(5, n // 20)
    n_services = max(12, n // 50)
    seen: set[str] = set()

    def unique(slug: str) -> str:
        base, i = slug[:70].strip("-"), 2
        slug = base
        while slug in seen:
            slug = f"{base}-{i}"
            i += 1
        seen.add(slug)
        return slug

    plans: list[Item] = []
    plan_ctx: list[tuple[str, int]] = []
    for i in range(n_plans):
        issued = random_date(rng, FIRST_DATE, dt.date(2026, 9, 30))
        pslug, pname = province_for(rng, issued)
        suffix, pattern = rng.choice(PLAN_KINDS)
        year = issued.year if rng.random() < 0.6 else min(issued.year + 1, 2026)
        title = pattern.format(y=year) + f" của UBND {pname}"
        number = f"{rng.randint(1, 999)}/{suffix}"
        slug = unique(fold(f"{number.replace('/', '-')} {pname} {year}"))
        meta: dict[str, object] = {
            "title": title,
            "number": number,
            "issued": issued,
            "issuer": rng.choice([f"UBND {pname}", f"Chủ tịch UBND {pname}"]),
            "province": pslug,
        }
        if year != issued.year:
            meta["year"] = year
        if rng.random() < 0.7:
            meta["summary"] = sentence(rng, pname, year)
        if rng.random() < 0.5:
            meta["tags"] = rng.sample(TAGS, k=rng.randint(1, 3))
        plans.append(Item("plan", slug, f"plans/{issued.year}/{slug}.md", meta))
        plan_ctx.append((pname, year))

    articles: list[Item] = []
    art_ctx: list[tuple[str, int]] = []
    for i in range(n):
        day = random_date(rng)
        pslug, pname = province_for(rng, day)
        title = title_for(rng, pname, day.year)
        slug = unique(fold(title))
        meta = {"title": title, "date": day, "province": pslug}
        if rng.random() < 0.85:
            meta["summary"] = sentence(rng, pname, day.year)
        if rng.random() < 0.8:
            meta["tags"] = rng.sample(TAGS, k=rng.randint(1, 4))
        if rng.random() < 0.3:
            meta["plan"] = rng.choice(plans).slug
        articles.append(Item("article", slug, f"articles/{day.year}/{slug}.md", meta))
        art_ctx.append((pname, day.year))

    services: list[Item] = []
    for i in range(n_services):
        fname, agency, titles = SERVICE_FIELDS[i % len(SERVICE_FIELDS)]
        base_title = titles[(i // len(SERVICE_FIELDS)) % len(titles)]
        rnd = i // (len(SERVICE_FIELDS) * 1)
        title = base_title if rnd < len(titles) else f"{base_title} (trường hợp {rnd - len(titles) + 2})"
        code = f"1.{rng.randint(0, 12999):06d}"
        level = 4 if rng.random() < 0.55 else 3
        slug = unique(fold(title))
        meta = {
            "title": title,
            "level": level,
            "field": fname,
            "agency": agency,
            "portal_url": f"https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc={code}",
            "code": code,
        }
        if rng.random() < 0.25:
            meta["provinces"] = sorted(s for s, _, _ in rng.sample(CURRENT, k=rng.randint(2, 8)))
        meta["processing_time"] = rng.choice(
            [
                "Trong ngày",
                "03 ngày làm việc",
                "05 ngày làm việc",
                "10 ngày làm việc",
                "15 ngày kể từ ngày nhận đủ hồ sơ",
            ]
        )
        meta["fee"] = rng.choice(["Miễn phí", "50.000 đồng", "100.000 đồng", "Giảm 50% khi nộp trực tuyến"])
        meta["documents"] = rng.sample(DOCUMENTS, k=rng.randint(2, 5))
        services.append(Item("service", slug, f"services/{fold(fname)}/{slug}.md", meta))

    pages = [
        Item(
            "page",
            "gioi-thieu",
            "pages/gioi-thieu.md",
            {"title": "Giới thiệu", "summary": "Cổng thông tin cải cách hành chính.", "order": 1},
        ),
        Item(
            "page",
            "huong-dan",
            "pages/huong-dan.md",
            {"title": "Hướng dẫn sử dụng", "summary": "Cách tra cứu thông tin và DVC trực tuyến.", "order": 2},
        ),
    ]

    targets = articles + plans
    if out.exists():
        shutil.rmtree(out)
    content = out / "content"
    (out).mkdir(parents=True)
    (out / "config.yaml").write_text(
        "title: Cổng thông tin cải cách hành chính (bench)\nbase_url: https://cchc.example.gov.vn/\nprovinces: all\n",
        encoding="utf-8",
    )
    words_total = 0
    for items, ctx in ((plans, plan_ctx), (articles, art_ctx)):
        for item, (pname, year) in zip(items, ctx):
            text = body(rng, item, pname, year, targets)
            words_total += len(text.split())
            path = content / item.rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(front_matter(item.meta) + text, encoding="utf-8")
    for item in services:
        steps = "\n".join(
            f"{k}. {s}"
            for k, s in enumerate(
                [
                    "Đăng nhập Cổng DVC quốc gia bằng tài khoản VNeID",
                    f"Tìm thủ tục “{item.meta['title']}” và chọn cơ quan thực hiện",
                    "Điền tờ khai, đính kèm bản chụp giấy tờ",
                    "Nộp phí, lệ phí trực tuyến (nếu có)",
                    "Theo dõi tình trạng hồ sơ và nhận kết quả",
                ],
                1,
            )
        )
        text = f"## Các bước thực hiện\n\n{steps}\n\n## Lưu ý\n\n" + paragraph(rng, "tỉnh", 2025, [0]) + "\n"
        path = content / item.rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(front_matter(item.meta) + text, encoding="utf-8")
    for item in pages:
        text = "\n\n".join(paragraph(rng, "tỉnh", 2025, [0]) for _ in range(3)) + "\n"
        path = content / item.rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(front_matter(item.meta) + text, encoding="utf-8")
    return {
        "articles": len(articles),
        "plans": len(plans),
        "services": len(services),
        "pages": len(pages),
        "words": words_total,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int, help="number of articles")
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--seed", type=int, default=20250701)
    args = ap.parse_args(argv)
    stats = generate(args.n, args.outdir, args.seed)
    print(" ".join(f"{k}={v}" for k, v in stats.items()), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
