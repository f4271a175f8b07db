"""A synthetic, realistic-looking corpus of Vietnamese CCHC news for search tests.

Deterministic (seeded): N articles of about 500 words drawn from CCHC vocabulary
with a Zipf-like distribution, plus place names, plan numbers and figures, so
that the number of distinct terms per article and the vocabulary size look like
those of provincial portal news.
"""

from __future__ import annotations

import itertools
import random
import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from cchc_site.render.search_index import SearchDoc  # noqa: E402

PROVINCES = [
    ("ca-mau", "Cà Mau"),
    ("bac-lieu", "Bạc Liêu (cũ)"),
    ("can-tho", "Cần Thơ"),
    ("ha-noi", "Hà Nội"),
    ("hue", "Huế"),
    ("da-nang", "Đà Nẵng"),
    ("dien-bien", "Điện Biên"),
    ("thai-nguyen", "Thái Nguyên"),
    ("bac-kan", "Bắc Kạn (cũ)"),
    ("ho-chi-minh", "Hồ Chí Minh"),
    ("binh-duong", "Bình Dương (cũ)"),
    ("dak-lak", "Đắk Lắk"),
    ("lao-cai", "Lào Cai"),
    ("nghe-an", "Nghệ An"),
    ("ha-tinh", "Hà Tĩnh"),
    ("quang-ninh", "Quảng Ninh"),
]

WORDS = """
cải cách hành chính; thủ tục hành chính; dịch vụ công trực tuyến; ủy ban nhân dân; hội đồng nhân dân;
chuyển đổi số; chính quyền điện tử; chính quyền số; công dân; người dân; doanh nghiệp; tổ chức; cá nhân;
hồ sơ; tiếp nhận; trả kết quả; một cửa; liên thông; bộ phận một cửa; trung tâm phục vụ hành chính công;
cán bộ; công chức; viên chức; kỷ luật; kỷ cương; trách nhiệm; người đứng đầu; sở; ban; ngành; địa phương;
huyện; xã; phường; thị trấn; tỉnh; thành phố; kế hoạch; quyết định; chỉ thị; công văn; nghị quyết; thông tư;
nghị định; triển khai; thực hiện; tăng cường; đẩy mạnh; nâng cao; hiệu quả; chất lượng; phục vụ; sự hài lòng;
chỉ số; đánh giá; xếp hạng; kết quả; năm; tháng; quý; giai đoạn; mục tiêu; nhiệm vụ; giải pháp; tuyên truyền;
phổ biến; hướng dẫn; kiểm tra; giám sát; thanh tra; khen thưởng; đăng ký; cấp; giấy chứng nhận; quyền sử dụng đất;
đất đai; xây dựng; giấy phép; kinh doanh; hộ tịch; khai sinh; kết hôn; thường trú; tạm trú; căn cước; định danh;
điện tử; tài khoản; thanh toán; trực tuyến; toàn trình; một phần; mức độ; cổng dịch vụ công quốc gia;
cơ sở dữ liệu; dân cư; đề án; ứng dụng; công nghệ thông tin; hạ tầng; an toàn; thông tin; mạng; hệ thống;
quản lý; văn bản; chữ ký số; số hóa; lưu trữ; bưu chính công ích; phí; lệ phí; thời hạn; giải quyết;
quá hạn; đúng hạn; trước hạn; xin lỗi; phản ánh; kiến nghị; đối thoại; tiếp công dân; bộ máy; tinh gọn;
sắp xếp; sáp nhập; đơn vị hành chính; cấp tỉnh; cấp xã; chính quyền địa phương hai cấp; biên chế; vị trí việc làm;
của; và; các; những; được; cho; với; trong; trên; theo; tại; để; là; có; không; đã; đang; sẽ; về; từ; đến;
này; đó; khi; như; cũng; nhằm; bảo đảm; góp phần; đồng thời; bên cạnh đó; trong thời gian tới; tiếp tục;
hội nghị; tổng kết; sơ kết; phát động; phong trào; thi đua; hưởng ứng; đoàn thanh niên; hội phụ nữ; mặt trận;
đồng chí; chủ tịch; phó chủ tịch; giám đốc; phó giám đốc; trưởng phòng; văn phòng; nội vụ; tư pháp; tài chính;
kế hoạch và đầu tư; tài nguyên và môi trường; giáo dục và đào tạo; y tế; lao động; thương binh và xã hội;
nông nghiệp; phát triển nông thôn; giao thông vận tải; công thương; văn hóa; thể thao; du lịch; khoa học;
công nghệ; công an; quân sự; bảo hiểm xã hội; thuế; kho bạc; ngân hàng; điện lực; cấp nước; viễn thông
"""

NAMES = [
    "Nguyễn Văn An",
    "Trần Thị Bình",
    "Lê Hoàng Cường",
    "Phạm Thị Dung",
    "Hoàng Văn Đức",
    "Vũ Thị Hạnh",
    "Đặng Quốc Huy",
    "Bùi Thị Lan",
    "Đỗ Minh Khôi",
    "Ngô Thị Mai",
]


ONSETS = [
    "b",
    "c",
    "ch",
    "d",
    "đ",
    "g",
    "gi",
    "h",
    "kh",
    "l",
    "m",
    "n",
    "ng",
    "nh",
    "ph",
    "qu",
    "r",
    "s",
    "t",
    "th",
    "tr",
    "v",
    "x",
    "",
]
RHYMES = [
    "a",
    "ai",
    "an",
    "anh",
    "ao",
    "at",
    "ay",
    "ăn",
    "ăng",
    "âm",
    "ân",
    "ât",
    "ây",
    "e",
    "em",
    "en",
    "ê",
    "ên",
    "ênh",
    "i",
    "im",
    "in",
    "inh",
    "ich",
    "o",
    "oa",
    "oan",
    "oang",
    "oi",
    "ong",
    "ô",
    "ôi",
    "ông",
    "ôt",
    "ơ",
    "ơi",
    "ơn",
    "u",
    "ui",
    "un",
    "ung",
    "uy",
    "uyên",
    "ư",
    "ưa",
    "ưng",
    "ương",
    "ươi",
    "ươc",
    "ưu",
    "iêu",
    "iên",
    "iêt",
    "uôn",
    "uôc",
]
TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]


def _vocabulary() -> list[str]:
    return [w.strip() for w in WORDS.replace("\n", " ").split(";") if w.strip()]


def _syllable(rng: random.Random) -> str:
    rhyme = rng.choice(RHYMES)
    tone = rng.choice(TONES)
    # put the tone mark on the first vowel (good enough for test data), then NFC
    k = next((j for j, c in enumerate(rhyme) if c in "aăâeêioôơuưy"), 0)
    return unicodedata.normalize("NFC", rng.choice(ONSETS) + rhyme[: k + 1] + tone + rhyme[k + 1 :])


def _rare_words(rng: random.Random, n: int) -> list[str]:
    return [" ".join(_syllable(rng) for _ in range(rng.choice((1, 2, 2, 3)))) for _ in range(n)]


def synthetic_docs(n: int, words_per_doc: int = 500, seed: int = 2025) -> list[SearchDoc]:
    rng = random.Random(seed)
    vocab = _vocabulary()
    weights = [1.0 / (rank + 1) ** 0.9 for rank in range(len(vocab))]
    rng.shuffle(weights)
    rare = _rare_words(rng, 4000)
    rare_cum = list(itertools.accumulate(1.0 / (rank + 1) for rank in range(len(rare))))
    vocab_cum = list(itertools.accumulate(weights))
    docs: list[SearchDoc] = []
    for i in range(n):
        slug_prov, label = PROVINCES[i % len(PROVINCES)]
        year = 2018 + i % 8
        month = 1 + (i * 7) % 12
        day = 1 + (i * 13) % 28
        words: list[str] = []
        count = 0
        while count < words_per_doc:
            r = rng.random()
            if r < 0.03:
                w = str(rng.randint(1, 9999))
            elif r < 0.04:
                w = rng.choice(NAMES)
            elif r < 0.05:
                w = f"{rng.randint(1, 999)}/KH-UBND"
            elif r < 0.06:
                w = label.replace(" (cũ)", "")
            elif r < 0.36:
                w = rng.choices(rare, cum_weights=rare_cum)[0]
            else:
                w = rng.choices(vocab, cum_weights=vocab_cum)[0]
            words.append(w)
            count += len(w.split())
            if rng.random() < 0.06:
                words[-1] += "."
        body = " ".join(words)
        title_words = rng.sample(vocab, 8)
        title = " ".join(title_words).capitalize() + f" năm {year}"
        summary = " ".join(rng.sample(vocab, 14)).capitalize() + "."
        docs.append(
            SearchDoc(
                kind="article",
                title=title,
                url=f"tin-tuc/bai-{i:05d}/index.html",
                province_slug=slug_prov,
                province_label=label,
                date_iso=f"{year:04d}-{month:02d}-{day:02d}",
                date_display=f"{day:02d}/{month:02d}/{year:04d}",
                summary=summary,
                body_text=body,
            )
        )
    return docs
