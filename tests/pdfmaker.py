"""Small PDFs written byte by byte for the tests: a text page, and the broken kinds a batch meets.

Each function returns the bytes of a whole PDF; the cross-reference table is computed, so the files are
well-formed unless a test breaks them on purpose.
"""
import hashlib

PAD = bytes.fromhex("28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a")


def build(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    """A PDF from its numbered objects (object 1 is the catalog)."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer_extra, xref)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _page(content_ref: int, resources: bytes) -> bytes:
    return (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R /Resources %s >>"
            % (content_ref, resources))


def helvetica_page(content: bytes, encoding: bytes = b"/WinAnsiEncoding") -> bytes:
    """One page drawn by CONTENT, its font F1 Helvetica in ENCODING."""
    return build([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        _page(4, b"<< /Font << /F1 5 0 R >> >>"),
        _stream(content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding %s >>" % encoding,
    ])


def text_pdf(lines: list[str], encoding: bytes = b"/WinAnsiEncoding") -> bytes:
    """One page of Helvetica text (Latin-1 lines)."""
    content = b"BT /F1 12 Tf 72 770 Td 16 TL " + b" ".join(
        b"(%s) '" % line.encode("cp1252", "replace").replace(b"(", b"\\(").replace(b")", b"\\)") for line in lines) + b" ET"
    return helvetica_page(content, encoding)


def scaled_text_pdf() -> bytes:
    """Text set in a 1-point font that the text matrix and the CTM scale up, as many PDF producers write
    it: a 12-point line, "2023" with a 7-point raised footnote marker 1, and a line at 6 pt doubled by cm."""
    content = (b"BT /F1 1 Tf 12 0 0 12 72 700 Tm (So ho nam 2023) Tj 7 0 0 7 166.7 705 Tm (1) Tj "
               b"12 0 0 12 171 700 Tm ( la 328 ho kinh doanh.) Tj ET "
               b"q 2 0 0 2 0 0 cm BT /F1 6 Tf 36 340 Td (Thu ngan sach 1.250.000.000d.) Tj ET Q")
    return helvetica_page(content)


def zero_page_pdf() -> bytes:
    return build([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])


def image_only_pdf() -> bytes:
    """A 'scanned' page: one grey image, no text."""
    pixels = bytes(range(0, 256, 4)) * 64
    return build([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        _page(4, b"<< /XObject << /Im1 5 0 R >> >>"),
        _stream(b"q 400 0 0 400 100 300 cm /Im1 Do Q"),
        _stream(pixels, b"/Type /XObject /Subtype /Image /Width 64 /Height 64 /ColorSpace /DeviceGray "
                        b"/BitsPerComponent 8 "),
    ])


def unmapped_font_pdf() -> bytes:
    """Vietnamese typed in a legacy TCVN3 font with no Unicode map: what a reader gets is "B¸o c¸o t×nh h×nh"."""
    tcvn3 = "B¸o c¸o t×nh h×nh thùc hiÖn nhiÖm vô kinh tÕ - x· héi n¨m 2023 cña UBND ph­êng"
    return text_pdf([tcvn3] * 20, encoding=b"/WinAnsiEncoding")


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out, i, j = bytearray(), 0, 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def encrypted_pdf(user_password: bytes = b"secret") -> bytes:
    """text_pdf encrypted with the standard handler, revision 2 (RC4, 40 bits): it opens only with a password."""
    file_id = hashlib.md5(b"ward-extract test").digest()
    owner_key = hashlib.md5((b"owner" + PAD)[:32]).digest()[:5]
    o_value = _rc4(owner_key, (user_password + PAD)[:32])
    permissions = -4
    key = hashlib.md5((user_password + PAD)[:32] + o_value + permissions.to_bytes(4, "little", signed=True)
                      + file_id).digest()[:5]
    u_value = _rc4(key, PAD)

    def object_key(number: int) -> bytes:
        return hashlib.md5(key + number.to_bytes(3, "little") + (0).to_bytes(2, "little")).digest()[:10]

    content = b"BT /F1 12 Tf 72 770 Td (Bao cao so 1: 328 ho kinh doanh) Tj ET"
    encrypted_content = _rc4(object_key(4), content)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        _page(4, b"<< /Font << /F1 5 0 R >> >>"),
        _stream(encrypted_content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <" + o_value.hex().encode() + b"> /U <" + u_value.hex().encode()
        + b"> /P %d >>" % permissions,
    ]
    return build(objects, b"/Encrypt 6 0 R /ID [<" + file_id.hex().encode() + b"> <" + file_id.hex().encode()
                 + b">] ")


def words_placed_pdf(gap: float = 0.2) -> bytes:
    """Words each placed on their own with no space glyph between them, as a browser's "Save as PDF" writes
    them: a TJ array whose offsets move each word GAP of the type size past the last (12-point Helvetica); a
    line whose per mille sign is set a tenth of the size from its number, as a browser sets a glyph of another
    font's metrics; then a line led by a raised number set a little apart from its text, as a footnote body is."""
    shift = b" %d " % round(-1000 * gap)

    def placed(line: str) -> bytes:
        return b"[" + shift.join(b"(%s)" % word.encode("ascii") for word in line.split()) + b"] TJ"
    content = (b"BT /F1 12 Tf 72 770 Td " + placed("Phuong quan ly 328 ho kinh doanh tren dia ban.") +
               b" 0 -16 Td " + placed("Thu ngan sach dat 1.250.000.000d, bang 125% ke hoach nam.") +
               b" 0 -16 Td " + placed("Ty suat sinh tho")[:-4] + shift + b"(11,36) -105 (\211;)] TJ ET "
               b"BT /F1 7 Tf 72 105 Td (1) Tj /F1 10 Tf 7 -4 Td (Theo so lieu cua Chi cuc Thong ke.) Tj ET")
    return helvetica_page(content)


def letter_spaced_pdf(spacing: float) -> bytes:
    """A title set letter-spaced (character spacing SPACING points at 13 pt, space glyphs between its
    words), a line of words placed with no space glyph and letter-spaced the same (as a browser sets CSS
    letter-spacing), a plain line, and a row of column numbers set far apart."""
    words = b" ".join(b"(%s) -%d" % (w, round(1000 * (0.25 + spacing / 13))) for w in (b"KINH", b"TE", b"XA"))
    content = (b"BT /F1 13 Tf %.2f Tc 72 770 Td (BAO CAO TINH HINH) Tj ET " % spacing
               + b"BT /F1 13 Tf %.2f Tc 72 740 Td [" % spacing + words + b" (HOI)] TJ ET "
               + b"BT /F1 12 Tf 0 Tc 72 710 Td (Thu ngan sach dat 125% ke hoach.) Tj ET "
               + b"BT /F1 12 Tf 72 680 Td (1) Tj 60 0 Td (2) Tj 60 0 Td (3) Tj 60 0 Td (4) Tj ET")
    return helvetica_page(content)
