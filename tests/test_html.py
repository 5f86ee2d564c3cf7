"""Web pages: a portal's article page with its menus, sidebar and footer around the report, and a report
saved from Word as a web page (windows-1258, footnotes), read end to end by extract.process_file."""
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

import extract
from extract import legacy
from extract.readers.html import decode

PORTAL = """<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>Báo cáo tình hình kinh tế - xã hội năm 2024 - Cổng thông tin điện tử phường Hòa Bình</title>
<link rel="stylesheet" href="/css/site.css">
<style>.menu-top a { color: #fff; font-size: 14px } .article-content p { margin: 0 0 12px }</style>
<script>var visits = 1234567; window.dataLayer = [{"page": "tin-tuc", "id": 4521, "price": "75 triệu đồng"}];</script>
</head>
<body>
<div id="wrapper">
  <div class="header">
    <div class="logo"><a href="/">CỔNG THÔNG TIN ĐIỆN TỬ PHƯỜNG HÒA BÌNH</a></div>
    <div class="hotline">Đường dây nóng: 0204.3854.123, tiếp nhận 24/24 giờ</div>
  </div>
  <ul class="menu-top">
    <li><a href="/">Trang chủ</a></li>
    <li><a href="/gioi-thieu">Giới thiệu</a></li>
    <li><a href="/tin-tuc">Tin tức (125 tin)</a></li>
    <li><a href="/van-ban">Văn bản (348 văn bản)</a></li>
  </ul>
  <div class="container">
    <div class="col-left">
      <div class="box-title">Văn bản mới</div>
      <ul class="list-vb">
        <li><a href="/vb/1">Quyết định hỗ trợ 12 hộ nghèo đón Tết</a></li>
        <li><a href="/vb/2">Kế hoạch tiêm chủng cho 512 trẻ dưới 1 tuổi</a></li>
        <li><a href="/vb/3">Thông báo vận động 75 triệu đồng quỹ Vì người nghèo</a></li>
      </ul>
      <div class="visitor-counter">Lượt truy cập: 1.234.567 lượt<br>Đang trực tuyến: 89 người</div>
    </div>
    <div class="col-main">
      <div class="breadcrumb"><a href="/">Trang chủ</a> » <a href="/tin-tuc">Tin tức</a></div>
      <h1 class="post-title">Báo cáo tình hình kinh tế - xã hội năm 2024 của UBND phường Hòa Bình</h1>
      <div class="post-meta">Ngày đăng: 16/12/2024 | Lượt xem: 2.345 lượt</div>
      <div class="article-content">
        <p>Thực hiện Nghị quyết của HĐND phường về nhiệm vụ phát triển kinh tế - xã hội năm 2024,
           UBND phường báo cáo kết quả thực hiện như sau:</p>
        <p><strong>I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU KINH TẾ</strong></p>
        <p><strong>1. Thu, chi ngân sách</strong></p>
        <p>Tổng thu ngân sách nhà nước trên địa bàn ước thực hiện 12.746 triệu đồng, đạt 129,7% kế hoạch;
           thu ngân sách phường 8.315 triệu đồng.</p>
        <p><b>2. Sản xuất thương mại, dịch vụ</b></p>
        <p>Toàn phường có 328 hộ kinh doanh, trong đó 534/838 hộ sử dụng hóa đơn điện tử, đạt 63,7%.</p>
        <p style="font-weight: bold">II. VĂN HÓA - XÃ HỘI</p>
        <p>Giải quyết việc làm cho 742 lao động; hiến máu tình nguyện được 76 đơn vị máu.<br>
           Trao 201 xuất quà cho các gia đình chính sách nhân dịp Tết.</p>
        <p>Kết quả một số chỉ tiêu chủ yếu:</p>
        <table border="1" cellspacing="0" class="table-bordered">
          <thead>
            <tr><th rowspan="2">STT</th><th rowspan="2">Chỉ tiêu</th><th rowspan="2">ĐVT</th>
                <th colspan="2">Năm 2024</th><th rowspan="2">Tỷ lệ (%)</th></tr>
            <tr><th>Kế hoạch</th><th>Thực hiện</th></tr>
          </thead>
          <tbody>
            <tr><td>1</td><td>Thu ngân sách phường</td><td>triệu đồng</td><td>6.200</td><td>8.315</td><td>134,1</td></tr>
            <tr><td>2</td><td>Hiến máu tình nguyện</td><td>đơn vị máu</td><td>70</td><td>76</td><td>108,6</td></tr>
            <tr><td>3</td><td>Giải quyết việc làm</td><td>lao động</td><td>700</td><td>742</td><td>110,0</td></tr>
          </tbody>
        </table>
        <div class="share-buttons"><a href="#">Chia sẻ Facebook (15 lượt)</a></div>
      </div>
      <div class="tin-lien-quan">
        <h3>Tin liên quan</h3>
        <ul>
          <li><a href="/tin/1">Hội nghị tổng kết năm 2023 với 150 đại biểu</a></li>
          <li><a href="/tin/2">Phường trao 45 suất học bổng cho học sinh nghèo vượt khó</a></li>
        </ul>
      </div>
    </div>
  </div>
  <div id="footer">
    <p>Bản quyền © 2024 UBND phường Hòa Bình. Địa chỉ: số 12 đường Lê Lợi. Điện thoại: 0204 3854 123.</p>
    <p>Chịu trách nhiệm chính: Chủ tịch UBND phường. Giấy phép số 36/GP-TTĐT, cấp cho 5 năm.</p>
  </div>
</div>
</body>
</html>
"""


def test_a_portal_page_gives_the_article_and_not_the_menus_sidebar_or_footer(tmp_path):
    page = tmp_path / "bao-cao-ktxh-2024.html"
    page.write_text(PORTAL, encoding="utf-8")
    result = extract.process_file(page)
    assert result.ok, result.error
    doc = result.documents.iloc[0]
    assert (doc["format"], doc["encoding"], doc["report_year"]) == ("html", "unicode", 2024)
    text = doc["text"]
    assert text.startswith("Báo cáo tình hình kinh tế - xã hội năm 2024 của UBND phường Hòa Bình\nThực hiện")
    for furniture in ("Trang chủ", "Lượt truy cập", "Đường dây nóng", "Tin liên quan", "Bản quyền",
                      "Chia sẻ", "Văn bản mới", "Lượt xem", "dataLayer", "font-size"):
        assert furniture not in text
    figures = result.figures
    text_figures = figures[figures["table_id"].isna()]
    assert [(f.kind, f.raw, f.section) for f in text_figures.itertuples()] == [
        ("money", "12.746 triệu đồng", "I > 1"), ("percent", "129,7%", "I > 1"),
        ("money", "8.315 triệu đồng", "I > 1"),
        ("count", "328 hộ kinh doanh", "I > 2"), ("ratio", "534/838 hộ", "I > 2"), ("percent", "63,7%", "I > 2"),
        ("count", "742 lao động", "II"), ("count", "76 đơn vị máu", "II"), ("count", "201 xuất quà", "II")]
    # the <br> ends a paragraph: the gift count has its own
    assert text_figures["paragraph"].tolist()[-3:] == [9, 9, 10]
    assert set(figures["raw"]).isdisjoint({"12 hộ nghèo", "512 trẻ", "75 triệu đồng", "1.234.567 lượt", "89 người",
                                           "150 đại biểu", "45 suất", "15 lượt", "2.345 lượt", "5 năm"})
    sections = result.sections
    assert [(s.number, s.level, s.title) for s in sections.itertuples()] == [
        ("I", 2, "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU KINH TẾ"), ("1", 3, "Thu, chi ngân sách"),
        ("2", 3, "Sản xuất thương mại, dịch vụ"), ("II", 2, "VĂN HÓA - XÃ HỘI")]


def test_a_portal_table_gives_figures_with_merged_headers_and_checks_its_rows(tmp_path):
    page = tmp_path / "bao-cao.htm"
    page.write_text(PORTAL, encoding="utf-8")
    result = extract.process_file(page)
    cells = result.figures[result.figures["table_id"].notna()]
    assert [(f.kind, f.value, f.unit, f.row_label, f.col_header) for f in cells.itertuples()][:3] == [
        ("money", 6_200_000_000, "triệu đồng", "Thu ngân sách phường", "Năm 2024 > Kế hoạch"),
        ("money", 8_315_000_000, "triệu đồng", "Thu ngân sách phường", "Năm 2024 > Thực hiện"),
        ("percent", 134.1, "%", "Thu ngân sách phường", "Tỷ lệ (%)")]
    assert set(cells["table_id"]) == {"T1"} and set(cells["row"]) == {2, 3, 4}
    rows = result.checks[result.checks["check"] == "table_row"]
    # 742/700 is 106%, the page says 110,0: that row alone is flagged
    assert [(c.stated, c.consistent) for c in rows.itertuples()] == [(134.1, True), (108.6, True), (110.0, False)]
    assert "742/700 = 106.00%" in rows.iloc[2]["explanation"]


OLD_PORTAL = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head>
<body><table width="100%" border="0">
<tr><td colspan="2"><img src="banner.jpg" alt="UBND xã An Phú"><table><tr><td><a href="/">Trang chủ</a></td>
  <td><a href="/tt">Tin tức (125 tin)</a></td></tr></table></td></tr>
<tr><td width="200" valign="top"><table><tr><td><a href="/a">Thủ tục hành chính (45 thủ tục)</a></td></tr>
  <tr><td><a href="/b">Lịch công tác tuần 52</a></td></tr></table><p>Lượt truy cập: 123.456 lượt</p></td>
<td valign="top"><font face="Times New Roman"><b>BÁO CÁO KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2024 CỦA UBND XÃ AN PHÚ</b><br><br>
<b>I. KINH TẾ</b><br>
Tổng diện tích gieo cấy lúa cả năm đạt 286,5 ha, bằng 98,79% kế hoạch, sản lượng lương thực 1.827,9 tấn.<br>
<b>II. XÃ HỘI</b><br>
Giải quyết việc làm cho 742 lao động, đạt 106% kế hoạch năm, trong đó xuất khẩu lao động 12 người.<br>
<table border="1"><tr><td>Chỉ tiêu</td><td>Kế hoạch</td><td>Thực hiện</td><td>Tỷ lệ (%)</td></tr>
<tr><td>Giải quyết việc làm (lao động)</td><td>700</td><td>742</td><td>106</td></tr>
<tr><td>Hiến máu (đơn vị máu)</td><td>150</td><td>174</td><td>116</td></tr></table>
</font></td></tr>
<tr><td colspan="2" align="center">Bản quyền thuộc UBND xã An Phú - ĐT: 0256.3851.234 - 5 năm phát triển</td></tr>
</table></body></html>"""


def test_an_older_portal_laid_out_in_tables_gives_the_cell_that_holds_the_article(tmp_path):
    page = tmp_path / "tin-2024.htm"
    page.write_text(OLD_PORTAL, encoding="utf-8")
    result = extract.process_file(page)
    assert result.ok, result.error
    assert result.documents.iloc[0]["text"].splitlines()[:5] == [
        "BÁO CÁO KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2024 CỦA UBND XÃ AN PHÚ", "I. KINH TẾ",
        "Tổng diện tích gieo cấy lúa cả năm đạt 286,5 ha, bằng 98,79% kế hoạch, sản lượng lương thực 1.827,9 tấn.",
        "II. XÃ HỘI",
        "Giải quyết việc làm cho 742 lao động, đạt 106% kế hoạch năm, trong đó xuất khẩu lao động 12 người."]
    assert result.sections["path"].tolist() == ["I", "II"]
    figures = result.figures
    assert figures[figures["table_id"].isna()]["raw"].tolist() == [
        "286,5 ha", "98,79%", "1.827,9 tấn", "742 lao động", "106%", "12 người"]
    assert figures[figures["table_id"].notna()]["value"].tolist() == [700, 742, 106, 150, 174, 116]
    assert result.checks["consistent"].tolist() == [True, True]


def cp1258(text: str) -> bytes:
    """TEXT as Word saves a web page on a Vietnamese Windows (windows-1258): a letter with a tone mark is
    its base letter followed by the combining tone, a character the code page lacks a numeric reference."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        base, tone = unicodedata.normalize("NFC", decomposed[:-1]), decomposed[-1]
        try:
            out += (base + tone).encode("cp1258")
        except UnicodeEncodeError:
            out += f"&#{ord(ch)};".encode("ascii")
    return bytes(out)


def word_paragraph(text: str, bold: bool = False, footnote: int | None = None, after: str = "") -> str:
    run = f"<b><span lang=VI>{text}</span></b>" if bold else f"<span lang=VI>{text}</span>"
    if footnote:
        run += (f"<a style='mso-footnote-id:ftn{footnote}' href=\"#_ftn{footnote}\" name=\"_ftnref{footnote}\" "
                f"title=\"\"><span class=MsoFootnoteReference><span style='mso-special-character:footnote'>"
                f"<![if !supportFootnotes]><span class=MsoFootnoteReference><span lang=VI style='font-size:14.0pt;"
                f"line-height:115%;font-family:\"Times New Roman\",serif;mso-bidi-font-weight:bold'>[{footnote}]"
                f"</span></span><![endif]></span></span></a><span lang=VI>{after}</span>")
    return (f"<p class=MsoNormal style='margin-bottom:6.0pt;text-align:justify;text-indent:36.0pt'>{run}"
            f"<o:p></o:p></p>\n")


def word_footnote(number: int, text: str, *more: str) -> str:
    return (f"<div style='mso-element:footnote' id=ftn{number}>\n<p class=MsoFootnoteText><a style='mso-footnote-id:"
            f"ftn{number}' href=\"#_ftnref{number}\" name=\"_ftn{number}\" title=\"\"><span class=MsoFootnoteReference>"
            f"<span lang=VI><span style='mso-special-character:footnote'><![if !supportFootnotes]><span class="
            f"MsoFootnoteReference><span lang=VI style='font-size:10.0pt'>[{number}]</span></span><![endif]></span>"
            f"</span></span></a><span lang=VI> {text}<o:p></o:p></span></p>\n"
            + "".join(f"<p class=MsoFootnoteText><span lang=VI>{paragraph}<o:p></o:p></span></p>\n" for paragraph in more)
            + "</div>\n")


def word_heading(level: int, number: str, text: str) -> str:
    return (f"<h{level} style='margin-left:0cm;text-indent:0cm;mso-list:l0 level{level} lfo1'><![if !supportLists]>"
            f"<span lang=VI style='mso-fareast-font-family:\"Times New Roman\"'>{number}<span style='font:7.0pt "
            f"\"Times New Roman\"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; </span></span><![endif]><span lang=VI>"
            f"{text}<o:p></o:p></span></h{level}>\n")


WORD_HEAD = """<html xmlns:v="urn:schemas-microsoft-com:vml"
xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word"
xmlns:m="http://schemas.microsoft.com/office/2004/12/omml"
xmlns="http://www.w3.org/TR/REC-html40">

<head>
<meta http-equiv=Content-Type content="text/html; charset=windows-1258">
<meta name=ProgId content=Word.Document>
<meta name=Generator content="Microsoft Word 15">
<meta name=Originator content="Microsoft Word 15">
<link rel=File-List href="bao-cao_files/filelist.xml">
<title>BÁO CÁO</title>
<!--[if gte mso 9]><xml>
 <o:DocumentProperties>
  <o:Author>Văn phòng UBND</o:Author>
  <o:Pages>12</o:Pages>
  <o:Words>3125</o:Words>
 </o:DocumentProperties>
</xml><![endif]-->
<style>
<!--
 /* Font Definitions */
 @font-face {font-family:"Cambria Math"; panose-1:2 4 5 3 5 4 6 3 2 4;}
p.MsoNormal, li.MsoNormal, div.MsoNormal {margin:0cm; font-size:14.0pt; font-family:"Times New Roman",serif;}
p.MsoFootnoteText {margin:0cm; font-size:10.0pt;}
span.MsoFootnoteReference {vertical-align:super;}
@page WordSection1 {size:595.3pt 841.9pt; margin:56.7pt 56.7pt 56.7pt 85.05pt;}
div.WordSection1 {page:WordSection1;}
-->
</style>
</head>

<body lang=EN-US style='tab-interval:36.0pt;word-wrap:break-word'>

<div class=WordSection1>

<table class=MsoNormalTable border=0 cellspacing=0 cellpadding=0 width=643 style='width:482.0pt;border-collapse:collapse'>
 <tr style='mso-yfti-irow:0;mso-yfti-firstrow:yes'>
  <td width=255 valign=top style='width:191.4pt;padding:0cm 5.4pt 0cm 5.4pt'>
  <p class=MsoNormal align=center style='text-align:center'><b><span lang=VI>UBND PHƯỜNG TÂN AN</span></b></p>
  </td>
  <td width=388 valign=top style='width:290.6pt;padding:0cm 5.4pt 0cm 5.4pt'>
  <p class=MsoNormal align=center style='text-align:center'><b><span lang=VI>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</span></b></p>
  <p class=MsoNormal align=center style='text-align:center'><b><u><span lang=VI>Độc lập - Tự do - Hạnh phúc</span></u></b></p>
  </td>
 </tr>
 <tr style='mso-yfti-irow:1;mso-yfti-lastrow:yes'>
  <td width=255 valign=top style='width:191.4pt;padding:0cm 5.4pt 0cm 5.4pt'>
  <p class=MsoNormal align=center style='text-align:center'><span lang=VI>Số: 215/BC-UBND</span></p>
  </td>
  <td width=388 valign=top style='width:290.6pt;padding:0cm 5.4pt 0cm 5.4pt'>
  <p class=MsoNormal align=right style='text-align:right'><i><span lang=VI>Tân An, ngày 10 tháng 12 năm 2025</span></i></p>
  </td>
 </tr>
</table>

<p class=MsoNormal align=center style='text-align:center'><b><span lang=VI style='font-size:14.0pt'>BÁO CÁO<o:p></o:p></span></b></p>
<p class=MsoNormal align=center style='text-align:center'><b><span lang=VI>Tình hình kinh tế - xã hội năm 2025,
phương hướng nhiệm vụ năm 2026<o:p></o:p></span></b></p>
"""

WORD_TABLE = """<table class=MsoTableGrid border=1 cellspacing=0 cellpadding=0 style='border-collapse:collapse;border:none'>
 <tr>
  <td rowspan=2 style='border:solid windowtext 1.0pt;padding:0cm 5.4pt 0cm 5.4pt'><p class=MsoNormal align=center><b><span lang=VI>TT</span></b></p></td>
  <td rowspan=2 style='border:solid windowtext 1.0pt;border-left:none'><p class=MsoNormal align=center><b><span lang=VI>Chỉ tiêu</span></b></p></td>
  <td rowspan=2 style='border:solid windowtext 1.0pt;border-left:none'><p class=MsoNormal align=center><b><span lang=VI>Đơn vị tính</span></b></p></td>
  <td colspan=2 style='border:solid windowtext 1.0pt;border-left:none'><p class=MsoNormal align=center><b><span lang=VI>Năm 2025</span></b></p></td>
  <td rowspan=2 style='border:solid windowtext 1.0pt;border-left:none'><p class=MsoNormal align=center><b><span lang=VI>Tỷ lệ (%)</span></b></p></td>
 </tr>
 <tr>
  <td style='border-top:none;border-left:none;border-bottom:solid windowtext 1.0pt;border-right:solid windowtext 1.0pt'><p class=MsoNormal align=center><b><span lang=VI>Kế hoạch</span></b></p></td>
  <td style='border-top:none;border-left:none;border-bottom:solid windowtext 1.0pt;border-right:solid windowtext 1.0pt'><p class=MsoNormal align=center><b><span lang=VI>Ước thực hiện</span></b></p></td>
 </tr>
 <tr>
  <td style='border:solid windowtext 1.0pt;border-top:none'><p class=MsoNormal align=center><span lang=VI>1</span></p></td>
  <td style='border-top:none;border-left:none;border-bottom:solid windowtext 1.0pt;border-right:solid windowtext 1.0pt'><p class=MsoNormal><span lang=VI>Tổng thu ngân sách nhà nước trên địa bàn</span></p></td>
  <td style='border-top:none;border-left:none;border-bottom:solid windowtext 1.0pt;border-right:solid windowtext 1.0pt'><p class=MsoNormal align=center><span lang=VI>triệu đồng</span></p></td>
  <td style='border-top:none;border-left:none;border-bottom:solid windowtext 1.0pt;border-right:solid windowtext 1.0pt'><p class=MsoNormal align=right><span lang=VI>32.500</span></p></td>
  <td style='border-top:none;border-left:none;border-bottom:solid windowtext 1.0pt;border-right:solid windowtext 1.0pt'><p class=MsoNormal align=right><span lang=VI>41.795</span></p></td>
  <td style='border-top:none;border-left:none;border-bottom:solid windowtext 1.0pt;border-right:solid windowtext 1.0pt'><p class=MsoNormal align=right><span lang=VI>128,6</span></p></td>
 </tr>
 <tr>
  <td style='border:solid windowtext 1.0pt;border-top:none'><p class=MsoNormal align=center><span lang=VI>2</span></p></td>
  <td style='border-top:none;border-left:none;border-bottom:solid windowtext 1.0pt;border-right:solid windowtext 1.0pt'><p class=MsoNormal><span lang=VI>Diện tích gieo cấy lúa cả năm</span></p></td>
  <td style='border-top:none;border-left:none;border-bottom:solid windowtext 1.0pt;border-right:solid windowtext 1.0pt'><p class=MsoNormal align=center><span lang=VI>ha</span></p></td>
  <td style='border-top:none;border-left:none;border-bottom:solid windowtext 1.0pt;border-right:solid windowtext 1.0pt'><p class=MsoNormal align=right><span lang=VI>290</span></p></td>
  <td style='border-top:none;border-left:none;border-bottom:solid windowtext 1.0pt;border-right:solid windowtext 1.0pt'><p class=MsoNormal align=right><span lang=VI>286,5</span></p></td>
  <td style='border-top:none;border-left:none;border-bottom:solid windowtext 1.0pt;border-right:solid windowtext 1.0pt'><p class=MsoNormal align=right><span lang=VI>98,79</span></p></td>
 </tr>
</table>
"""


def word_page() -> bytes:
    body = (word_heading(1, "I.", "KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2025")
            + word_paragraph("1. Về kinh tế", bold=True)
            + word_paragraph("Tổng thu ngân sách nhà nước trên địa bàn ước đạt 41.795 triệu đồng, bằng 128,6% dự toán",
                             footnote=1, after="; thu ngân sách phường 18.436 triệu đồng.")
            + word_paragraph("Toàn phường có 534/838 hộ kinh doanh dùng hóa đơn điện tử từ máy tính tiền, đạt 63,72%.")
            + word_paragraph("2. Về văn hóa - xã hội", bold=True)
            + word_paragraph("Giải quyết việc làm cho 742 lao động; cấp 356 giấy chứng nhận quyền sử dụng đất",
                             footnote=2, after=".")
            + word_heading(1, "II.", "PHƯƠNG HƯỚNG NHIỆM VỤ NĂM 2026")
            + word_paragraph("Phấn đấu thu ngân sách đạt 45.000 triệu đồng.")
            + word_paragraph("Biểu kết quả một số chỉ tiêu:")
            + WORD_TABLE)
    notes = ("<div style='mso-element:footnote-list'><![if !supportFootnotes]><br clear=all>\n"
             "<hr align=left size=1 width=\"33%\">\n<![endif]>\n"
             + word_footnote(1, "Trong đó thu tiền sử dụng đất 22.738 triệu đồng.")
             + word_footnote(2, "Tăng 16 giấy chứng nhận so với năm trước.", "Kế hoạch giao 340 giấy chứng nhận.")
             + "</div>\n")
    return cp1258(WORD_HEAD + body + "\n</div>\n\n" + notes + "</body>\n\n</html>\n")


def test_a_word_document_saved_as_a_web_page_keeps_its_headings_footnotes_and_table(tmp_path):
    page = tmp_path / "bao-cao-215.htm"
    data = word_page()
    assert "tế".encode("utf-8") not in data and b"t\xea\xec" in data      # "tế": ê, then the combining acute
    page.write_bytes(data)
    result = extract.process_file(page)
    assert result.ok, result.error
    doc = result.documents.iloc[0]
    assert (doc["unit_name"], doc["report_year"], doc["document_number"], doc["footnotes"]) == \
        ("Tân An", 2025, "215/BC-UBND", 2)
    assert unicodedata.is_normalized("NFC", doc["text"])
    assert "[1]" not in doc["text"] and "mso-" not in doc["text"] and "Văn phòng UBND" not in doc["text"]
    assert "Tổng thu ngân sách nhà nước trên địa bàn ước đạt 41.795 triệu đồng, bằng 128,6% dự toán; thu" in doc["text"]
    sections = result.sections
    assert [(s.path, s.type) for s in sections.itertuples()] == [
        ("I", "heading"), ("I > 1", "heading"), ("I > 2", "heading"), ("II", "heading"),
        ("footnote 1", "footnote"), ("footnote 2", "footnote")]
    figures = result.figures.set_index("raw")
    assert figures.loc["22.738 triệu đồng", ["section", "anchor_section", "value"]].tolist() == \
        ["footnote 1", "I > 1", 22_738_000_000]
    assert figures.loc["340 giấy chứng nhận", ["section", "anchor_section"]].tolist() == ["footnote 2", "I > 2"]
    assert figures.loc["18.436 triệu đồng", "section"] == "I > 1"
    assert figures.loc["45.000 triệu đồng", "section"] == "II"
    cells = result.figures[result.figures["table_id"].notna()]
    assert [(f.value, f.unit, f.row_label, f.col_header) for f in cells.itertuples()] == [
        (32_500_000_000, "triệu đồng", "Tổng thu ngân sách nhà nước trên địa bàn", "Năm 2025 > Kế hoạch"),
        (41_795_000_000, "triệu đồng", "Tổng thu ngân sách nhà nước trên địa bàn", "Năm 2025 > Ước thực hiện"),
        (128.6, "%", "Tổng thu ngân sách nhà nước trên địa bàn", "Tỷ lệ (%)"),
        (290, "ha", "Diện tích gieo cấy lúa cả năm", "Năm 2025 > Kế hoạch"),
        (286.5, "ha", "Diện tích gieo cấy lúa cả năm", "Năm 2025 > Ước thực hiện"),
        (98.79, "%", "Diện tích gieo cấy lúa cả năm", "Tỷ lệ (%)")]
    assert result.checks["check"].tolist() == ["ratio_percent", "table_row", "table_row"]
    assert result.checks["consistent"].all()


@pytest.mark.parametrize("data, text", [
    # price-parser style: bytes as pages come, and the text they must give
    (b'<meta charset="utf-8"><p>Thu ng\xc3\xa2n s\xc3\xa1ch</p>', "Thu ngân sách"),
    (b"\xef\xbb\xbf<p>H\xe1\xbb\x99 ngh\xc3\xa8o</p>", "Hộ nghèo"),
    ("<p>Hộ nghèo</p>".encode("utf-16"), "Hộ nghèo"),
    (b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1258"><p>Hoa\xccn tha\xccnh</p>',
     "Hoàn thành"),
    (b"<p>Hoa\xccn tha\xccnh k\xea\xec hoa\xf2ch</p>", "Hoàn thành kế hoạch"),    # undeclared, not UTF-8: windows-1258
    (b'<meta charset="iso-8859-1"><p>\x93Caf\xe9\x94</p>', "“Café”"),   # Latin-1 pages are windows-1252
    (b'<meta charset="utf-8"><p>T\xe1\xbb\x95ng</p>', "Tổng"),
])
def test_the_charset_a_page_declares_or_implies_is_honoured_and_the_text_composed(data, text):
    assert text in decode(data, "page.html")


def test_entities_scripts_and_styles(tmp_path):
    page = tmp_path / "tin.html"
    page.write_text("<html><head><style>p{margin:10px}</style></head><body>"
                    "<script>document.write('Thu 999 triệu đồng')</script><noscript>Bật 1 trình duyệt</noscript>"
                    "<p>B&aacute;o c&aacute;o t&igrave;nh h&igrave;nh kinh t&#7871; - x&atilde; h&#7897;i ph&#432;&#7901;ng"
                    " An Ph&uacute;: thu ng&acirc;n s&aacute;ch &#273;&#7841;t 1.250 tri&#7879;u &#273;&#7891;ng"
                    "&nbsp;n&#259;m 2024.</p></body></html>", encoding="utf-8")
    result = extract.process_file(page)
    assert result.ok, result.error
    text = result.documents.iloc[0]["text"]
    assert text == ("Báo cáo tình hình kinh tế - xã hội phường An Phú: thu ngân sách đạt 1.250 triệu đồng năm 2024.")
    assert result.figures["raw"].tolist() == ["1.250 triệu đồng"]


def typed_in(text: str, encoding: str) -> bytes:
    """TEXT as a page typed in a legacy font stores it: the font's codes, saved as windows-1252 bytes."""
    return legacy.encode(text, encoding).encode("cp1252")


def test_text_typed_in_a_legacy_font_is_converted(tmp_path):
    page = tmp_path / "cu.htm"
    page.write_bytes(b'<html><head><meta charset="windows-1252"></head><body>'
                     b'<p><font face=".VnTime">' + typed_in("Báo cáo tình hình kinh tế - xã hội xã An Phú", "tcvn3")
                     + b'</font></p><p style="font-family:VNI-Times">' + typed_in("Thu ngân sách đạt 1.250 triệu đồng.", "vni")
                     + b"</p></body></html>")
    result = extract.process_file(page)
    assert result.ok, result.error
    doc = result.documents.iloc[0]
    assert doc["encoding"] == "mixed"
    assert doc["text"].splitlines() == ["Báo cáo tình hình kinh tế - xã hội xã An Phú", "Thu ngân sách đạt 1.250 triệu đồng."]
    assert result.figures["raw"].tolist() == ["1.250 triệu đồng"]


def test_a_table_saved_as_xls_by_a_web_application_is_read_as_a_web_page(tmp_path):
    export = tmp_path / "bao-cao-chi-tieu.xls"
    export.write_text("<html><head><meta http-equiv=Content-Type content=\"text/html; charset=utf-8\"></head><body>"
                      "<table border=1><tr><td colspan=4><b>KẾT QUẢ THỰC HIỆN CHỈ TIÊU NĂM 2024 - XÃ AN PHÚ</b></td></tr>"
                      "<tr><th>Chỉ tiêu</th><th>Kế hoạch</th><th>Thực hiện</th><th>Tỷ lệ (%)</th></tr>"
                      "<tr><td>Hộ nghèo giảm (hộ)</td><td>15</td><td>17</td><td>113,3</td></tr>"
                      "<tr><td>Trẻ tiêm chủng đầy đủ (trẻ)</td><td>512</td><td>498</td><td>97,3</td></tr>"
                      "</table></body></html>", encoding="utf-8")
    result = extract.process_file(export)
    assert result.ok, result.error
    assert result.documents.iloc[0]["format"] == "html"
    cells = result.figures
    assert [(f.value, f.unit, f.row_label, f.col_header) for f in cells.itertuples()][:3] == [
        (15, "hộ", "Hộ nghèo giảm (hộ)", "Kế hoạch"), (17, "hộ", "Hộ nghèo giảm (hộ)", "Thực hiện"),
        (113.3, "%", "Hộ nghèo giảm (hộ)", "Tỷ lệ (%)")]
    # the title row across the table is the table's title: a line of text before it
    assert result.documents.iloc[0]["text"].startswith("KẾT QUẢ THỰC HIỆN CHỈ TIÊU NĂM 2024 - XÃ AN PHÚ\nChỉ tiêu | Kế hoạch")
    assert result.checks["consistent"].tolist() == [True, True]


@pytest.mark.parametrize("name, content, cause", [
    ("news.html", "<html><body><h1>City council news</h1><p>The council approved a budget of 1,250,000 dollars"
                  " for the new library and 63.7% of residents voted in favour of the park.</p></body></html>",
     "not a Vietnamese report"),
    ("blank.html", "<html><head><title>Trang chủ</title></head><body><nav><a href='/'>Trang chủ</a></nav></body></html>",
     "a web page without text"),
    ("empty.htm", "   \n", "empty file"),
])
def test_a_page_that_is_no_report_is_an_error_with_its_cause(tmp_path, name, content, cause):
    page = tmp_path / name
    page.write_text(content, encoding="utf-8")
    result = extract.process_file(page)
    doc = result.documents.iloc[0]
    assert doc["status"] == "error"
    assert cause in doc["error"] and "Traceback" not in doc["error"]
    assert result.figures.empty


ROOT = Path(__file__).resolve().parent.parent
MAKE_FORMATS = ROOT / "samples" / "make_formats.py"


@pytest.mark.skipif(not MAKE_FORMATS.exists(), reason="samples/make_formats.py is not there")
def test_the_samples_saved_as_web_pages_by_libreoffice_give_the_pdfs_footnotes_tables_and_checks(tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        print("soffice (LibreOffice) is not installed: the web pages cannot be made")
        pytest.skip("needs LibreOffice (soffice) to save a document as a web page")
    sys.path.insert(0, str(MAKE_FORMATS.parent))
    try:
        import make_formats
    finally:
        sys.path.remove(str(MAKE_FORMATS.parent))
    samples = sorted((ROOT / "samples").glob("*.txt"))
    documents = [make_formats.make_formats(sample, tmp_path, {"docx"})["docx"] for sample in samples]
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "html",
                    "--outdir", str(tmp_path / "html")] + [str(d) for d in documents],
                   check=True, capture_output=True, timeout=300)

    def footnote_figures(result):
        return [(f.section, f.kind, " ".join(f.raw.split())) for f in result.figures.itertuples()
                if str(f.section).startswith("footnote")]

    def table_figures(result):
        return [(f.value, f.row_label, f.col_header) for f in result.figures.itertuples() if isinstance(f.table_id, str)]

    def checks(result):
        return sorted((c.check, c.stated, c.verdict) for c in result.checks.itertuples())

    for sample in samples:
        page, pdf = extract.process_file(tmp_path / "html" / f"{sample.stem}.html"), extract.process_file(sample.with_suffix(".pdf"))
        assert page.ok, page.error
        assert page.documents.iloc[0]["footnotes"] == pdf.documents.iloc[0]["footnotes"] > 0
        assert footnote_figures(page) == footnote_figures(pdf)
        assert table_figures(page) == table_figures(pdf)
        assert checks(page) == checks(pdf)
