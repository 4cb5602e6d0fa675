#!/usr/bin/env python3
"""Writes the small documents tst_documentextractor reads. Run it from anywhere; it writes next
to itself. The outputs are committed, so this only needs to run when they change."""

import pathlib
import zipfile

HERE = pathlib.Path(__file__).resolve().parent


def write(name, data):
    (HERE / name).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))


def pdf(pages):
    """A valid PDF with one line of Helvetica text per page and a correct xref table."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", None]
    kids = []
    font_id = 3 + 2 * len(pages)
    for i, text in enumerate(pages):
        page_id, content_id = 3 + 2 * i, 4 + 2 * i
        kids.append(f"{page_id} 0 R")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            f"/Resources << /Font << /F1 {font_id} 0 R >> >> /Contents {content_id} 0 R >>")
        stream = f"BT /F1 24 Tf 72 700 Td ({text}) Tj ET"
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(pages)} >>"
    objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n"
            f"startxref\n{xref}\n%%EOF\n").encode()
    return bytes(out)


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ' \
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>"""

RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>"""


def docx(body):
    import io
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("word/document.xml",
                   f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                   f'<w:document {W}><w:body>{body}<w:sectPr/></w:body></w:document>')
    return buffer.getvalue()


def p(*runs):
    return "<w:p><w:pPr><w:pStyle w:val=\"Normal\"/></w:pPr>" + "".join(runs) + "</w:p>"


def r(inner):
    return f"<w:r><w:rPr><w:b/></w:rPr>{inner}</w:r>"


def t(text):
    return f'<w:t xml:space="preserve">{text}</w:t>'


def cell(*paragraphs, props=""):
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{''.join(paragraphs)}</w:tc>"


def row(*cells):
    return "<w:tr>" + "".join(cells) + "</w:tr>"


write("sample.txt", "Hello, Flowbench.\nSecond line.\n")
write("chinese.txt", "你好，世界。\n这是一个测试文件。\n")
write("cp1252.txt", b"Caf\xe9 \x80 5\n")
write("sample.md", "# Title\n\n- item one\n- item two\n")
write("sample.html", "<html><body><h1>Title</h1><p>A &amp; B</p></body></html>\n")
write("sample.json", '{"name": "流程", "items": [1, 2.5, true, null], "nested": {"z": 1, "a": {}}}')
write("sample.csv", 'name,age,note\r\nAlice,30,"likes, commas"\r\nBob,25,"two\nlines"\r\n')
write("sample.pdf", pdf(["Page one text", "Page two text"]))
write("corrupt.pdf", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R\nthis is not a pdf\n")
write("corrupt.docx", b"PK\x03\x04 not really a zip archive")
write("sample.xyz", "whatever\n")

write("sample.docx", docx(
    p(r(t("Hello docx")))
    + p(r(t("Bold") + "<w:tab/>" + t("after tab")), r("<w:br/>" + t("next line")),
        '<w:hyperlink r:id="rId9">' + r(t(" link")) + "</w:hyperlink>",
        '<w:ins w:id="1">' + r(t("IGNORED")) + "</w:ins>")
    + "<w:tbl><w:tblPr/>"
    + row(cell(p(r(t("Name")))), cell(p(r(t("Value")))))
    + row(cell(p(r(t("alpha")))), cell(p(r(t("1"))), p(r(t("one")))))
    + row(cell(p(r(t("wide"))), props='<w:gridSpan w:val="2"/>'))
    + "</w:tbl>"
    + "<w:tbl>" + row(cell(p()), cell(p())) + "</w:tbl>"
    + p()
    + p(r(t("End")))))

write("chinese.docx", docx(
    p(r(t("你好，文档。")))
    + "<w:tbl>"
    + row(cell(p(r(t("名称")))), cell(p(r(t("数值")))))
    + row(cell(p(r(t("甲")))), cell(p(r(t("一")))))
    + "</w:tbl>"))
