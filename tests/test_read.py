"""podium.read: bytes of every supported format to one normalized text."""

from __future__ import annotations

import hashlib
import io
import os
import stat
import sys
import unicodedata
import zipfile
from pathlib import Path

import pytest

from podium.errors import InputError
from podium.read import DEFAULT_MAX_BYTES, Document, read_bytes, read_path, read_text
from podium.read.text import decode, normalize

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "read"

RUSSIAN = "Сергей Лавров: Добрый день, уважаемые коллеги. Мы провели переговоры.\n" * 4
ENGLISH_CP1252 = (
    "SECRETARY POMPEO: It\u2019s a \u201cfrank\u201d discussion \u2013 a long one \u2014 "
    "and we\u2019ll continue it.\n"
) * 3


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def assert_input_error(exc: pytest.ExceptionInfo[InputError], name: str) -> str:
    message = str(exc.value)
    assert "\n" not in message, message
    assert name in message, message
    return message


# -- encodings ---------------------------------------------------------------------------


def test_utf8_plain(tmp_path):
    text = "Q: Thank you, Mr. Minister. Déjà vu — «переговоры».\n"
    path = write(tmp_path, "t.txt", text.encode("utf-8"))
    doc = read_path(path)
    assert isinstance(doc, Document)
    assert doc.text == text
    assert (doc.format, doc.encoding, doc.warnings) == ("text", "utf-8", [])
    assert doc.name == str(path)
    assert doc.sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert doc.meta_hints == {}


def test_utf8_does_not_call_charset_normalizer(tmp_path, monkeypatch):
    import charset_normalizer

    def boom(*args, **kwargs):
        raise AssertionError("charset-normalizer called on valid UTF-8")

    monkeypatch.setattr(charset_normalizer, "from_bytes", boom)
    doc = read_path(write(tmp_path, "t.txt", RUSSIAN.encode("utf-8")))
    assert doc.text == RUSSIAN


def test_cp1251_russian(tmp_path):
    doc = read_path(write(tmp_path, "lavrov.txt", RUSSIAN.encode("cp1251")))
    assert doc.text == RUSSIAN
    assert doc.encoding == "cp1251"
    assert doc.warnings == [
        (
            "encoding_repaired",
            f"{tmp_path / 'lavrov.txt'}: decoded as cp1251 (guessed); check accented letters",
        )
    ]


def test_koi8r_russian(tmp_path):
    doc = read_path(write(tmp_path, "koi.txt", RUSSIAN.encode("koi8-r")))
    assert doc.text == RUSSIAN
    assert doc.encoding == "koi8-r"
    assert doc.warnings[0][0] == "encoding_repaired"


def test_cp1252_curly_quotes_and_dashes(tmp_path):
    data = ENGLISH_CP1252.encode("cp1252")
    assert {0x92, 0x93, 0x94, 0x96, 0x97} <= set(data)
    doc = read_path(write(tmp_path, "pompeo.txt", data))
    assert doc.text == ENGLISH_CP1252
    assert doc.encoding == "cp1252"  # not latin-1: 0x92-0x97 are quotes and dashes
    assert doc.warnings == [
        (
            "encoding_repaired",
            f"{tmp_path / 'pompeo.txt'}: decoded as cp1252 (guessed); check accented letters",
        )
    ]


def test_short_cp1252_dash():
    doc = read_bytes("Q: Thanks \u2014 okay.".encode("cp1252"), "q.txt")
    assert doc.text == "Q: Thanks \u2014 okay."
    assert doc.encoding == "cp1252"


def test_latin1_accents(tmp_path):
    text = "Le président a déclaré à la presse : « Nous sommes très heureux ».\n"
    doc = read_path(write(tmp_path, "fr.txt", text.encode("latin-1")))
    assert doc.text == text
    # No byte in 0x80-0x9F: latin-1 and cp1252 read the same; the smaller claim is reported.
    assert doc.encoding == "latin-1"
    assert doc.warnings[0][0] == "encoding_repaired"
    assert "latin-1 (guessed)" in doc.warnings[0][1]


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Café déjà vu", "latin-1"),
        ("Señor Presidente, ¿qué opina?", "latin-1"),
        ("€100 million", "cp1252"),
        ("Zażółć gęślą jaźń", "cp1250"),
        ("Привет, коллеги", "koi8-r"),
        ("Москва — Вашингтон", "cp1251"),
    ],
)
def test_short_legacy_texts(text, encoding):
    doc = read_bytes(text.encode(encoding), "short.txt")
    assert doc.text == text
    assert doc.encoding == encoding


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (
            "外交部发言人今天举行例行记者会。记者问：中方如何看待美国国务卿访问俄罗斯？发言人答：我们注意到有关报道。",
            "gb18030",
        ),
        (
            "外務大臣は本日、記者会見を行いました。日本とロシアの関係について交渉を続けていくことを確認しました。",
            "shift_jis",
        ),
        (
            "Ο υπουργός Εξωτερικών δήλωσε σήμερα σε συνέντευξη Τύπου ότι οι συνομιλίες ήταν εποικοδομητικές.",
            "cp1253",
        ),
        (
            "Ministr zahraničních věcí České republiky dnes přijal svého ruského protějška. "
            "Na tiskové konferenci řekl: Děkuji, jednání byla věcná a otevřená. Otázka: Jaký je "
            "váš názor na sankce? Odpověď: Česká republika podporuje společný postup.",
            "cp1250",
        ),
    ],
)
def test_other_legacy_encodings(text, encoding):
    doc = read_bytes(text.encode(encoding), "x.txt")
    assert doc.text == text
    assert doc.encoding == encoding
    assert doc.warnings[0][0] == "encoding_repaired"


def test_utf8_with_stray_cp1252_bytes():
    data = "The minister\u2019s caf\u00e9 \u201cremarks\u201d ".encode() + b"and \x93one\x94 more."
    doc = read_bytes(data, "mixed.txt")
    assert doc.text == "The minister\u2019s caf\u00e9 \u201cremarks\u201d and \u201cone\u201d more."
    assert doc.encoding == "utf-8"
    assert doc.warnings[0][0] == "encoding_repaired"
    assert "2 invalid byte(s)" in doc.warnings[0][1]


def test_utf8_bom(tmp_path):
    doc = read_path(write(tmp_path, "bom.txt", b"\xef\xbb\xbfQ: Hello \xe2\x80\x94 there.\n"))
    assert doc.text == "Q: Hello \u2014 there.\n"
    assert (doc.encoding, doc.warnings) == ("utf-8-sig", [])


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_bom(tmp_path, codec):
    bom = b"\xff\xfe" if codec == "utf-16-le" else b"\xfe\xff"
    path = write(tmp_path, "u16.txt", bom + RUSSIAN.encode(codec))
    doc = read_path(path)
    assert doc.text == RUSSIAN
    assert (doc.encoding, doc.warnings) == ("utf-16", [])
    assert doc.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("text", ["Q: Thank you.\nA: You are welcome.\n", RUSSIAN])
def test_utf16_without_bom(tmp_path, codec, text):
    doc = read_path(write(tmp_path, "u16.txt", text.encode(codec)))
    assert doc.text == text
    assert doc.encoding == codec
    assert doc.warnings[0][0] == "encoding_repaired"


def test_crlf_and_cr(tmp_path):
    doc = read_path(write(tmp_path, "crlf.txt", b"Q: One.\r\nA: Two.\rQ: Three.\r\n\r\nEnd"))
    assert doc.text == "Q: One.\nA: Two.\nQ: Three.\n\nEnd"


def test_nfc(tmp_path):
    decomposed = "Caf" + "e\u0301" + " and Pe\u0301rez"
    assert not unicodedata.is_normalized("NFC", decomposed)
    doc = read_path(write(tmp_path, "nfd.txt", decomposed.encode("utf-8")))
    assert doc.text == "Caf\u00e9 and P\u00e9rez"


def test_nothing_else_changes(tmp_path):
    text = "  Q:\tIndented   spaces\u00a0kept,  \u201cquotes\u201d 'too'.  \n\n\n  Prime* minister.  \n"
    doc = read_path(write(tmp_path, "ws.txt", text.encode("utf-8")))
    assert doc.text == text


def test_normalize_strips_one_bom_char():
    assert normalize("\ufeffHello\r\nworld\r") == "Hello\nworld\n"


def test_read_text():
    doc = read_text("\ufeffQ: Hi\r\nA: Cafe\u0301")
    assert doc.text == "Q: Hi\nA: Caf\u00e9"
    assert (doc.name, doc.format, doc.encoding) == ("<text>", "text", "utf-8")
    assert doc.sha256 == hashlib.sha256("\ufeffQ: Hi\r\nA: Cafe\u0301".encode()).hexdigest()
    assert read_text("x", name="<stdin>").name == "<stdin>"


def test_read_bytes_matches_read_text():
    text = "Q: Hello.\nA: Hi.\n"
    assert read_bytes(text.encode(), "<stdin>").sha256 == read_text(text).sha256


def test_decode_is_reusable_directly():
    decoded = decode("Добрый день".encode(), "x")
    assert (decoded.text, decoded.encoding, decoded.warnings) == ("Добрый день", "utf-8", [])


def test_seed_fixture_reads_cleanly():
    seed = Path(__file__).resolve().parent / "fixtures" / "sochi-2019-05-14-voltaire.txt"
    if not seed.exists():
        pytest.skip("seed fixture absent")
    doc = read_path(seed)
    assert doc.format == "text"
    assert doc.warnings == []
    assert "\r" not in doc.text


# -- HTML --------------------------------------------------------------------------------

STATE_GOV = FIXTURES / "state_gov_remarks.html"


def test_html_transcript_page():
    doc = read_path(STATE_GOV)
    assert (doc.format, doc.encoding, doc.warnings) == ("html", "utf-8", [])
    paragraphs = doc.text.split("\n\n")
    assert paragraphs[0] == (
        "Secretary Michael R. Pompeo and Russian Foreign Minister Sergey Lavrov at a Press Availability"
    )
    assert paragraphs[1:3] == ["Sochi, Russia", "Sochi Rodina Hotel"]
    assert (
        "FOREIGN MINISTER LAVROV: (Via interpreter) Good evening, ladies and gentlemen. "
        "We have just finished our talks with Secretary of State Pompeo."
    ) in paragraphs
    assert (
        "SECRETARY POMPEO: Thank you, Sergey. Thank you for hosting me here in Sochi. "
        "It\u2019s great to be here."
    ) in paragraphs
    assert "We had a frank discussion about the Iranian threat." in paragraphs
    assert "QUESTION: Mr. Secretary, one question for you, and one for the minister." in paragraphs
    assert "MODERATOR: (In Russian.)\nNext question, please." in paragraphs  # <br>
    assert paragraphs[-1] == "SECRETARY POMPEO: Thanks, everyone."
    for chrome in (
        "official website", "Policy Issues", "Home", "Share", "Facebook", "Related Articles",
        "Tags", "privacy policy", "cookies", "Skip to content", "dataLayer", "console.log",
        "Search", "Remarks to the Press", "\u00a0", "\t", "  ",
    ):  # fmt: skip
        assert chrome not in doc.text, chrome
    assert doc.meta_hints == {
        "title": "Secretary Michael R. Pompeo and Russian Foreign Minister Sergey Lavrov at a Press Availability",
        "url": "https://www.state.gov/secretary-michael-r-pompeo-and-russian-foreign-minister-sergey-lavrov-at-a-press-availability/",
        "date": "2019-05-14",
        "publisher": "United States Department of State",
    }


def test_html_inline_labels_and_strike():
    html = (
        b"<html><head><title>Press Briefing | The White House</title></head><body>"
        b"<p><b>Q</b> Thank you</p>"
        b"<p><strong>MS. PSAKI:</strong> We said so in <s>2013</s> 2014 <span>and</span> "
        b"<i>again</i>.</p></body></html>"
    )
    doc = read_bytes(html, "briefing.html")
    assert doc.text == "Q Thank you\n\nMS. PSAKI: We said so in <s>2013</s> 2014 and again."
    assert doc.meta_hints == {"title": "Press Briefing | The White House"}


def test_html_page_header_h1_and_time():
    html = b"""<!doctype html><html><body>
    <header class="site-header"><h1>The White House</h1><nav><a href="/">Briefing Room</a></nav></header>
    <main id="main"><header class="page-header"><h1>Remarks by President Biden</h1>
    <time datetime="2021-06-16T10:00:00Z">June 16, 2021</time></header>
    <div class="body-content"><p>THE PRESIDENT: Hello.</p><p>Q Mr. President?</p></div></main>
    <footer><p>The White House, 1600 Pennsylvania Ave NW</p></footer></body></html>"""
    doc = read_bytes(html, "wh.html")
    assert doc.text == "Remarks by President Biden\n\nTHE PRESIDENT: Hello.\n\nQ Mr. President?"
    assert doc.meta_hints == {"date": "2021-06-16"}


def test_html_form_wrapper_is_not_dropped():
    html = b"""<html><body><form id="aspnetForm">
    <div class="navbar">Home | About</div>
    <div><p>PRESIDENT PUTIN: Good afternoon.</p><p>QUESTION: Hello there.</p></div>
    <div class="footer"><p>Copyright 2019</p></div></form></body></html>"""
    doc = read_bytes(html, "kremlin.aspx")
    assert doc.text == "PRESIDENT PUTIN: Good afternoon.\n\nQUESTION: Hello there."


def test_html_meta_charset_cp1251():
    title = "Пресс-конференция".encode("cp1251")
    body = "В.Путин: Добрый день.".encode("cp1251")
    html = (
        b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
        b"<title>"
        + title
        + b'</title></head><body><div id="content"><h1>'
        + title
        + b"</h1><p>"
        + body
        + b"</p></div></body></html>"
    )
    doc = read_bytes(html, "kremlin.html")
    assert doc.encoding == "cp1251"
    assert doc.warnings == []  # declared, not guessed
    assert doc.text == "Пресс-конференция\n\nВ.Путин: Добрый день."
    assert doc.meta_hints["title"] == "Пресс-конференция"


def test_html_without_declared_charset_is_detected():
    html = b"<html><body><p>" + RUSSIAN.encode("cp1251") + b"</p></body></html>"
    doc = read_bytes(html, "page.htm")
    assert doc.format == "html"
    assert doc.encoding == "cp1251"
    assert doc.warnings[0][0] == "encoding_repaired"
    assert doc.text == RUSSIAN.replace("\n", " ").strip()


def test_html_entities_nbsp_and_whitespace():
    html = b"<p>A&nbsp;&amp;&nbsp;B \n\t  said &ldquo;hi&rdquo;&#8212;twice.</p>"
    doc = read_bytes(html, "frag.txt")  # content decides: it is HTML
    assert doc.format == "html"
    assert doc.text == "A & B said \u201chi\u201d\u2014twice."


def test_html_pre_keeps_lines():
    doc = read_bytes(b"<html><body><pre>Q: One\n\nA:   Two</pre></body></html>", "p.html")
    assert doc.text == "Q: One\n\nA: Two"


def test_html_extension_without_markup_reads_as_text():
    doc = read_bytes(b"Q: One.\nA: Two.\n", "saved.html")
    assert (doc.format, doc.text) == ("text", "Q: One.\nA: Two.\n")


def test_html_with_no_body_text():
    with pytest.raises(InputError) as exc:
        read_bytes(
            b"<html><head><script>x()</script></head><body><nav>Home</nav></body></html>",
            "blank.html",
        )
    assert_input_error(exc, "blank.html")


# -- DOCX --------------------------------------------------------------------------------


def make_docx(title: str | None = "Joint Press Conference") -> bytes:
    import docx

    document = docx.Document()
    if title:
        document.core_properties.title = title
    document.add_paragraph("Sochi, May 14, 2019")
    p = document.add_paragraph()
    p.add_run("SECRETARY POMPEO:").bold = True
    p.add_run(" Thank you, Sergey. ")
    p.add_run("It\u2019s").italic = True
    p.add_run(" great to be here.")
    document.add_paragraph("")
    p = document.add_paragraph()
    p.add_run("QUESTION:").bold = True
    p.add_run(" Mr. Secretary?")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "LAVROV:"
    table.cell(0, 1).text = "Thank you."
    document.add_paragraph("Cafe\u0301 closing line.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx(tmp_path):
    data = make_docx()
    doc = read_path(write(tmp_path, "presser.docx", data))
    assert (doc.format, doc.encoding, doc.warnings) == ("docx", "n/a", [])
    assert doc.text == (
        "Sochi, May 14, 2019\n\n"
        "SECRETARY POMPEO: Thank you, Sergey. It\u2019s great to be here.\n\n"
        "QUESTION: Mr. Secretary?\n\n"
        "LAVROV:\n\nThank you.\n\n"
        "Caf\u00e9 closing line."
    )
    assert doc.meta_hints == {"title": "Joint Press Conference"}
    assert doc.sha256 == hashlib.sha256(data).hexdigest()


def test_docx_sniffed_without_extension():
    doc = read_bytes(make_docx(title=None), "<stdin>")
    assert doc.format == "docx"
    assert doc.meta_hints == {}


def test_docx_corrupt(tmp_path):
    data = make_docx()
    path = write(tmp_path, "broken.docx", data[: len(data) // 2])
    with pytest.raises(InputError) as exc:
        read_path(path)
    assert "Word document" in assert_input_error(exc, "broken.docx")


def test_docx_not_a_zip(tmp_path):
    path = write(tmp_path, "fake.docx", bytes(range(256)) * 4)
    with pytest.raises(InputError) as exc:
        read_path(path)
    assert "docx" in assert_input_error(exc, "fake.docx")


def test_zip_that_is_not_docx(tmp_path):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("transcript.txt", "Q: Hi")
    with pytest.raises(InputError) as exc:
        read_path(write(tmp_path, "bundle.zip", out.getvalue()))
    assert "zip archive" in assert_input_error(exc, "bundle.zip")


def test_legacy_doc(tmp_path):
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    with pytest.raises(InputError) as exc:
        read_path(write(tmp_path, "old.doc", data))
    assert ".docx" in assert_input_error(exc, "old.doc")


# -- PDF ---------------------------------------------------------------------------------


def make_pdf(pages: list[list[str]]) -> bytes:
    """A minimal PDF with a Helvetica text layer: one list of lines per page."""
    n = len(pages)
    font_id = 3 + 2 * n
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids ["
        + b" ".join(b"%d 0 R" % (3 + 2 * i) for i in range(n))
        + b"] /Count %d >>" % n,
    ]
    for i, lines in enumerate(pages):
        ops = [b"BT /F1 12 Tf 14 TL 72 720 Td"]
        for line in lines:
            escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(b"(" + escaped.encode("latin-1") + b") Tj T*")
        ops.append(b"ET")
        stream = b"\n".join(ops) if lines else b"0 0 m 100 100 l S"
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (4 + 2 * i, font_id)
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects.append(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_pdf_text_layer(tmp_path):
    data = make_pdf([["SECRETARY POMPEO: Thank you.", "QUESTION: Next one."], ["LAVROV: Goodbye."]])
    assert len(data) < 2000
    path = write(tmp_path, "presser.pdf", data)
    doc = read_path(path)
    assert (doc.format, doc.encoding, doc.warnings) == ("pdf", "n/a", [])
    pages = doc.text.split("\n\n")
    assert len(pages) == 2
    assert pages[0].split("\n") == ["SECRETARY POMPEO: Thank you.", "QUESTION: Next one."]
    assert pages[1] == "LAVROV: Goodbye."
    assert doc.sha256 == hashlib.sha256(data).hexdigest()


def test_pdf_sniffed_by_content():
    doc = read_bytes(make_pdf([["Q: Hello."]]), "download")
    assert (doc.format, doc.text) == ("pdf", "Q: Hello.")


def test_pdf_without_text_layer(tmp_path):
    with pytest.raises(InputError) as exc:
        read_path(write(tmp_path, "scan.pdf", make_pdf([[]])))
    message = assert_input_error(exc, "scan.pdf")
    assert "no text layer" in message and "OCR" in message


def test_pdf_encrypted(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(InputError) as exc:
        read_path(write(tmp_path, "locked.pdf", out.getvalue()))
    assert "encrypted" in assert_input_error(exc, "locked.pdf")


def test_pdf_damaged(tmp_path):
    with pytest.raises(InputError) as exc:
        read_path(write(tmp_path, "bad.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage"))
    assert_input_error(exc, "bad.pdf")


# -- bad input ---------------------------------------------------------------------------


def test_missing_file(tmp_path):
    with pytest.raises(InputError) as exc:
        read_path(tmp_path / "nope.txt")
    assert "does not exist" in assert_input_error(exc, "nope.txt")


def test_directory(tmp_path):
    with pytest.raises(InputError) as exc:
        read_path(tmp_path)
    assert "directory" in assert_input_error(exc, str(tmp_path))


@pytest.mark.skipif(
    sys.platform == "win32" or (hasattr(os, "geteuid") and os.geteuid() == 0),
    reason="permissions are not enforced here",
)
def test_unreadable(tmp_path):
    path = write(tmp_path, "secret.txt", b"Q: Hi")
    path.chmod(0)
    try:
        with pytest.raises(InputError) as exc:
            read_path(path)
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert "permission" in assert_input_error(exc, "secret.txt")


def test_empty(tmp_path):
    with pytest.raises(InputError) as exc:
        read_path(write(tmp_path, "empty.txt", b""))
    assert (
        str(exc.value)
        == f"{tmp_path / 'empty.txt'} is empty: nothing to analyse; pass a transcript file."
    )


@pytest.mark.parametrize(
    "data", [b"   \n\t \r\n  ", b"\xef\xbb\xbf\n\n", "\u00a0\u3000\n".encode()]
)
def test_whitespace_only(tmp_path, data):
    with pytest.raises(InputError) as exc:
        read_path(write(tmp_path, "blank.txt", data))
    assert "nothing to analyse" in assert_input_error(exc, "blank.txt")


def test_empty_text_and_bytes():
    with pytest.raises(InputError):
        read_text("  \n")
    with pytest.raises(InputError) as exc:
        read_bytes(b"", "<stdin>")
    assert_input_error(exc, "<stdin>")


def test_binary_with_nul(tmp_path):
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8
    with pytest.raises(InputError) as exc:
        read_path(write(tmp_path, "image.png", data))
    assert "binary" in assert_input_error(exc, "image.png")


def test_binary_control_heavy(tmp_path):
    data = bytes([0x01, 0x02, 0x41, 0x03, 0x1F, 0x42, 0x07, 0x08]) * 200
    with pytest.raises(InputError) as exc:
        read_path(write(tmp_path, "blob.bin", data))
    assert "binary" in assert_input_error(exc, "blob.bin")


def test_undecodable_garbage(tmp_path):
    import random

    rng = random.Random(7)
    data = bytes(rng.randrange(0x80, 0x100) for _ in range(3000))
    with pytest.raises(InputError) as exc:
        read_path(write(tmp_path, "garbage.txt", data))
    assert "UTF-8" in assert_input_error(exc, "garbage.txt")


def test_too_large_checked_before_reading(tmp_path, monkeypatch):
    path = write(tmp_path, "big.txt", b"Q: Hi.\n" * 100)

    def no_open(*args, **kwargs):
        raise AssertionError("opened a file over the limit")

    import builtins

    monkeypatch.setattr(builtins, "open", no_open)
    with pytest.raises(InputError) as exc:
        read_path(path, max_bytes=100)
    assert "limit" in assert_input_error(exc, "big.txt")


def test_too_large_bytes():
    with pytest.raises(InputError) as exc:
        read_bytes(b"x" * 11, "<stdin>", max_bytes=10)
    assert_input_error(exc, "<stdin>")
    assert DEFAULT_MAX_BYTES == 50 * 1024 * 1024


def test_pathlike_and_str_paths(tmp_path):
    path = write(tmp_path, "t.txt", b"Q: Hi.")
    assert read_path(path).text == read_path(str(path)).text == "Q: Hi."


def test_permission_error_is_input_error(tmp_path, monkeypatch):
    path = write(tmp_path, "locked.txt", b"Q: Hi")
    import builtins

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(builtins, "open", denied)
    with pytest.raises(InputError) as exc:
        read_path(path)
    assert "permission denied" in assert_input_error(exc, "locked.txt")


def test_html_declared_latin1_means_cp1252():
    html = b'<html><head><meta charset="iso-8859-1"></head><body><p>It\x92s \x93done\x94 \x97 caf\xe9.</p></body></html>'
    doc = read_bytes(html, "old.html")
    assert doc.text == "It\u2019s \u201cdone\u201d \u2014 caf\u00e9."
    assert (doc.encoding, doc.warnings) == ("cp1252", [])


def test_html_declared_single_byte_but_utf8():
    html = '<html><head><meta charset="windows-1252"></head><body><p>Café — ok</p></body></html>'
    doc = read_bytes(html.encode("utf-8"), "resaved.html")
    assert doc.text == "Café — ok"
    assert doc.encoding == "utf-8"
    assert doc.warnings[0][0] == "encoding_repaired"


def test_html_article_split_by_promo_keeps_both_halves():
    first = "PRESIDENT PUTIN: " + "We discussed trade and security at length. " * 3
    second = "QUESTION: " + "What about sanctions and the energy projects? " * 2
    html = (
        '<html><body><nav class="menu"><a href="/">Home</a></nav><article>'
        f'<div class="text-block"><p>{first}</p></div>'
        '<div class="promo-box"><p>Subscribe to our newsletter for more news.</p></div>'
        f'<div class="text-block"><p>{second}</p></div>'
        "</article></body></html>"
    )
    doc = read_bytes(html.encode(), "split.html")
    assert doc.text == first.strip() + "\n\n" + second.strip()


def test_html_heading_with_header_class_is_kept():
    html = b"""<html><body><article><div class="entry-content">
    <h1 class="entry-header__title">Press Statement</h1>
    <h2 class="section-header">Opening remarks</h2>
    <p>MR. PRICE: Good afternoon.</p></div></article></body></html>"""
    doc = read_bytes(html, "p.html")
    assert doc.text == "Press Statement\n\nOpening remarks\n\nMR. PRICE: Good afternoon."
