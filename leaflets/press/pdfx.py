"""PDF/X-4: the finishing touches that make a CMYK print file one a shop's preflight accepts.

- PDF 1.6; one output intent `/GTS_PDFX` with the condition's CMYK profile
  embedded; `/Trapped /False`; title, author, subject and language;
- XMP metadata with the PDF/X version (`pdfxid:GTS_PDFXVersion PDF/X-4`),
  dates, document and version IDs, `RenditionClass default`;
- font subset tags derived from each subset's own glyphs: two files, or two
  fonts, with different glyph sets never share a tag (a shop that gangs jobs
  on one sheet would otherwise mix them up);
- nothing random and no clock but the one given: the same inputs give the
  same bytes, wherever and whenever they are built. Overlays are placed
  under fixed names (`overlay()`), IDs are derived from the content.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import uuid
import zlib
from dataclasses import dataclass
from xml.sax.saxutils import escape

PDFX_VERSION = "PDF/X-4"
PRODUCER = "leaflets (WeasyPrint, pikepdf, reportlab)"


@dataclass(frozen=True)
class FileInfo:
    """What a print file says about itself."""

    title: str
    author: str
    subject: str
    language: str
    created: dt.datetime  # the build's one clock (SOURCE_DATE_EPOCH or the piece's date)
    keywords: str = ""


def overlay(pdf, page, stamp, name: str) -> None:
    """Draw `stamp` (a page of another PDF, same size) over `page`, under a fixed resource name."""
    import pikepdf

    form = pdf.copy_foreign(stamp.as_form_xobject())
    # Pages often share one resource dictionary (WeasyPrint's do): this page gets
    # its own copy, so that its overlay is not every page's.
    shared = page.obj.get("/Resources")
    resources = pikepdf.Dictionary({k: v for k, v in shared.items()}) if shared is not None \
        else pikepdf.Dictionary()
    xobjects = resources.get("/XObject")
    resources.XObject = pikepdf.Dictionary({k: v for k, v in xobjects.items()}) if xobjects is not None \
        else pikepdf.Dictionary()
    resources.XObject[name] = form
    page.obj.Resources = resources
    page.contents_add(pikepdf.Stream(pdf, f"q {name} Do Q\n".encode()), prepend=False)


def _pdf_date(when: dt.datetime) -> str:
    when = when.astimezone(dt.UTC)
    return when.strftime("D:%Y%m%d%H%M%S+00'00'")


def _xmp_date(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def _tag(data: bytes) -> str:
    digest = hashlib.sha256(data).digest()
    return "".join(chr(ord("A") + b % 26) for b in digest[:6])


def retag_subsets(document) -> None:
    """Give every embedded font subset a tag made from its own font program."""
    import pikepdf

    for obj in list(document.objects):
        if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/Font":
            continue
        base = str(obj.get("/BaseFont", ""))
        if "+" not in base[:8]:
            continue
        fonts = [obj, *list(obj.get("/DescendantFonts") or [])]
        program = None
        for font in fonts:
            descriptor = font.get("/FontDescriptor")
            if descriptor is not None:
                program = descriptor.get("/FontFile2") or descriptor.get("/FontFile3") or \
                    descriptor.get("/FontFile")
                if program is not None:
                    break
        if program is None:
            continue
        tag = _tag(program.read_raw_bytes() + str(obj.get("/ToUnicode", "")).encode())
        for font in fonts:
            name = str(font.get("/BaseFont", ""))
            if "+" in name[:8]:
                font.BaseFont = pikepdf.Name("/" + tag + name[name.index("+"):])
            descriptor = font.get("/FontDescriptor")
            if descriptor is not None and "+" in str(descriptor.get("/FontName", ""))[:8]:
                old = str(descriptor.FontName)
                descriptor.FontName = pikepdf.Name("/" + tag + old[old.index("+"):])


def _xmp(info: FileInfo, document_id: str, instance_id: str) -> bytes:
    when = _xmp_date(info.created)
    text = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
    xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(info.title)}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{escape(info.author)}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{escape(info.subject)}</rdf:li></rdf:Alt>
   </dc:description>
   <dc:language><rdf:Bag><rdf:li>{escape(info.language)}</rdf:li></rdf:Bag></dc:language>
   <xmp:CreateDate>{when}</xmp:CreateDate>
   <xmp:ModifyDate>{when}</xmp:ModifyDate>
   <xmp:MetadataDate>{when}</xmp:MetadataDate>
   <xmp:CreatorTool>{PRODUCER}</xmp:CreatorTool>
   <pdf:Producer>{PRODUCER}</pdf:Producer>
   <pdf:Keywords>{escape(info.keywords)}</pdf:Keywords>
   <pdf:Trapped>False</pdf:Trapped>
   <xmpMM:DocumentID>uuid:{document_id}</xmpMM:DocumentID>
   <xmpMM:InstanceID>uuid:{instance_id}</xmpMM:InstanceID>
   <xmpMM:VersionID>1</xmpMM:VersionID>
   <xmpMM:RenditionClass>default</xmpMM:RenditionClass>
   <pdfxid:GTS_PDFXVersion>{PDFX_VERSION}</pdfxid:GTS_PDFXVersion>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return text.encode("utf-8")


@functools.lru_cache(maxsize=4)
def _compressed(profile: bytes) -> bytes:
    """An output profile, deflated once per process (a quarter of a megabyte: 50 ms each time)."""
    return zlib.compress(profile, 9)


def make_pdfx(pdf: bytes, condition, info: FileInfo) -> bytes:
    """The print file as PDF/X-4 for `condition` (content already CMYK: press/separate.py)."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        retag_subsets(document)
        root = document.Root
        for key in ("/Metadata", "/OutputIntents", "/PieceInfo"):
            if key in root:
                del root[key]
        content = hashlib.sha256()
        for page in document.pages:
            for stream in page.obj.get("/Contents") if isinstance(page.obj.get("/Contents"), pikepdf.Array) \
                    else [page.obj.Contents]:
                content.update(stream.read_bytes())
        content.update(f"{info.title}\0{condition.identifier}\0{condition.profile_hash}".encode())
        document_id = str(uuid.UUID(bytes=content.digest()[:16]))
        profile = pikepdf.Stream(document, _compressed(condition.profile_bytes))
        profile.Filter = pikepdf.Name.FlateDecode
        profile.N = 4
        profile.Alternate = pikepdf.Name.DeviceCMYK
        root.OutputIntents = pikepdf.Array([pikepdf.Dictionary(
            Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFX,
            OutputConditionIdentifier=pikepdf.String(condition.identifier),
            OutputCondition=pikepdf.String(condition.name), Info=pikepdf.String(condition.name),
            RegistryName=pikepdf.String("http://www.color.org"),
            DestOutputProfile=document.make_indirect(profile))])
        root.Lang = pikepdf.String(info.language)
        root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
        metadata = pikepdf.Stream(document, _xmp(info, document_id, document_id))
        metadata.Type, metadata.Subtype = pikepdf.Name.Metadata, pikepdf.Name.XML
        root.Metadata = document.make_indirect(metadata)
        date = _pdf_date(info.created)
        document.trailer.Info = document.make_indirect(pikepdf.Dictionary(
            Title=pikepdf.String(info.title), Author=pikepdf.String(info.author),
            Subject=pikepdf.String(info.subject), Keywords=pikepdf.String(info.keywords),
            Creator=pikepdf.String(PRODUCER), Producer=pikepdf.String(PRODUCER),
            CreationDate=pikepdf.String(date), ModDate=pikepdf.String(date),
            Trapped=pikepdf.Name("/False")))
        out = io.BytesIO()
        # Everything else was compressed when made; the metadata stays readable by any tool.
        document.save(out, deterministic_id=True, compress_streams=False, force_version="1.6",
                      object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue()
