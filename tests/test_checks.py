"""Each kind of check and each verdict, from real-looking report sentences."""
import pytest

from extract import process_text


def checks_of(text: str) -> list[dict]:
    return process_text(text).checks.to_dict("records")


def only(text: str, check: str) -> dict:
    found = [c for c in checks_of(text) if c["check"] == check]
    assert len(found) == 1, (text, checks_of(text))
    return found[0]


@pytest.mark.parametrize("text,verdict,computed", [
    ("Học sinh xuất sắc: 534/838 đạt 63,7%; hoàn thành tốt.", "ok", 63.723),
    ("Vận động hiến máu được 58/50 đơn vị máu (đạt 116% chỉ tiêu giao).", "ok", 116.0),
    ("Thu ngân sách 9.488.000.000đ/6.057.000.000đ đạt 157% kế hoạch.", "ok", 156.645),
    ("Hộ gia đình đã mua bình chữa cháy 2.323/2948 =79% hộ.", "ok", 78.799),
    ("Doanh thu 1.897/1.490 triệu đồng, đạt 127,37% kế hoạch.", "mismatch", 127.315),
    ("Sản lượng 890,6/854 tấn, bằng 104,29%.", "ok", 104.286),
    ("Học lực trung bình: 142/448 đạt 31%.", "truncated", 31.696),
    ("Đăng ký 7.676/7.710 định danh điện tử đạt 99,60%.", "padded", 99.559),
    ("Tiếp nhận 623/582 hồ sơ đạt 93%.", "swapped", 107.045),
    ("Sản lượng 7.666,4/11.830 tấn, đạt 68,4% kế hoạch.", "digits_transposed", 64.805),
    ("Học lực yếu: 7/448 đạt 0.1%.", "impossible", 1.5625),
    ("Học lực khá: 192/448 đạt 44%.", "mismatch", 42.857),
])
def test_ratio_percent_verdicts(text, verdict, computed):
    check = only(text, "ratio_percent")
    assert check["verdict"] == verdict
    assert check["consistent"] is (verdict == "ok")
    assert check["computed"] == pytest.approx(computed, abs=0.001)
    assert check["explanation"].endswith(".") and "%" in check["explanation"]


def test_a_percentage_of_the_plan_is_not_checked_against_a_nearby_ratio():
    text = "Thu ngân sách 27.385.776.000đ/5.355.000.000đ đạt 511% kế hoạch năm và bằng 297% so với cùng kỳ."
    [check] = checks_of(text)
    assert check["stated"] == 511


def test_a_date_beside_a_percentage_is_not_a_ratio():
    assert checks_of("Kỷ niệm Quốc khánh 2/9; hơn 97% hộ treo cờ.") == []


def test_implied_denominator_uses_the_base_stated_elsewhere():
    text = ("Kết quả 2724/2810 hộ ( đạt 96,94%) đạt danh hiệu gia đình văn hóa. "
            "Tổng số hộ nghèo: 19 hộ nghèo (đạt 0.67%); hộ cận nghèo: 15 hộ (đạt 0.53%).")
    implied = [c for c in checks_of(text) if c["check"] == "implied_denominator"]
    assert [(c["stated"], c["consistent"]) for c in implied] == [(0.67, False), (0.53, True)]
    assert "2815" in implied[0]["explanation"] and "2810" in implied[0]["explanation"]


def test_a_share_of_the_plan_has_no_base_to_find():
    text = "Có 2.918 hộ. Giải quyết việc làm mới cho 146 lao động, đạt 58,4% kế hoạch năm."
    assert [c for c in checks_of(text) if c["check"] == "implied_denominator"] == []


@pytest.mark.parametrize("text,stated,computed,consistent", [
    ("Tổng số tiền hỗ trợ: 40.000.000đ (trong đó từ Quỹ thành phố: 10.000.000 đồng, từ Quỹ phường: "
     "30.000.000 đồng).", 40_000_000, 40_000_000, True),
    ("Tổng kinh phí 65.000.000đ (trong đó: Quỹ thành phố 25.000.000 đồng, Quỹ phường 35.000.000 đồng).",
     65_000_000, 60_000_000, False),
    ("Đã tiếp nhận 5.813 hồ sơ, trong đó có: 5.813 hồ sơ trả đúng hạn, 0 hồ sơ quá hạn.", 5813, 5813, True),
    ("Tiếp nhận 11 đơn, đã giải quyết 10/11 đơn, còn 01 đơn đang xem xét.", 11, 11, True),
    ("Kinh phí 690.000.000đ (trong đó: xây mới 540.000.000 đồng, mức 60 triệu đồng/hộ; sửa chữa "
     "150.000.000 đồng, mức 30 triệu đồng/hộ).", 690_000_000, 690_000_000, True),
])
def test_parts_sum(text, stated, computed, consistent):
    check = only(text, "parts_sum")
    assert (check["stated"], check["computed"], check["consistent"]) == (stated, computed, consistent)


def test_ratios_splitting_one_denominator_give_parts_and_shares():
    text = ("Trường THCS: giỏi:107/448 đạt 24%; khá: 192/448 đạt 44%; trung bình: 142/448 đạt 31%, "
            "yếu: 7/448 đạt 0.1%.")
    parts = only(text, "parts_sum")
    assert (parts["stated"], parts["computed"], parts["consistent"]) == (448, 448, True)
    shares = only(text, "percent_sum")
    assert shares["computed"] == pytest.approx(99.1) and shares["consistent"] is False


def test_ratios_over_one_base_that_do_not_split_it_are_not_parts():
    text = "Kết quả 2724/2810 hộ (đạt 96,94%); 2524/2810 hộ (đạt 89.82%) giữ danh hiệu 3 năm liên tục."
    assert [c for c in checks_of(text) if c["check"] == "parts_sum"] == []


@pytest.mark.parametrize("text,computed,consistent", [
    ("Cơ cấu kinh tế: nông nghiệp 48,3%; công nghiệp - xây dựng 21,6%; dịch vụ 28,9%.", 98.8, False),
    ("Xếp loại học lực: giỏi 38,4%; khá 41,7%; trung bình 19,0%; yếu 0,9%.", 100.0, True),
])
def test_labelled_share_lists(text, computed, consistent):
    check = only(text, "percent_sum")
    assert check["computed"] == pytest.approx(computed) and check["consistent"] is consistent


def test_unrelated_percentages_are_not_a_share_list():
    text = "Kết quả: 95% hộ dân treo cờ tổ quốc, 100% các cơ quan, đơn vị treo cờ, 98% hộ ký cam kết."
    assert [c for c in checks_of(text) if c["check"] == "percent_sum"] == []


@pytest.mark.parametrize("text,consistent", [
    ("Xử phạt 04 trường hợp, số tiền 2.800.000đ ( Hai triệu tám trăm nghìn đồng).", True),
    ("Trao thưởng 6.250.000đ (Sáu triệu hai trăm nghìn đồng).", False),
])
def test_words_against_digits(text, consistent):
    check = only(text, "words_digits")
    assert check["consistent"] is consistent


def test_checks_name_their_figures():
    result = process_text("Học lực khá: 192/448 đạt 44%.")
    [check] = result.checks.to_dict("records")
    raws = result.figures.set_index("figure_id").loc[list(check["figure_ids"]), "raw"].tolist()
    assert raws == ["192/448", "44%"]


@pytest.mark.parametrize("text,computed,verdict", [
    ("Diện tích bưởi 74,5 ha, tăng 7,04% hay tăng 4,9 ha so với năm 2022.", 7.0402, "ok"),
    ("Tổng diện tích gieo trồng 1.286,4 ha, tăng 3,12% hay tăng 38,9 ha so với cùng kỳ.", 3.1182, "ok"),
    ("Diện tích lúa 741,2 ha, tăng 4,95% hay tăng 34,95 ha.", 4.9487, "ok"),
    ("Diện tích lúa 741,2 ha, tăng 4,94% hay tăng 34,95 ha.", 4.9487, "truncated"),
    ("Diện tích lúa 741,2 ha, tăng 5,94% hay tăng 34,95 ha.", 4.9487, "mismatch"),
    ("Số hộ nghèo còn 19 hộ, giảm 54,8% (giảm 23 hộ) so với đầu năm.", 54.7619, "ok"),
    ("Thu nhập bình quân 76.500.000 đồng/người/năm, tăng 6,1% hay tăng 4,4 triệu đồng.", 6.1026, "ok"),
])
def test_change_against_its_parts(text, computed, verdict):
    check = only(text, "change")
    assert check["computed"] == pytest.approx(computed, abs=0.001)
    assert check["verdict"] == verdict


@pytest.mark.parametrize("text,computed,verdict", [
    ("Xảy ra 12 vụ tai nạn giao thông, giảm 3 vụ so với cùng kỳ (15 vụ), giảm 20%.", 20.0, "ok"),
    ("Phạm pháp hình sự xảy ra 48 vụ, tăng 8 vụ (cùng kỳ 40 vụ), tăng 25%.", 20.0, "mismatch"),
    ("Sản lượng lúa đạt 1.330 tấn, so với năm 2023 (1.250 tấn) tăng 6,4%.", 6.4, "ok"),
    ("Sản lượng lúa đạt 1.330 tấn, so với năm 2023 (1.250 tấn) tăng 7,4%.", 6.4, "mismatch"),
    ("Số vụ cháy là 12 vụ, giảm 3 vụ (giảm 20%).", 20.0, "ok"),
    ("Tai nạn giao thông so với cùng kỳ giảm 3 vụ (còn 12 vụ), tương đương giảm 20%.", 20.0, "ok"),
    ("Tổng số vụ tai nạn là 12 vụ, so với cùng kỳ năm trước (15 vụ) giảm 3 vụ, tương đương 25%.", 20.0,
     "impossible"),
    # the value now earlier in the sentence, before the clause that states the change
    ("Tai nạn giao thông: xảy ra 05 vụ, làm chết 02 người; so với cùng kỳ tăng 01 vụ, tăng 25%.", 25.0, "ok"),
    ("Tai nạn giao thông: xảy ra 05 vụ, làm chết 02 người; so với cùng kỳ tăng 01 vụ, tăng 20%.", 25.0, "impossible"),
])
def test_change_against_the_earlier_value(text, computed, verdict):
    check = only(text, "change")
    assert check["computed"] == pytest.approx(computed, abs=0.001)
    assert check["verdict"] == verdict


def test_no_change_check_across_clauses_or_units():
    assert not [c for c in checks_of("Xảy ra 12 vụ; năm 2023 có 40 người (cùng kỳ 15 vụ), tăng 20%.")
                if c["check"] == "change"]
    assert not [c for c in checks_of("Thu ngân sách 5 tỷ đồng, tăng 12% so với cùng kỳ.") if c["check"] == "change"]


@pytest.mark.parametrize("text,computed,consistent", [
    ("Cân đo phát hiện 12 ca suy dinh dưỡng / 420 trẻ, chiếm 2,86%.", 2.8571, True),
    ("Cân đo phát hiện 12 ca suy dinh dưỡng / 420 trẻ được cân đo, chiếm 3,86%.", 2.8571, False),
    ("Có 15 hộ nghèo trên tổng số 320 hộ, chiếm 4,69%.", 4.6875, True),
])
def test_a_part_of_a_base_named_with_another_noun(text, computed, consistent):
    check = only(text, "ratio_percent")
    assert check["computed"] == pytest.approx(computed, abs=0.001)
    assert check["consistent"] is consistent
    assert not [c for c in checks_of(text) if c["check"] == "implied_denominator"]


@pytest.mark.parametrize("rate,consistent", [("13,49‰", True), ("15,49‰", False)])
def test_a_birth_rate_over_the_population_stated_elsewhere(rate, consistent):
    text = f"Dân số toàn phường 12.450 người. Trong năm sinh 168 trẻ, tỷ suất sinh thô {rate}."
    check = only(text, "ratio_percent")
    assert check["computed"] == pytest.approx(13.494, abs=0.001) and check["consistent"] is consistent
    assert "‰" in check["explanation"]


def test_a_natural_increase_rate_is_not_births_over_population():
    text = "Dân số toàn phường 12.450 người. Trong năm sinh 168 trẻ, tỷ lệ tăng dân số tự nhiên 9,1‰."
    assert not checks_of(text)


def test_a_ratio_and_its_percentage_a_few_words_apart():
    text = "Toàn xã có 1.245/1.310 hộ được công nhận gia đình văn hóa năm 2024, đạt 95,04%."
    assert only(text, "ratio_percent")["consistent"] is True


@pytest.mark.parametrize("text,computed", [
    ("Vận động 312 cặp vợ chồng áp dụng biện pháp tránh thai, đạt 104% kế hoạch (300 cặp).", 104.0),
    ("Quỹ Vì người nghèo được 186,7 triệu đồng, đạt 124,5% chỉ tiêu (150 triệu đồng).", 124.4667),
])
def test_a_result_its_share_of_the_plan_and_the_plan_in_brackets(text, computed):
    check = only(text, "ratio_percent")
    assert check["computed"] == pytest.approx(computed, abs=0.001) and check["consistent"] is True


def test_a_share_of_a_total_named_by_the_words_before_it():
    text = ("Tổng dư nợ 48,216 tỷ đồng với 1.108 hộ còn dư nợ; nợ quá hạn 96 triệu đồng, chiếm 0,2% tổng dư nợ.")
    assert only(text, "ratio_percent")["computed"] == pytest.approx(0.1991, abs=0.001)


@pytest.mark.parametrize("text,stated,computed", [
    ("Đi làm việc ở nước ngoài 42 người (Nhật Bản 29 người, Hàn Quốc 9 người, Đài Loan 4 người).", 42, 42),
    ("Thu ngân sách xã 9.488.000.000đ, trong đó: thu thuế 5.120.000.000đ; thu bổ sung 1.250.000.000đ; "
     "thu khác 3.018.000.000đ.", 9488000000, 9388000000),
    ("Tổng chi 7.436.520.000 đồng (Bằng chữ: Bảy tỷ bốn trăm ba mươi sáu triệu năm trăm hai mươi nghìn đồng), "
     "đạt 94,2%; trong đó chi đầu tư 2.105.000.000 đồng, chi thường xuyên 5.331.520.000 đồng. "
     "Giải ngân 1.236 triệu đồng.", 7436520000, 7436520000),
])
def test_parts_listed_in_brackets_after_a_colon_or_after_a_share(text, stated, computed):
    check = only(text, "parts_sum")
    assert check["stated"] == stated and check["computed"] == computed


@pytest.mark.parametrize("text,consistent", [
    ("Tỷ lệ bao phủ bảo hiểm y tế đạt 92,4% dân số (48.342/52.318 người), tăng 1,3% so với cuối năm 2024.", True),
    ("Tỷ lệ hộ gia đình văn hóa đạt 93,9% (2.724/2.810 hộ).", False),
])
def test_a_ratio_in_brackets_after_its_percentage(text, consistent):
    assert only(text, "ratio_percent")["consistent"] is consistent


def test_an_earlier_value_in_brackets_is_no_list_of_parts():
    assert not [c for c in checks_of("Xảy ra 12 vụ (cùng kỳ 15 vụ, năm 2022 là 3 vụ), giảm 20%.")
                if c["check"] == "parts_sum"]


def test_parts_after_trong_do_run_past_a_semicolon_only_when_they_make_their_whole():
    sums = [c for c in checks_of("Tổng chi ngân sách 6.420.000.000 đồng, đạt 52% dự toán; trong đó chi đầu tư "
                                 "phát triển 1.100.000.000 đồng; chi thường xuyên 5.320.000.000 đồng.")
            if c["check"] == "parts_sum"]
    assert [(c["stated"], c["computed"], c["consistent"]) for c in sums] == [(6_420_000_000, 6_420_000_000, True)]
    # the clause after the semicolon says something else of the same noun: no list, no flag
    assert not [c for c in checks_of("Tổng số cán bộ, công chức 24 người, trong đó đại học 21 người, chiếm 87,5%; "
                                     "người hoạt động không chuyên trách 14 người.") if c["check"] == "parts_sum"]


@pytest.mark.parametrize("text,stated,computed,consistent", [
    ("Giá trị sản xuất ước đạt 820,4 tỷ đồng, bằng 51% kế hoạch năm. Trong đó: nông nghiệp 310,2 tỷ đồng; công "
     "nghiệp - xây dựng 280,1 tỷ đồng; dịch vụ 230,1 tỷ đồng.", 820_400_000_000, 820_400_000_000, True),
    ("Diện tích gieo trồng vụ Đông Xuân ước đạt 1.286,5 ha, đạt 101,3% kế hoạch (1.270 ha). Trong đó: lúa 742 ha; "
     "ngô 318,5 ha; lạc 96 ha; rau các loại 135 ha.", 1286.5, 1291.5, False),
])
def test_parts_in_a_sentence_of_their_own_after_their_total(text, stated, computed, consistent):
    check = only(text, "parts_sum")
    assert (check["stated"], check["computed"], check["consistent"]) == (stated, pytest.approx(computed), consistent)


def test_a_sentence_opening_with_trong_do_that_does_not_make_the_total_is_no_list():
    assert not [c for c in checks_of("Toàn xã có 1.320 hộ kinh doanh. Trong đó, 210 hộ mới đăng ký; 95 hộ tạm "
                                     "ngừng kinh doanh.") if c["check"] == "parts_sum"]


@pytest.mark.parametrize("text,stated,computed,consistent", [
    ("Gọi công dân nhập ngũ: giao 45/45 công dân, đạt 100% chỉ tiêu (Quân đội 38 công dân, Công an 07 công dân).",
     45, 45, True),
    ("Gọi công dân nhập ngũ: giao 24/24 công dân, đạt 100% chỉ tiêu (Quân đội 20 công dân, Công an 05 công dân).",
     24, 25, False),
])
def test_the_parts_in_brackets_after_a_ratio_and_its_share_add_up_to_its_numerator(text, stated, computed, consistent):
    check = only(text, "parts_sum")
    assert (check["stated"], check["computed"], check["consistent"]) == (stated, computed, consistent)


def test_parts_that_pass_their_whole_are_checked_further_than_parts_that_fall_short():
    over = checks_of("Thu ngân sách xã 9.956.000.000 đồng (trong đó: thu cân đối 5.236.000.000 đồng, thu bổ sung "
                     "từ ngân sách cấp trên 6.570.000.000 đồng, thu phí, lệ phí 150.000.000 đồng).")
    assert [(c["check"], c["computed"], c["consistent"]) for c in over] == [("parts_sum", 11_956_000_000, False)]
    # a list "of which" may leave parts out: half the whole is no check
    assert not checks_of("Thu ngân sách xã 10.000.000.000 đồng (trong đó: thu thuế 3.000.000.000 đồng, "
                         "thu phí 2.000.000.000 đồng).")
    # parts many times the figure before them are not its parts (a change, then the area's parts)
    assert not checks_of("Diện tích gieo trồng tăng 38,9 ha (trong đó: lúa 968,5 ha, ngô 120 ha).")


def test_counts_a_comprising_list_gives_are_checked_however_far_from_their_total():
    def sums(text):
        return [(c["check"], c["stated"], c["computed"], c["consistent"]) for c in checks_of(text)]
    assert sums("Toàn xã có 06 trường (gồm 01 trường mầm non, 02 trường tiểu học, 01 trường THCS).") == \
        [("parts_sum", 6, 4, False)]
    assert sums("Toàn xã có 01 trường (gồm 01 trường mầm non, 01 trường tiểu học, 01 trường THCS).") == \
        [("parts_sum", 1, 3, False)]
    assert sums("Toàn xã có 03 trường (gồm 01 trường mầm non, 01 trường tiểu học, 01 trường THCS).") == \
        [("parts_sum", 3, 3, True)]
    # "trong đó" (of which) may leave parts out
    assert not checks_of("Có 12 sản phẩm OCOP (trong đó 3 sản phẩm đạt 4 sao, 2 sản phẩm đạt 3 sao).")
